// The interaction log: every model call is one ai_interactions row, written PENDING before the call, finished exactly once after it, never lost.
//
// It writes as the database owner, outside any user scope: logging must never fail on row-level
// security, and system calls (embeddings at seed time, memory jobs) have no user at all. No
// transaction is held open during a call: begin commits before it returns, and the terminal write
// is its own short transaction.
import { createHash, randomUUID } from "node:crypto";
import { isIP } from "node:net";
import {
  type AiInteractionFinish,
  beginAiInteraction,
  type Database,
  finishAiInteraction,
  isTransientDatabaseError,
  type LogJson,
  type NewAiInteraction,
  readDataSettings,
} from "@lockstep/db";
import { ProviderError } from "../provider.ts";
import { ALL_MASK_CATEGORIES, type MaskCategories, MaskMemo, storableText, toLogJson } from "./masking.ts";
import type { CallOutcome, CallSpec, InteractionHandle, InteractionLog } from "./types.ts";

/** The writes the log makes; a seam for tests that need a write to fail. */
export interface InteractionStore {
  begin(db: Database, row: NewAiInteraction): Promise<{ id: string }>;
  finish(db: Database, id: string, finish: AiInteractionFinish): Promise<boolean>;
}

const databaseStore: InteractionStore = { begin: beginAiInteraction, finish: finishAiInteraction };

export interface InteractionLogOptions {
  /**
   * Mask personal data and credentials before storing: true (every category), false, or the
   * categories to mask. Default: off when `maskingAllowed` is false, otherwise the operators' settings
   * (admin.data.updateSettings), read at most every `settingsTtlMs`, every category before any are saved.
   */
  masking?: boolean | MaskCategories;
  /** False (AI_LOG_MASKING=off) turns masking off whatever operators saved; default true. */
  maskingAllowed?: boolean;
  /** How long the operators' masking settings are reused before being read again (default 10 s). */
  settingsTtlMs?: number;
  /** Told about writes that failed for good; the default prints to stderr. Never told twice about one call. */
  onError?: (error: unknown, context: { interactionId: string; stage: "begin" | "finish" }) => void;
  /** Transient database errors are retried this many times in all, with doubling delays (default 5 tries from 50 ms: under a second). */
  retry?: { attempts?: number; initialDelayMs?: number };
  store?: InteractionStore;
}

/** The log as this process holds it: the contract plus what the startup sweep needs to know. */
export interface LocalInteractionLog extends InteractionLog {
  /** Ids of this process's calls still in flight, which a sweep must leave alone. */
  inFlightIds(): string[];
}

export const ERROR_MESSAGE_MAX = 2000;
/** error_code of calls that cancelInFlight ended (shutdown, or a caller that never finished its handle). */
export const IN_FLIGHT_CANCELLED_CODE = "in_flight_cancelled";

const INT4_MAX = 2_147_483_647;

/**
 * How prompts are compared for prompt_hash: Unicode NFC, trimmed, every run of whitespace made one
 * space, lowercased. So prompts differing only in spacing, line breaks or case share a hash.
 */
export function normalisePrompt(text: string): string {
  // Only what would change is replaced (runs of two or more, and single tabs or line breaks): a
  // prompt has a space between most words, and replacing each with itself is most of the cost.
  return text
    .normalize("NFC")
    .trim()
    .replace(/\s{2,}|[^\S ]/g, " ")
    .toLowerCase();
}

/** A chat prompt as one text, as the log stores and hashes it: each message its `[role]` line, then its content; blank lines between. */
export function chatPromptText(messages: readonly { role: string; content: string }[]): string {
  return messages.map((message) => `[${message.role}]\n${message.content}`).join("\n\n");
}

/** sha256 (hex) of the normalised prompt. The log hashes the text it stores, i.e. after masking. */
export function promptHash(text: string): string {
  return createHash("sha256").update(normalisePrompt(text)).digest("hex");
}

/** An address INET accepts, or null: brackets and IPv6 zone ids are removed; anything else unparseable is dropped. */
export function normaliseIp(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let ip = raw.trim();
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  const zone = ip.indexOf("%");
  if (zone > 0 && ip.includes(":")) ip = ip.slice(0, zone);
  return isIP(ip) ? ip : null;
}

function isProviderError(error: unknown): error is ProviderError {
  return (
    error instanceof ProviderError ||
    (error instanceof Error && error.name === "ProviderError" && typeof (error as { code?: unknown }).code === "string")
  );
}

function errorName(error: unknown): string | null {
  if (error === null || typeof error !== "object") return null;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : null;
}

export interface FailureClass {
  status: "TIMEOUT" | "CANCELLED" | "ERROR";
  code: string;
  message: string;
}

/**
 * What a failed call was: a ProviderError "timeout" (or a TimeoutError from AbortSignal.timeout or
 * the OpenAI SDK's connection timeout) is TIMEOUT; a ProviderError "cancelled" or an AbortError
 * (including the OpenAI SDK's APIUserAbortError) is CANCELLED; anything else is ERROR. A wrapper
 * error (one the flow throws with the provider's error as its cause) is classified by that cause.
 * error_code is the ProviderError's code or the error's name; the message is never a stack.
 */
export function classifyFailure(error: unknown): FailureClass {
  const message = messageOf(error);
  let cursor: unknown = error;
  for (let depth = 0; depth < 4 && cursor !== null && cursor !== undefined; depth++) {
    if (isProviderError(cursor)) {
      const status = cursor.code === "timeout" ? "TIMEOUT" : cursor.code === "cancelled" ? "CANCELLED" : "ERROR";
      return { status, code: cursor.code, message };
    }
    const name = errorName(cursor);
    if (name === "AbortError" || name === "APIUserAbortError") return { status: "CANCELLED", code: name, message };
    if (name === "TimeoutError" || name === "APIConnectionTimeoutError")
      return { status: "TIMEOUT", code: name, message };
    cursor = (cursor as { cause?: unknown }).cause;
  }
  return { status: "ERROR", code: errorName(error) ?? (typeof error === "string" ? "Error" : "unknown"), message };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === "string") return message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Counts the columns take: whole, non-negative, within INTEGER; anything else is unknown (null). */
function count(value: number | null | undefined): number | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return null;
  return Math.min(Math.round(value), INT4_MAX);
}

function elapsed(from: number, to: number): number {
  return Math.min(Math.max(0, Math.round(to - from)), INT4_MAX);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createInteractionLog(db: Database, options: InteractionLogOptions = {}): LocalInteractionLog {
  const fixed: MaskCategories | null | undefined =
    options.masking === undefined
      ? (options.maskingAllowed ?? true)
        ? undefined
        : null
      : options.masking === true
        ? ALL_MASK_CATEGORIES
        : options.masking || null;
  const settingsTtlMs = options.settingsTtlMs ?? 10_000;
  let cached: { at: number; policy: MaskCategories | null } | null = null;
  /** What to mask for a call about to begin: fixed by options, or the saved settings (briefly cached). */
  async function currentPolicy(): Promise<MaskCategories | null> {
    if (fixed !== undefined) return fixed;
    if (cached && performance.now() - cached.at < settingsTtlMs) return cached.policy;
    let policy: MaskCategories | null;
    try {
      const { masking } = await readDataSettings(db);
      policy = masking.enabled ? masking : null;
    } catch {
      // Settings that cannot be read must not stop a call being logged; mask everything meanwhile.
      policy = ALL_MASK_CATEGORIES;
    }
    cached = { at: performance.now(), policy };
    return policy;
  }
  const store = options.store ?? databaseStore;
  const attempts = Math.max(1, options.retry?.attempts ?? 5);
  const initialDelayMs = options.retry?.initialDelayMs ?? 50;
  const report =
    options.onError ??
    ((error, context) =>
      console.error(`[ai-log] ${context.stage} of interaction ${context.interactionId} failed:`, error));
  // A reporter that throws must not turn a logged failure into a failed call.
  const onError: NonNullable<InteractionLogOptions["onError"]> = (error, context) => {
    try {
      report(error, context);
    } catch {
      // nothing left to tell
    }
  };
  const inFlight = new Map<string, Handle>();

  const memo = new MaskMemo();
  const text = (value: string, mask: MaskCategories | null) => storableText(mask ? memo.mask(value, mask) : value);
  const json = (
    value: unknown,
    mask: MaskCategories | null,
    converted?: ReadonlyMap<object, LogJson>,
  ): LogJson | undefined => toLogJson(value, { mask: mask ?? false, memo, converted });
  const object = (value: unknown, mask: MaskCategories | null): { [key: string]: LogJson } | undefined => {
    const mapped = json(value, mask);
    return mapped !== null && typeof mapped === "object" && !Array.isArray(mapped) ? mapped : undefined;
  };

  /**
   * The prompt as stored, and its messages as stored when the prompt was made of them. Made of chat
   * messages, it is masked message by message, which finds what masking the whole text finds: no
   * detector reaches across a message's end into the next `[role]` line but the named-secret one,
   * which would take that line itself for the secret's value. The masked messages are what the
   * request's copy of them becomes too, so each is masked once per call.
   */
  function maskedPrompt(
    promptText: string,
    messages: CallSpec["promptMessages"],
    mask: MaskCategories | null,
  ): { text: string; messages?: { role: string; content: string }[] } {
    // Only messages of a role and a content alone: anything more is left to the request's own walk.
    if (mask && messages?.every((m) => Object.keys(m).length === 2) && chatPromptText(messages) === promptText) {
      const stored = messages.map((message) => ({
        role: text(message.role, mask),
        content: text(message.content, mask),
      }));
      // Storable pieces joined by plain separators stay storable.
      return { text: chatPromptText(stored), messages: stored };
    }
    return { text: text(promptText, mask) };
  }

  /** Runs a write, retrying transient database errors briefly; a permanent error is thrown at once. */
  async function retrying<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (attempt >= attempts || !isTransientDatabaseError(error)) throw error;
        await sleep(initialDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  class Handle implements InteractionHandle {
    private readonly startedAt = performance.now();
    private firstTokenAt: number | null = null;
    private settlement: Promise<void> | null = null;

    /** The masking of the call's begin applies to its outcome too, so one row is masked one way. */
    constructor(
      readonly id: string,
      private readonly mask: MaskCategories | null,
    ) {}

    get open(): boolean {
      return this.settlement === null;
    }

    firstToken(): void {
      if (this.firstTokenAt === null && this.open) this.firstTokenAt = performance.now();
    }

    succeed(outcome: CallOutcome): Promise<void> {
      return this.settle((endedAt) => ({
        status: "SUCCESS",
        response: json(outcome.response, this.mask) ?? null,
        ...this.timings(endedAt),
        inputTokens: count(outcome.usage?.inputTokens),
        cachedInputTokens: count(outcome.usage?.cachedInputTokens),
        outputTokens: count(outcome.usage?.outputTokens),
        errorCode: null,
        errorMessage: null,
        metadata: object(outcome.metadata, this.mask),
        responses: (outcome.responses ?? []).map((r) => ({
          content: text(String(r.content ?? ""), this.mask),
          finishReason: r.finishReason == null ? null : storableText(r.finishReason),
          metadata: json(r.metadata, this.mask),
        })),
      }));
    }

    fail(error: unknown): Promise<void> {
      return this.settle((endedAt) => {
        const failure = classifyFailure(error);
        return this.failure(failure.status, failure.code, failure.message, endedAt);
      });
    }

    /** cancelInFlight's terminal write: the call was abandoned by its caller or by shutdown. */
    cancel(reason: string): Promise<void> {
      return this.settle((endedAt) => this.failure("CANCELLED", IN_FLIGHT_CANCELLED_CODE, reason, endedAt));
    }

    /** Resolves when this handle's terminal write (if any has started) is done. */
    done(): Promise<void> {
      return this.settlement ?? Promise.resolve();
    }

    private timings(endedAt: number) {
      return {
        latencyMs: elapsed(this.startedAt, endedAt),
        timeToFirstTokenMs: this.firstTokenAt === null ? null : elapsed(this.startedAt, this.firstTokenAt),
      };
    }

    private failure(
      status: FailureClass["status"],
      code: string,
      message: string,
      endedAt: number,
    ): AiInteractionFinish {
      return {
        status,
        response: undefined,
        ...this.timings(endedAt),
        inputTokens: null,
        outputTokens: null,
        errorCode: storableText(code.slice(0, 100)),
        // Masked first, then cut, so a cut never leaves half a secret behind.
        errorMessage: text(message, this.mask).trim().slice(0, ERROR_MESSAGE_MAX),
        metadata: undefined,
        responses: [],
      };
    }

    /**
     * Exactly one terminal write per handle: the first succeed/fail/cancel claims it, later ones
     * are ignored (they only wait for the first). The call's end time is taken before any await,
     * so a slow database does not inflate latency. Never throws: a write that keeps failing is
     * reported, and the row is left PENDING for the next start's sweep to mark ABORTED.
     */
    private settle(build: (endedAt: number) => AiInteractionFinish): Promise<void> {
      if (this.settlement) return this.settlement;
      const endedAt = performance.now();
      let finish: AiInteractionFinish;
      try {
        finish = build(endedAt);
      } catch (error) {
        // Building the row (masking a strange value) must not lose the outcome either.
        finish = this.failure("ERROR", "log_error", `the outcome could not be recorded: ${messageOf(error)}`, endedAt);
      }
      this.settlement = retrying(() => store.finish(db, this.id, finish))
        .then(
          () => undefined,
          (error: unknown) => {
            onError(error, { interactionId: this.id, stage: "finish" });
          },
        )
        .finally(() => inFlight.delete(this.id));
      return this.settlement;
    }
  }

  return {
    async begin(spec: CallSpec): Promise<InteractionHandle> {
      const id = randomUUID();
      const mask = await currentPolicy();
      const prompt =
        spec.promptText === null || spec.promptText === undefined
          ? null
          : maskedPrompt(spec.promptText, spec.promptMessages, mask);
      const promptText = prompt?.text ?? null;
      // The request holds the prompt's messages (the same array): they are masked already.
      const converted =
        spec.promptMessages && prompt?.messages
          ? new Map([[spec.promptMessages as object, prompt.messages]])
          : undefined;
      const context = spec.context;
      const metadata = object(
        { ...spec.metadata, ...(context.requestId ? { requestId: context.requestId } : {}) },
        mask,
      );
      const row: NewAiInteraction = {
        id,
        provider: {
          name: storableText(spec.provider.name),
          kind: spec.provider.kind,
          baseUrl: spec.provider.baseUrl === null ? null : storableText(spec.provider.baseUrl),
        },
        modelName: storableText(spec.model),
        operation: spec.operation,
        promptText,
        promptHash: promptText === null ? null : promptHash(promptText),
        request: json(spec.request, mask, converted) ?? null,
        userId: context.userId ? storableText(context.userId) : null,
        sessionId: context.sessionId ? storableText(context.sessionId) : null,
        ipAddress: normaliseIp(context.ip),
        fileMetadata: json(spec.fileMetadata, mask),
        dataSource: context.dataSource,
        metadata: metadata && Object.keys(metadata).length ? metadata : undefined,
      };
      // No row, no call: if the PENDING row cannot be written even after retries, begin throws
      // and the caller must not make the call, so a call is never made without its record.
      try {
        await retrying(() => store.begin(db, row));
      } catch (error) {
        onError(error, { interactionId: id, stage: "begin" });
        throw new Error("The AI interaction log could not record the call, so it was not made.", { cause: error });
      }
      const handle = new Handle(id, mask);
      inFlight.set(id, handle);
      return handle;
    },

    inFlight(): number {
      return inFlight.size;
    },

    inFlightIds(): string[] {
      return [...inFlight.keys()];
    },

    async cancelInFlight(reason: string): Promise<number> {
      const handles = [...inFlight.values()];
      const open = handles.filter((handle) => handle.open);
      await Promise.all(open.map((handle) => handle.cancel(reason)));
      // Terminal writes already under way are waited for, so shutdown closes the pool after them.
      await Promise.all(handles.map((handle) => handle.done()));
      return open.length;
    },
  };
}
