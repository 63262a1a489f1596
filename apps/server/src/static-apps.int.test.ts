// The built apps as the host serves them, from a temporary directory laid out like Vite's output
// with real brotli and gzip copies: which encoding each client gets, how long each file may be
// cached, revalidation of index.html (and of the client-side routes that serve it), and that no
// compressed bytes reach a client that did not ask for them.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { migrationsOnDisk } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { createAuth } from "@lockstep/api";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "./app.ts";
import { HASHED_ASSET_CACHE_CONTROL, REVALIDATED_CACHE_CONTROL } from "./static-apps.ts";

const WEB_HTML = `<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>`;
const ADMIN_HTML = WEB_HTML.replaceAll("/assets/", "/admin/assets/").replace("<body>", "<body data-app=admin>");
// Long and repetitive enough that both encodings are much smaller than the original.
const WEB_JS = `export const greeting = ${JSON.stringify("hello from the web app ".repeat(200))};\n`;
const ADMIN_JS = `export const greeting = ${JSON.stringify("hello from the admin app ".repeat(200))};\n`;
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>`;

let dir: string;
let db: TestDatabase;
let app: FastifyInstance;

/** Writes a file with the brotli and gzip copies the build's compression plugin writes beside it. */
async function writeWithCopies(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  await writeFile(`${file}.br`, brotliCompressSync(content));
  await writeFile(`${file}.gz`, gzipSync(content));
}

function get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: "GET", url, headers });
}

/** The body as the client reads it after undoing the Content-Encoding it was told about. */
function decoded(response: LightMyRequestResponse): string {
  const encoding = response.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(response.rawPayload).toString("utf8");
  if (encoding === "gzip") return gunzipSync(response.rawPayload).toString("utf8");
  expect(encoding).toBeUndefined();
  return response.rawPayload.toString("utf8");
}

function varyFields(response: LightMyRequestResponse): string[] {
  return String(response.headers.vary ?? "")
    .split(",")
    .map((field) => field.trim().toLowerCase());
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lockstep-static-"));
  await writeWithCopies(path.join(dir, "web/index.html"), WEB_HTML);
  await writeWithCopies(path.join(dir, "web/assets/index-Ab12Cd34.js"), WEB_JS);
  // A file too small to gain from compression: the build leaves it without copies.
  await writeFile(path.join(dir, "web/assets/logo-Ef56Gh78.svg"), LOGO_SVG);
  // The build's chunk list, read by the size check; nothing a browser needs.
  await writeWithCopies(path.join(dir, "web/.vite/manifest.json"), "{}");
  await writeWithCopies(path.join(dir, "admin/index.html"), ADMIN_HTML);
  await writeWithCopies(path.join(dir, "admin/assets/index-Ij90Kl12.js"), ADMIN_JS);

  db = await createTestDatabase();
  app = await buildApp({
    db,
    auth: createAuth({ db, secret: "test-secret-test-secret-test-secret", trustedOrigins: [] }),
    server: { version: "9.9.9-test", expectedMigrations: await migrationsOnDisk() },
    bodyLimit: 1024,
    logger: false,
    apps: [
      { prefix: "/", root: path.join(dir, "web") },
      { prefix: "/admin/", root: path.join(dir, "admin") },
    ],
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("encoding negotiation", () => {
  it("sends the brotli copy to a client that accepts brotli, and says so", async () => {
    const response = await get("/assets/index-Ab12Cd34.js", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers["content-type"]).toMatch(/^(text|application)\/javascript/);
    expect(response.rawPayload.length).toBeLessThan(WEB_JS.length / 5);
    expect(decoded(response)).toBe(WEB_JS);
    // CORS's Vary: Origin stays; Accept-Encoding joins it.
    expect(varyFields(response)).toEqual(expect.arrayContaining(["origin", "accept-encoding"]));
  });

  it("sends the gzip copy to a client that accepts only gzip, or prefers it", async () => {
    for (const acceptEncoding of ["gzip", "br;q=0.5, gzip;q=1"]) {
      const response = await get("/admin/assets/index-Ij90Kl12.js", { "accept-encoding": acceptEncoding });
      expect(response.headers["content-encoding"], acceptEncoding).toBe("gzip");
      expect(decoded(response)).toBe(ADMIN_JS);
      expect(varyFields(response)).toContain("accept-encoding");
    }
  });

  it("sends the file as it is to a client that asks for no encoding, with the same Vary", async () => {
    const asked: Record<string, string>[] = [
      {},
      { "accept-encoding": "identity" },
      { "accept-encoding": "br;q=0, gzip;q=0" },
    ];
    for (const headers of asked) {
      const response = await get("/assets/index-Ab12Cd34.js", headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-encoding"], JSON.stringify(headers)).toBeUndefined();
      expect(response.rawPayload.toString("utf8")).toBe(WEB_JS);
      expect(varyFields(response)).toContain("accept-encoding");
    }
  });

  it("sends a file the build left uncompressed as it is, even to a client that accepts brotli", async () => {
    const response = await get("/assets/logo-Ef56Gh78.svg", { "accept-encoding": "br, gzip" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.rawPayload.toString("utf8")).toBe(LOGO_SVG);
  });

  it("never serves a compressed copy by its own name, so its bytes cannot arrive undeclared", async () => {
    for (const url of ["/assets/index-Ab12Cd34.js.br", "/assets/index-Ab12Cd34.js.gz", "/admin/index.html.br"]) {
      const response = await get(url, { accept: "*/*" });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers["content-encoding"]).toBeUndefined();
      expect(response.json()).toEqual({ error: "Not Found", path: url });
    }
  });

  it("negotiates index.html and the client-side routes the same way", async () => {
    for (const url of ["/", "/sessions/42", "/admin/", "/admin/users"]) {
      const html = url.startsWith("/admin") ? ADMIN_HTML : WEB_HTML;
      const brotli = await get(url, { accept: "text/html", "accept-encoding": "br, gzip" });
      expect(brotli.headers["content-encoding"], url).toBe("br");
      expect(brotli.headers["content-type"]).toMatch(/^text\/html/);
      expect(decoded(brotli)).toBe(html);
      const plain = await get(url, { accept: "text/html" });
      expect(plain.headers["content-encoding"], url).toBeUndefined();
      expect(plain.rawPayload.toString("utf8")).toBe(html);
      expect(varyFields(plain)).toContain("accept-encoding");
    }
  });
});

describe("caching", () => {
  it("lets browsers keep hashed assets for a year without asking again, in every encoding", async () => {
    for (const url of ["/assets/index-Ab12Cd34.js", "/admin/assets/index-Ij90Kl12.js", "/assets/logo-Ef56Gh78.svg"]) {
      for (const acceptEncoding of ["br", "gzip", "identity"]) {
        const response = await get(url, { "accept-encoding": acceptEncoding });
        expect(response.headers["cache-control"], `${url} ${acceptEncoding}`).toBe(HASHED_ASSET_CACHE_CONTROL);
      }
    }
    expect(HASHED_ASSET_CACHE_CONTROL).toBe("public, max-age=31536000, immutable");
  });

  it("has index.html and the client-side routes revalidated, answering 304 when unchanged", async () => {
    expect(REVALIDATED_CACHE_CONTROL).toBe("no-cache");
    for (const url of ["/", "/index.html", "/collections", "/admin/", "/admin/sessions/7"]) {
      for (const acceptEncoding of ["br", "gzip", "identity"]) {
        const headers = { accept: "text/html", "accept-encoding": acceptEncoding };
        const first = await get(url, headers);
        expect(first.statusCode, `${url} ${acceptEncoding}`).toBe(200);
        expect(first.headers["cache-control"]).toBe("no-cache");
        const etag = String(first.headers.etag);
        expect(etag).toMatch(/^(W\/)?".+"$/);
        const lastModified = String(first.headers["last-modified"]);
        expect(Number.isNaN(Date.parse(lastModified))).toBe(false);

        const byEtag = await get(url, { ...headers, "if-none-match": etag });
        expect(byEtag.statusCode, `${url} ${acceptEncoding} If-None-Match`).toBe(304);
        expect(byEtag.rawPayload.length).toBe(0);
        expect(byEtag.headers["cache-control"]).toBe("no-cache");
        expect(varyFields(byEtag)).toContain("accept-encoding");

        const byDate = await get(url, { ...headers, "if-modified-since": lastModified });
        expect(byDate.statusCode, `${url} ${acceptEncoding} If-Modified-Since`).toBe(304);
      }
    }
  });

  it("does not answer 304 for one encoding with the validator of another", async () => {
    const brotli = await get("/", { accept: "text/html", "accept-encoding": "br" });
    const plain = await get("/", { accept: "text/html", "if-none-match": String(brotli.headers.etag) });
    expect(plain.statusCode).toBe(200);
    expect(plain.rawPayload.toString("utf8")).toBe(WEB_HTML);
  });

  it("keeps a missing asset's 404 out of long-lived caches", async () => {
    const response = await get("/assets/index-Gone0000.js", { accept: "*/*", "accept-encoding": "br" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["cache-control"]).toBeUndefined();
    expect(response.headers["content-encoding"]).toBeUndefined();
  });

  it("does not serve the build's own files under .vite/", async () => {
    const response = await get("/.vite/manifest.json", { accept: "*/*", "accept-encoding": "br" });
    expect(response.statusCode).toBe(404);
  });

  it("leaves the API's own answers alone (no-store, JSON 404s, no static headers)", async () => {
    const unknown = await get("/trpc/nothing.here", { accept: "text/html", "accept-encoding": "br" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["cache-control"]).toBe("no-store");
    expect(unknown.headers["content-encoding"]).toBeUndefined();
  });

  it("sends the security headers on pages, assets and API answers alike", async () => {
    for (const url of ["/", "/admin/", "/assets/index-Ab12Cd34.js", "/trpc/health"]) {
      const response = await get(url, { accept: "*/*" });
      const policy = String(response.headers["content-security-policy"]);
      expect(policy, url).toContain("default-src 'self'");
      expect(policy, url).toContain("frame-ancestors 'none'");
      expect(policy, url).toContain("img-src 'self' data: blob:");
      expect(policy, url).not.toContain("upgrade-insecure-requests");
      expect(response.headers["x-content-type-options"], url).toBe("nosniff");
      expect(response.headers["x-frame-options"], url).toBe("SAMEORIGIN");
      expect(response.headers["strict-transport-security"], url).toMatch(/^max-age=\d+/);
      expect(response.headers["referrer-policy"], url).toBe("no-referrer");
      // Left off so exported files open in new tabs from the admin.
      expect(response.headers["cross-origin-embedder-policy"], url).toBeUndefined();
    }
  });
});
