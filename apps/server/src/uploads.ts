// The screenshot routes: POST /api/sessions/:id/screenshot takes one image (multipart field
// `file`) for the caller's screenshot session and answers 202 while OCR runs in the background;
// GET serves the stored image to its owner and to operators only. Plain HTTP, since browsers send
// files as multipart, but errors are answered in the body tRPC errors have (contracts' appErrorBody).
import fastifyMultipart from "@fastify/multipart";
import type { AiRuntime } from "@lockstep/ai";
import {
  AppError,
  type BlobStorage,
  checkScreenshotUpload,
  failScreenshotUpload,
  readScreenshotFile,
  requestMetaOf,
  type SessionUser,
  uploadScreenshot,
  userScope,
} from "@lockstep/api";
import {
  APP_ERRORS,
  appErrorBody,
  isUuid,
  SCREENSHOT_FIELD,
  type TAppErrorCode,
  UPLOAD_MAX_BYTES,
} from "@lockstep/contracts";
import type { Database } from "@lockstep/db";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface ScreenshotRoutesOptions {
  db: Database;
  ai?: AiRuntime | undefined;
  storage: BlobStorage;
  /** Origins besides the app's own that may post with cookies. */
  trustedOrigins: Set<string>;
  /** The signed-in user of a request, as the host resolves it for every entry point. */
  sessionUserOf: (request: FastifyRequest) => Promise<SessionUser | null>;
}

const TOO_LARGE = `The file is larger than ${UPLOAD_MAX_BYTES / (1024 * 1024)} MB. Upload a smaller screenshot.`;
const NO_FILE = `No file was sent. Send the screenshot as multipart/form-data in a field named "${SCREENSHOT_FIELD}".`;

/** Who is uploading to which session, once the request got past the checks that change nothing. */
interface UploadTarget {
  user: SessionUser;
  sessionId: string;
}
const targets = new WeakMap<FastifyRequest, UploadTarget>();

function send(reply: FastifyReply, code: TAppErrorCode, message: string, details?: Record<string, unknown>) {
  return reply
    .code(APP_ERRORS[code].status)
    .type("application/json")
    .send(appErrorBody(code, message, { requestId: reply.request.id, ...(details ? { details } : {}) }));
}

/** A file-level failure Fastify or the multipart parser raised, as an app code and a message. */
function fileFailure(error: { statusCode?: number; code?: string }): { code: TAppErrorCode; message: string } | null {
  if (
    error.statusCode === 413 ||
    error.code === "FST_REQ_FILE_TOO_LARGE" ||
    error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
  ) {
    return { code: "PAYLOAD_TOO_LARGE", message: TOO_LARGE };
  }
  if (
    error.code === "FST_INVALID_MULTIPART_CONTENT_TYPE" ||
    error.code === "FST_FILES_LIMIT" ||
    error.code === "FST_PARTS_LIMIT"
  ) {
    return { code: "BAD_INPUT", message: NO_FILE };
  }
  return null;
}

export async function screenshotRoutes(app: FastifyInstance, options: ScreenshotRoutesOptions): Promise<void> {
  // Registered in this plugin only, so the tRPC adapter keeps reading its own multipart bodies.
  await app.register(fastifyMultipart);

  const signedIn = async (request: FastifyRequest, reply: FastifyReply): Promise<SessionUser | null> => {
    const user = await options.sessionUserOf(request);
    if (!user) {
      await send(reply, "UNAUTHENTICATED", "Sign in to use screenshots.");
      return null;
    }
    return user;
  };

  app.route<{ Params: { id: string } }>({
    method: "POST",
    url: "/api/sessions/:id/screenshot",
    // Room for multipart framing around a file at the limit; the file itself is capped below, so a
    // larger one is answered 413 by the parser rather than by dropping the connection.
    bodyLimit: 2 * UPLOAD_MAX_BYTES,
    onRequest: async (request, reply) => {
      // A form on another site can post here with the person's cookie: only the app itself (and the
      // configured origins) may, and a browser always says which origin it posts from.
      const origin = request.headers.origin;
      const own = `${request.protocol}://${request.host}`;
      if (!origin || (origin !== own && !options.trustedOrigins.has(origin))) {
        return send(reply, "FORBIDDEN", "Uploads are accepted only from the app itself.");
      }
      const user = await signedIn(request, reply);
      if (!user) return reply;
      if (!isUuid(request.params.id)) return send(reply, "NOT_FOUND", "No such session.");
      // Refused before the body is read: another person's or a missing session, a text session,
      // or one that is not waiting for a screenshot. None of these changes the session.
      await checkScreenshotUpload(userScope(options.db, user), options.ai, request.params.id);
      targets.set(request, { user, sessionId: request.params.id });
    },
    handler: async (request, reply) => {
      const target = targets.get(request);
      if (!target) throw new AppError("INTERNAL", "upload target missing");
      const scope = userScope(options.db, target.user);
      const refuse = async (code: TAppErrorCode, message: string) => {
        await failScreenshotUpload(scope, options.ai, target.sessionId, message);
        return send(reply, code, message);
      };
      let data: Buffer;
      try {
        const part = await request.file({ limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, parts: 4 } });
        if (!part || part.fieldname !== SCREENSHOT_FIELD) return await refuse("BAD_INPUT", NO_FILE);
        data = await part.toBuffer();
        // The parser stops at the size limit, and may flag that only after the last chunk.
        if (part.file.truncated) return await refuse("PAYLOAD_TOO_LARGE", TOO_LARGE);
      } catch (error) {
        const failure = fileFailure(error as { statusCode?: number; code?: string });
        if (!failure) throw error;
        return refuse(failure.code, failure.message);
      }
      const session = await uploadScreenshot(
        scope,
        { ai: options.ai, storage: options.storage },
        requestMetaOf(request),
        target.sessionId,
        data,
      );
      return reply.code(202).send({ session });
    },
    // Fastify awaits an async error handler; its route types only say the result is ignored.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    errorHandler: async (error, request, reply) => {
      // The details go along as tRPC's errors carry them (a usage limit's period, use and reset).
      if (error instanceof AppError) return send(reply, error.code, error.message, error.details);
      const failure = fileFailure(error as { statusCode?: number; code?: string });
      const target = targets.get(request);
      if (failure) {
        // Refused by Fastify before the handler (a body past the route's limit): still the file's fault.
        if (target)
          await failScreenshotUpload(userScope(options.db, target.user), options.ai, target.sessionId, failure.message);
        return send(reply, failure.code, failure.message);
      }
      const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
      // Other refusals of the request itself (no Content-Length, a malformed body): nothing was received.
      if (statusCode >= 400 && statusCode < 500) return send(reply, "BAD_INPUT", (error as Error).message);
      request.log.error({ err: error }, "screenshot upload failed");
      if (target)
        await failScreenshotUpload(
          userScope(options.db, target.user),
          options.ai,
          target.sessionId,
          "The screenshot could not be stored. Try again.",
        );
      return send(reply, "INTERNAL", "Internal error.");
    },
  });

  app.route<{ Params: { id: string } }>({
    method: "GET",
    url: "/api/sessions/:id/screenshot",
    handler: async (request, reply) => {
      const user = await signedIn(request, reply);
      if (!user) return reply;
      if (!isUuid(request.params.id)) return send(reply, "NOT_FOUND", "No screenshot for this session.");
      const file = await readScreenshotFile(
        options.db,
        user,
        requestMetaOf(request),
        options.storage,
        request.params.id,
      );
      return reply.type(file.mime).send(file.data);
    },
    // Runs after the host's own onSend (which marks /api answers no-store): a person's image may
    // stay in their browser's cache, never in a shared one.
    onSend: async (_request, reply, payload) => {
      if (reply.statusCode === 200) reply.header("cache-control", "private, max-age=0, must-revalidate");
      return payload;
    },
    // Fastify awaits an async error handler; its route types only say the result is ignored.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    errorHandler: async (error, request, reply) => {
      if (error instanceof AppError) return send(reply, error.code, error.message);
      request.log.error({ err: error }, "screenshot download failed");
      return send(reply, "INTERNAL", "Internal error.");
    },
  });
}
