// Builds the Fastify app: the tRPC API under /trpc and the built web (/) and admin (/admin/) apps.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import { type AppRouter, appRouter, createInnerContext, type ServerInfo } from "@lockstep/api";
import type { Database } from "@lockstep/db";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";

export interface BuildAppOptions {
  db: Database;
  server: ServerInfo;
  bodyLimit: number;
  logger: FastifyServerOptions["logger"];
  /** Built single-page apps to serve, by URL prefix ("/" and "/admin/"). */
  apps?: { prefix: string; root: string }[];
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { maxParamLength: 5000 },
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: ({ req }) =>
        createInnerContext({
          db: options.db,
          server: options.server,
          requestMeta: { requestId: req.id, ip: req.ip ?? null, userAgent: req.headers["user-agent"] ?? null },
        }),
      onError: ({ error, path: procedure, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          app.log.error({ err: error.cause ?? error, procedure, requestId: ctx?.requestMeta.requestId }, "procedure failed");
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  // Longest prefix first, so /admin/ is not swallowed by the web app's fallback.
  const apps = [...(options.apps ?? [])].filter((entry) => existsSync(path.join(entry.root, "index.html")));
  apps.sort((a, b) => b.prefix.length - a.prefix.length);
  for (const [index, entry] of apps.entries()) {
    await app.register(fastifyStatic, {
      root: entry.root,
      prefix: entry.prefix,
      decorateReply: index === 0,
      wildcard: true,
      index: ["index.html"],
    });
  }
  // Client-side routes: any GET under an app's prefix that is not a file serves its index.html.
  app.setNotFoundHandler((request, reply) => {
    const entry = apps.find((candidate) => request.url.startsWith(candidate.prefix));
    const acceptsHtml = (request.headers.accept ?? "").includes("text/html");
    if (request.method === "GET" && entry && acceptsHtml && !request.url.startsWith("/trpc")) {
      return reply.sendFile("index.html", entry.root);
    }
    return reply.code(404).send({ error: "Not Found", path: request.url });
  });

  return app;
}
