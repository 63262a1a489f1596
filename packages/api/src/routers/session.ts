// session.*: the person's chat sessions (docs/decisions/0007 and 0002), and starting and ending them with a character (docs/decisions/0003).
import {
  pageOf,
  ZSessionCreateInputSchema,
  ZSessionDtoSchema,
  ZSessionIdInputSchema,
  ZSessionListInputSchema,
  ZSessionOpenWithInputSchema,
  ZSessionRenameInputSchema,
  ZSessionSearchInputSchema,
  ZSessionSearchResultSchema,
  ZSessionSetPinnedInputSchema,
  ZSessionStartInputSchema,
  ZSessionStartResultSchema,
  ZSessionTransitionInputSchema,
} from "@lockstep/contracts";
import { ZMessageDtoSchema, ZSessionStreamEventSchema, ZSessionStreamInputSchema } from "@lockstep/contracts";
import {
  ZSessionAnalysisResultSchema,
  ZSessionConfirmOcrInputSchema,
  ZSessionOcrInputSchema,
  ZSessionOcrResultSchema,
} from "@lockstep/contracts";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { requireAi, runAnalysis } from "../services/ai-flows.ts";
import { confirmOcr, getOcrResult } from "../services/screenshots.ts";
import { searchConversations } from "../services/search.ts";
import {
  createSession,
  deleteSession,
  endSession,
  findOpenSession,
  getSession,
  listSessionsPage,
  purgeSessionForever,
  renameSession,
  restoreSession,
  setSessionPinned,
  startSession,
  transitionSession,
} from "../services/sessions.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const sessionRouter = router({
  create: protectedProcedure
    .input(ZSessionCreateInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => createSession(ctx.userDb, input)),
  start: protectedProcedure
    .input(ZSessionStartInputSchema)
    .output(ZSessionStartResultSchema)
    .mutation(({ ctx, input }) => startSession(ctx.userDb, input, ctx.ai, ctx.requestMeta)),
  /** The open session with a character, or null: "New session" asks whether to continue it or start fresh. */
  openWith: protectedProcedure
    .input(ZSessionOpenWithInputSchema)
    .output(ZSessionDtoSchema.nullable())
    .query(({ ctx, input }) => findOpenSession(ctx.userDb, input.characterId)),
  end: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => endSession(ctx.userDb, input.id, ctx.ai, ctx.requestMeta)),
  list: protectedProcedure
    .input(ZSessionListInputSchema)
    .output(pageOf(ZSessionDtoSchema))
    .query(({ ctx, input }) => listSessionsPage(ctx.userDb, input)),
  /** The person's sessions by name and messages by text, best first; the snippet marks the matched words. */
  search: protectedProcedure
    .input(ZSessionSearchInputSchema)
    .output(ZSessionSearchResultSchema)
    .query(({ ctx, input }) => searchConversations(ctx.userDb, input)),
  get: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(ZSessionDtoSchema)
    .query(({ ctx, input }) => getSession(ctx.userDb, input.id)),
  rename: protectedProcedure
    .input(ZSessionRenameInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => renameSession(ctx.userDb, input.id, input.name)),
  setPinned: protectedProcedure
    .input(ZSessionSetPinnedInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => setSessionPinned(ctx.userDb, input.id, input.pinned)),
  transition: protectedProcedure
    .input(ZSessionTransitionInputSchema)
    .output(ZSessionDtoSchema)
    // Complete means ended (contracts' SESSION_END_EXPLANATION): moving there is an End, counted once.
    .mutation(({ ctx, input }) =>
      input.to === "complete"
        ? endSession(ctx.userDb, input.id, ctx.ai, ctx.requestMeta, { viaTransition: true })
        : transitionSession(ctx.userDb, input.id, input.to),
    ),
  delete: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => deleteSession(ctx.userDb, input.id)),
  restore: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(ZSessionDtoSchema)
    .mutation(({ ctx, input }) => restoreSession(ctx.userDb, input.id)),
  /**
   * Moves the session to analysis_in_progress, produces suggestions (AI messages with title, tag
   * and analysis), and ends in complete, or in error with the reason kept (retry from there).
   */
  analyze: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(z.object({ session: ZSessionDtoSchema, suggestions: z.array(ZMessageDtoSchema) }))
    .mutation(({ ctx, input }) =>
      runAnalysis(requireAi(ctx.ai), ctx.userDb, ctx.requestMeta, input.id, ctx.ai?.sentimentOf),
    ),
  /** What OCR read from the session's screenshot, one authored line per bubble (verifying_ocr only). */
  ocr: protectedProcedure
    .input(ZSessionOcrInputSchema)
    .output(ZSessionOcrResultSchema)
    .query(({ ctx, input }) => getOcrResult(ctx.userDb, input.id)),
  /**
   * The person's corrected lines (edited, re-attributed, removed or reordered) become the session's
   * messages in order, the OCR result is cleared, and the analysis runs to complete, as in analyze.
   */
  confirmOcr: protectedProcedure
    .input(ZSessionConfirmOcrInputSchema)
    .output(ZSessionAnalysisResultSchema)
    .mutation(({ ctx, input }) => confirmOcr(ctx.ai, ctx.userDb, ctx.requestMeta, input)),
  /**
   * The session's live events over SSE: streamed tokens, finished messages, status moves. Each
   * event is tracked, so a client that reconnects with its last event id continues where it was.
   */
  stream: protectedProcedure.input(ZSessionStreamInputSchema).subscription(async ({ ctx, input, signal }) => {
    // Checked before the stream opens, so someone else's session id is refused (NOT_FOUND) up front.
    const ai = requireAi(ctx.ai);
    await getSession(ctx.userDb, input.id);
    const abort = signal ?? new AbortController().signal;
    return (async function* () {
      for await (const envelope of ai.streams.subscribe(input.id, input.lastEventId, abort)) {
        yield tracked(envelope.id, ZSessionStreamEventSchema.parse(envelope.event));
      }
    })();
  }),
  purge: protectedProcedure
    .input(ZSessionIdInputSchema)
    .output(z.object({ id: z.string(), purged: z.literal(true) }))
    .mutation(({ ctx, input }) => purgeSessionForever(ctx.userDb, input.id)),
});
