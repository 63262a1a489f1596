// Serves the built web (/) and admin (/admin/) apps: the build's brotli or gzip copy of a file when
// the browser accepts one, hashed assets cached for a year, index.html revalidated on every visit,
// and index.html again for client-side routes; anything else unknown is a JSON 404.
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

export interface StaticApp {
  /** The URL prefix the app lives under, with its trailing slash ("/", "/admin/"). */
  prefix: string;
  /** The app's build output (Vite's dist), holding index.html and assets/. */
  root: string;
}

/** Vite names every file under assets/ after its content, so a name is never reused by another build. */
export const HASHED_ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";
/** index.html names the current build's assets: the browser asks each time and gets a 304 when unchanged. */
export const REVALIDATED_CACHE_CONTROL = "no-cache";

/** The build writes x.js.br and x.js.gz beside x.js; they are sent only as an encoding of x.js. */
const PRECOMPRESSED_COPY = /\.(br|gz)$/;

/** The Cache-Control for each response that is a file of an app, keyed by its raw response. */
const cacheControlOfFile = new WeakMap<object, string>();

function appendVary(reply: FastifyReply, field: string): void {
  const fields = String(reply.getHeader("vary") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (fields.some((entry) => entry === "*" || entry.toLowerCase() === field.toLowerCase())) return;
  reply.header("vary", [...fields, field].join(", "));
}

/** Registers the apps whose build exists and the not-found handler (the SPA fallback among it). */
export async function registerStaticApps(app: FastifyInstance, apps: readonly StaticApp[]): Promise<void> {
  // Longest prefix first, so /admin/ is not swallowed by the web app's fallback.
  const built = apps.filter((entry) => existsSync(path.join(entry.root, "index.html")));
  built.sort((a, b) => b.prefix.length - a.prefix.length);

  for (const [index, entry] of built.entries()) {
    const assetsDir = path.resolve(entry.root, "assets") + path.sep;
    await app.register(fastifyStatic, {
      root: entry.root,
      prefix: entry.prefix,
      decorateReply: index === 0,
      wildcard: true,
      index: ["index.html"],
      preCompressed: true,
      // Cache-Control is decided per file below; send's own (max-age=0) would only be overwritten.
      cacheControl: false,
      allowedPath: (pathname) => !PRECOMPRESSED_COPY.test(pathname),
      // The build keeps its own files under .vite/ (the chunk manifest): not for browsers.
      dotfiles: "ignore",
      setHeaders: (response, filePath) => {
        const hashed = filePath.startsWith(assetsDir);
        cacheControlOfFile.set(response, hashed ? HASHED_ASSET_CACHE_CONTROL : REVALIDATED_CACHE_CONTROL);
      },
    });
  }

  // Set on the Fastify reply, not the raw response: the reply's own headers (CORS's Vary: Origin)
  // would replace raw ones of the same name when the head is written.
  app.addHook("onSend", async (_request, reply, payload) => {
    const cacheControl = cacheControlOfFile.get(reply.raw);
    if (cacheControl !== undefined) {
      reply.header("cache-control", cacheControl);
      // The same URL answers br, gzip or plain bytes by Accept-Encoding: caches must keep them apart.
      appendVary(reply, "Accept-Encoding");
    }
    return payload;
  });

  // Client-side routes: any GET under an app's prefix that is not a file serves its index.html.
  app.setNotFoundHandler((request, reply) => {
    const entry = built.find((candidate) => request.url.startsWith(candidate.prefix));
    const acceptsHtml = (request.headers.accept ?? "").includes("text/html");
    if (request.method === "GET" && entry && acceptsHtml && !request.url.startsWith("/trpc")) {
      return reply.sendFile("index.html", entry.root);
    }
    return reply.code(404).send({ error: "Not Found", path: request.url });
  });
}
