// Builds the Fastify app: accounts under /api/auth, the tRPC API under /trpc, and the built web (/)
// and admin (/admin/) apps, with request ids, security headers, CORS and a body size limit.
import { randomUUID } from "node:crypto";
import path from "node:path";
import fastifyCors from "@fastify/cors";
import {
  type AppRouter,
  type Auth,
  appRouter,
  type BlobStorage,
  CLIENT_IP_HEADER,
  createInnerContext,
  requestMetaOf,
  type ServerInfo,
  SessionCache,
  type SessionUser,
  createLocalStorage,
} from "@lockstep/api";
import type { AiRuntime } from "@lockstep/ai";
import { dataDir, type Database, type DataSettingsDefaults } from "@lockstep/db";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, {
  errorCodes,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from "fastify";
import helmet from "helmet";
import { registerAdminExport } from "./admin-export.ts";
import { registerStaticApps, type StaticApp } from "./static-apps.ts";
import { screenshotRoutes } from "./uploads.ts";

export interface BuildAppOptions {
  db: Database;
  /** The AI layer; without it, replies and analyses answer SERVICE_UNAVAILABLE. */
  ai?: AiRuntime;
  auth: Auth;
  server: ServerInfo;
  bodyLimit: number;
  logger: FastifyServerOptions["logger"];
  /** Origins (besides the app's own) allowed to call the API with credentials. */
  trustedOrigins?: string[];
  /** Fastify's trustProxy: which proxies' X-Forwarded-For to believe for the client IP. */
  trustProxy?: FastifyServerOptions["trustProxy"];
  /** Where screenshots are kept; local disk under the default data directory when not given. */
  storage?: BlobStorage;
  /** The configured data settings shown before operators save their own (AI_LOG_RETENTION_DAYS). */
  dataDefaults?: DataSettingsDefaults;
  /** Built single-page apps to serve, by URL prefix ("/" and "/admin/"). */
  apps?: StaticApp[];
}

/**
 * One access-log line per request, when it is answered (Fastify's default is two). Arrivals are
 * logged at debug, which pino makes a no-op at the default level. The path only: tRPC GETs carry
 * their input in the query string. Errors keep Fastify's own lines.
 */
class AccessLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method }, "incoming request");
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    const query = request.url.indexOf("?");
    request.log.info(
      {
        method: request.method,
        path: query === -1 ? request.url : request.url.slice(0, query),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request completed",
    );
  }
}

/** Sign-in and sign-up answer with the session token in the JSON body too; the cookie is enough. */
const SESSION_ISSUING_PATHS = /\/api\/auth\/sign-(in|up)\/email$/;
/** Auth endpoints that end or change sessions (sign-out, revocations, password changes): the cache must forget. */
const SESSION_ENDING_METHOD = "POST";

function withoutSessionToken(body: string): string {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    if (parsed && typeof parsed === "object" && "token" in parsed) {
      // Page scripts must not be able to read what the HttpOnly cookie protects.
      delete parsed.token;
      return JSON.stringify(parsed);
    }
  } catch {
    // Not JSON (an error page): pass it on untouched.
  }
  return body;
}

/** The request's headers as a WHATWG Headers, with the client IP we determined (never the client's claim). */
function toHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === CLIENT_IP_HEADER) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, String(value));
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  return headers;
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const sessions = new SessionCache(options.auth);
  /** The signed-in user of a request, for every entry point (tRPC, uploads, exports). */
  const sessionUserOf = (request: FastifyRequest): Promise<SessionUser | null> =>
    sessions.resolve(request.headers.cookie, () => toHeaders(request));
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { maxParamLength: 5000 },
    logController: new AccessLog(),
  });

  // Node's server.close() ends only the keep-alive connections idle at that moment; one whose
  // request was still in flight would linger until keepAliveTimeout (72 s) and hold up close().
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (closing) reply.header("connection", "close");
    // API answers are personal (auth.me, a person's sessions): never keep them in a shared cache.
    if (request.url.startsWith("/trpc") || request.url.startsWith("/api/")) reply.header("cache-control", "no-store");
  });

  // tRPC's adapter takes multipart bodies as a raw stream that Fastify's bodyLimit never sees, and
  // reads them whole; bound them by their declared length (browsers always send one for FormData).
  app.addHook("preParsing", async (request, _reply, payload) => {
    if (!request.headers["content-type"]?.toLowerCase().startsWith("multipart/")) return payload;
    const declared = request.headers["content-length"];
    if (declared === undefined) {
      throw Object.assign(new Error("A multipart body needs a Content-Length."), { statusCode: 411 });
    }
    if (Number(declared) > request.routeOptions.bodyLimit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    return payload;
  });

  // Security headers on every answer, from one helmet middleware built here: @fastify/helmet
  // builds a new one per request, parsing the content security policy each time.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Cross-origin isolation headers would stop the admin from opening exported files in new tabs.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );

  const trusted = new Set(options.trustedOrigins ?? []);
  await app.register(fastifyCors, {
    credentials: true,
    // Same-origin requests carry no Origin check here; listed origins may call with cookies.
    origin: (origin, callback) => callback(null, origin === undefined || trusted.has(origin)),
  });

  // Better Auth speaks WHATWG Request/Response; bridge Fastify's request to it.
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    handler: async (request, reply) => {
      const url = new URL(request.url, `${request.protocol}://${request.host}`);
      const hasBody = request.method !== "GET" && request.body !== undefined;
      const response = await options.auth.handler(
        new Request(url, {
          method: request.method,
          headers: toHeaders(request),
          ...(hasBody ? { body: typeof request.body === "string" ? request.body : JSON.stringify(request.body) } : {}),
        }),
      );
      reply.status(response.status);
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") reply.header(name, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header("set-cookie", cookies);
      const body = response.body ? await response.text() : null;
      if (request.method === SESSION_ENDING_METHOD && !SESSION_ISSUING_PATHS.test(url.pathname)) {
        // Whatever this was (sign-out, a revocation, a new password), no cached session may outlive it here.
        if (url.pathname.endsWith("/sign-out")) sessions.forgetToken(request.headers.cookie);
        else sessions.clear();
      }
      return reply.send(body && SESSION_ISSUING_PATHS.test(url.pathname) ? withoutSessionToken(body) : body);
    },
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: ({ req }) =>
        createInnerContext({
          db: options.db,
          ...(options.ai ? { ai: options.ai } : {}),
          ...(options.dataDefaults ? { dataDefaults: options.dataDefaults } : {}),
          server: options.server,
          // Looked up only by procedures that use it (not the health check or the catalogues).
          user: () => sessionUserOf(req),
          sessions,
          requestMeta: requestMetaOf(req),
        }),
      // tRPC's own Vary replaces the one @fastify/cors set, yet the CORS headers differ by Origin.
      responseMeta: () => ({ headers: new Headers([["vary", "Origin"]]) }),
      onError: ({ error, path: procedure, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          app.log.error(
            { err: error.cause ?? error, procedure, requestId: ctx?.requestMeta.requestId },
            "procedure failed",
          );
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  registerAdminExport(app, { db: options.db, sessionUserOf });

  await app.register(screenshotRoutes, {
    db: options.db,
    ai: options.ai,
    storage: options.storage ?? createLocalStorage(path.join(dataDir(), "uploads")),
    trustedOrigins: trusted,
    sessionUserOf,
  });

  await registerStaticApps(app, options.apps ?? []);

  return app;
}
