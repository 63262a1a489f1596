// Screenshot sessions over real HTTP: upload (multipart) -> OCR in the background (real tesseract.js
// workers) -> verifying_ocr -> session.confirmOcr -> suggestions, waiting for the person; refused files leave the session in
// error with nothing stored, and a retry works; one image is stored once; others cannot see it.
import { readdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createOcrPool } from "@lockstep/ai";
import { gradientImage, imageInfo, noiseImage, renderChatScreenshot, solidImage } from "@lockstep/ai/testing";
import { type BlobStorage, createLocalStorage } from "@lockstep/api";
import { loadConfig } from "@lockstep/config";
import type { TAppErrorBody, TSessionDto, TSessionOcrResult, TSessionStreamEvent } from "@lockstep/contracts";
import { type JobQueue, openJobQueue, seedDatabase } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AiHost, startAi } from "./ai.ts";
import { Browser, freshEmail, freshIp, startServer, type TestServer } from "./testing/http.ts";

let db: TestDatabase;
let server: TestServer;
let ai: AiHost;
let queue: JobQueue;
let storage: BlobStorage;
let uploadsDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // The built-in provider composes suggestions from the starter knowledge base.
  await seedDatabase(db);
  uploadsDir = await mkdtemp(path.join(os.tmpdir(), "lockstep-uploads-"));
  queue = await openJobQueue(db);
  storage = createLocalStorage(uploadsDir);
  // The defaults (built-in provider, masking on), whatever the environment running the tests says.
  ai = await startAi(db, {
    embedded: false,
    log: () => undefined,
    config: loadConfig({}),
    queue,
    worker: true,
    storage,
  });
  server = await startServer({
    db,
    ai: ai.runtime,
    storage,
    bodyLimit: 64 * 1024,
    trustProxy: true,
  });
});

afterAll(async () => {
  await ai?.shutdown(10_000);
  await queue?.stop({ graceful: false, close: true });
  await server?.close();
  await db?.close();
  if (uploadsDir) await rm(uploadsDir, { recursive: true, force: true });
});

const CONVERSATION = [
  { text: "Hi! Did you get home safely last night?", side: "left" as const },
  { text: "Yes, thanks for asking. I had a lovely time", side: "right" as const },
  { text: "Me too. We should do it again soon", side: "left" as const },
];

async function person(): Promise<{ browser: Browser; id: string }> {
  const browser = new Browser(server.url, { ip: freshIp() });
  const response = await browser.signUp(freshEmail("shots"));
  expect(response.status, await response.clone().text()).toBe(200);
  const session = await browser.session();
  if (!session) throw new Error("no session after sign-up");
  return { browser, id: session.user.id };
}

async function trpc<T>(
  browser: Browser,
  procedure: string,
  input: unknown,
): Promise<{ status: number; data?: T; error?: { message: string; data: { code: string; appCode?: string } } }> {
  const response = await browser.postJson(`/trpc/${procedure}`, input);
  const body = (await response.json()) as {
    result?: { data: T };
    error?: { message: string; data: { code: string; appCode?: string } };
  };
  return {
    status: response.status,
    ...(body.result ? { data: body.result.data } : {}),
    ...(body.error ? { error: body.error } : {}),
  };
}

async function screenshotSession(browser: Browser, type: "screenshot" | "text" = "screenshot"): Promise<TSessionDto> {
  const created = await trpc<TSessionDto>(browser, "session.create", { type });
  if (!created.data) throw new Error(`session.create failed: ${JSON.stringify(created.error)}`);
  return created.data;
}

async function getSession(browser: Browser, id: string): Promise<TSessionDto> {
  const { body } = await browser.query("session.get", { id });
  return (body.result as { data: TSessionDto }).data;
}

function upload(
  browser: Browser,
  sessionId: string,
  data: Buffer,
  name = "shot.png",
  type = "image/png",
  init: { field?: string; headers?: Record<string, string> } = {},
) {
  const form = new FormData();
  form.append(init.field ?? "file", new Blob([new Uint8Array(data)], { type }), name);
  return browser.fetch(`/api/sessions/${sessionId}/screenshot`, {
    method: "POST",
    body: form,
    ...(init.headers ? { headers: init.headers } : {}),
  });
}

/** Polls session.get until OCR has finished (the live stream says the same; see the first test). */
async function settled(browser: Browser, id: string): Promise<TSessionDto> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const session = await getSession(browser, id);
    if (session.status !== "analysis_in_progress") return session;
    if (Date.now() > deadline) throw new Error("OCR did not finish in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function uploadsOf(
  userId: string,
): Promise<{ key: string; mime: string; bytes: number; width: number; height: number; sha256: string }[]> {
  const { rows } = await db.pool.query(
    `SELECT key, mime, bytes, width, height, sha256 FROM uploads WHERE user_id = $1`,
    [userId],
  );
  return rows as { key: string; mime: string; bytes: number; width: number; height: number; sha256: string }[];
}

async function filesOf(userId: string): Promise<string[]> {
  try {
    return await readdir(path.join(uploadsDir, "screenshots", userId));
  } catch {
    return [];
  }
}

/** The error body, which has the tRPC error shape; its status always matches the response's. */
async function errorOf(response: Response) {
  const { error } = (await response.json()) as TAppErrorBody;
  expect(error.data.httpStatus).toBe(response.status);
  return { message: error.message, code: error.data.code, appCode: error.data.appCode };
}

describe("the whole flow", () => {
  it(
    "upload -> verifying_ocr (announced on the live stream) -> confirmOcr -> suggestions, with the OCR run logged",
    { timeout: 120_000 },
    async () => {
      const { browser, id: userId } = await person();
      const session = await screenshotSession(browser);
      expect(session.status).toBe("pending_user_input");

      const events: TSessionStreamEvent[] = [];
      const listening = new AbortController();
      const collecting = (async () => {
        for await (const envelope of ai.runtime.streams.subscribe(session.id, null, listening.signal))
          events.push(envelope.event);
      })().catch(() => undefined);

      const image = await renderChatScreenshot(CONVERSATION, { theme: "imessage", fontSize: 22 });
      const response = await upload(browser, session.id, image);
      expect(response.status, await response.clone().text()).toBe(202);
      const accepted = (await response.json()) as { session: TSessionDto };
      expect(accepted.session).toMatchObject({
        id: session.id,
        status: "analysis_in_progress",
        hasScreenshot: true,
        errorReason: null,
      });

      const done = await settled(browser, session.id);
      expect(done.status).toBe("verifying_ocr");
      listening.abort();
      await collecting;
      expect(
        events.filter((event) => event.kind === "status").map((event) => event.kind === "status" && event.status),
      ).toEqual(["analysis_in_progress", "verifying_ocr"]);

      const { body } = await browser.query("session.ocr", { id: session.id });
      const ocr = (body.result as { data: TSessionOcrResult }).data;
      expect(ocr.status).toBe("verifying_ocr");
      expect(ocr.imageWidth).toBe(720);
      expect(ocr.lines.map((line) => line.author)).toEqual(["contact", "user", "contact"]);
      expect(ocr.lines.map((line) => line.text)).toEqual(CONVERSATION.map((bubble) => bubble.text));
      for (const line of ocr.lines) expect(line.confidence).toBeGreaterThan(0.5);

      // The stored copy is the re-encoded one, kept once, with its metadata in uploads.
      const [stored, ...more] = await uploadsOf(userId);
      expect(more).toEqual([]);
      expect(stored).toMatchObject({ mime: "image/png", width: 720 });
      expect(await filesOf(userId)).toEqual([`${stored?.sha256}.png`]);

      // Every OCR run is an AI interaction with its latency and the file's metadata.
      const { rows: calls } = await db.pool.query(
        `SELECT status::text, latency_ms, file_metadata, user_id FROM ai_interactions WHERE session_id = $1 AND operation = 'OCR'`,
        [session.id],
      );
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        status: "SUCCESS",
        user_id: userId,
        file_metadata: { bytes: stored?.bytes, mime: "image/png", width: 720, height: stored?.height },
      });
      expect(calls[0].latency_ms).toBeGreaterThan(0);

      // Corrected: one text edited, one author switched, lines reordered, one removed.
      const [first, second, third] = ocr.lines;
      const lines = [
        { id: third?.id, text: "Me too! We should do it again soon", author: "contact" },
        { id: first?.id, text: first?.text ?? "", author: "user" },
        { id: second?.id, text: second?.text ?? "", author: "user" },
      ].slice(0, 3);
      lines.splice(1, 1);
      const confirmed = await trpc<{ session: TSessionDto; suggestions: unknown[] }>(browser, "session.confirmOcr", {
        id: session.id,
        lines,
      });
      expect(confirmed.status, JSON.stringify(confirmed.error)).toBe(200);
      expect(confirmed.data?.session.status).toBe("pending_user_input");
      expect(confirmed.data?.suggestions.length).toBeGreaterThan(0);

      const { rows: messages } = await db.pool.query(
        `SELECT text, author::text FROM messages WHERE session_id = $1 AND author <> 'AI' ORDER BY "timestamp", id`,
        [session.id],
      );
      expect(messages).toEqual([
        { text: "Me too! We should do it again soon", author: "CONTACT" },
        { text: CONVERSATION[1]?.text, author: "USER" },
      ]);
      const { rows: aiAfter } = await db.pool.query(
        `SELECT min("timestamp") AS first FROM messages WHERE session_id = $1 AND author = 'AI'`,
        [session.id],
      );
      const { rows: lastLine } = await db.pool.query(
        `SELECT max("timestamp") AS last FROM messages WHERE session_id = $1 AND author <> 'AI'`,
        [session.id],
      );
      expect((aiAfter[0] as { first: Date }).first.getTime()).toBeGreaterThanOrEqual(
        (lastLine[0] as { last: Date }).last.getTime(),
      );
      const { rows: cleared } = await db.pool.query(`SELECT ocr_result FROM sessions WHERE id = $1`, [session.id]);
      expect(cleared[0]).toEqual({ ocr_result: null });

      // A repeated confirm (a double click, a retry) adds nothing.
      const again = await trpc(browser, "session.confirmOcr", { id: session.id, lines });
      expect(again.status).toBe(409);
      expect(again.error?.data.code).toBe("CONFLICT");
      expect(again.error?.message).toContain("pending_user_input");
      const { rows: count } = await db.pool.query(
        `SELECT count(*)::int AS n FROM messages WHERE session_id = $1 AND author <> 'AI'`,
        [session.id],
      );
      expect(count[0]).toEqual({ n: 2 });
      // ...and the OCR result is gone with it.
      const ocrAfter = await browser.query("session.ocr", { id: session.id });
      expect(ocrAfter.status).toBe(409);
    },
  );

  it("refuses to confirm no lines, naming the field", async () => {
    const { browser } = await person();
    const session = await screenshotSession(browser);
    const refused = await trpc(browser, "session.confirmOcr", { id: session.id, lines: [] });
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toContain("at least one line");
  });
});

describe("refused files", () => {
  const bad: { name: string; make: () => Promise<Buffer>; status: number; appCode: string; reason: RegExp }[] = [
    {
      name: "a text file renamed .png",
      make: async () => Buffer.from("Hello, this is not a picture at all.\n".repeat(20)),
      status: 400,
      appCode: "BAD_INPUT",
      reason: /not an image/,
    },
    {
      name: "a truncated PNG",
      make: async () => {
        const whole = await renderChatScreenshot(CONVERSATION);
        return whole.subarray(0, Math.floor(whole.length / 2));
      },
      status: 400,
      appCode: "BAD_INPUT",
      reason: /damaged or incomplete/,
    },
    {
      name: "a 12 MB image",
      make: () => noiseImage(2048, 2048),
      status: 413,
      appCode: "PAYLOAD_TOO_LARGE",
      reason: /larger than 10 MB/,
    },
    {
      name: "a 1x1 image",
      make: () => solidImage(1, 1, "#ffffff"),
      status: 400,
      appCode: "BAD_INPUT",
      reason: /too small/,
    },
    {
      name: "an image with no text (one colour)",
      make: () => solidImage(600, 900),
      status: 400,
      appCode: "BAD_INPUT",
      reason: /no text/,
    },
  ];

  for (const file of bad) {
    it(`${file.name}: the right error, the session in error with the reason, nothing stored`, async () => {
      const { browser, id: userId } = await person();
      const session = await screenshotSession(browser);
      const data = await file.make();
      if (file.status === 413) expect(data.length).toBeGreaterThan(12 * 1024 * 1024);
      const response = await upload(browser, session.id, data);
      const error = await errorOf(response);
      expect(response.status, error.message).toBe(file.status);
      expect(error.appCode).toBe(file.appCode);
      expect(error.message).toMatch(file.reason);
      const after = await getSession(browser, session.id);
      expect(after.status).toBe("error");
      expect(after.errorReason).toBe(error.message);
      expect(after.hasScreenshot).toBe(false);
      expect(await uploadsOf(userId)).toEqual([]);
      expect(await filesOf(userId)).toEqual([]);
    });
  }

  it(
    "a picture without text that passes the quick checks: error after OCR, and the stored copy is removed",
    { timeout: 60_000 },
    async () => {
      const { browser, id: userId } = await person();
      const session = await screenshotSession(browser);
      const gradient = await gradientImage();
      const response = await upload(browser, session.id, gradient);
      expect(response.status).toBe(202);
      const done = await settled(browser, session.id);
      expect(done).toMatchObject({ status: "error", hasScreenshot: false });
      expect(done.errorReason).toMatch(/No text was found/);
      expect(await uploadsOf(userId)).toEqual([]);
      expect(await filesOf(userId)).toEqual([]);
    },
  );

  it(
    "retries from error: a good upload after a bad one goes through to verifying_ocr",
    { timeout: 60_000 },
    async () => {
      const { browser } = await person();
      const session = await screenshotSession(browser);
      const refused = await upload(browser, session.id, Buffer.from("not an image"), "notes.png");
      expect(refused.status).toBe(400);
      expect((await getSession(browser, session.id)).status).toBe("error");
      const retried = await upload(
        browser,
        session.id,
        await renderChatScreenshot(CONVERSATION, { theme: "whatsapp" }),
      );
      expect(retried.status, await retried.clone().text()).toBe(202);
      const done = await settled(browser, session.id);
      expect(done).toMatchObject({ status: "verifying_ocr", errorReason: null, hasScreenshot: true });
    },
  );

  it("a request without a file field: 400, the session in error", async () => {
    const { browser } = await person();
    const session = await screenshotSession(browser);
    const response = await upload(
      browser,
      session.id,
      await renderChatScreenshot(CONVERSATION),
      "shot.png",
      "image/png",
      { field: "picture" },
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('field named "file"');
    expect((await getSession(browser, session.id)).status).toBe("error");
  });
});

describe("usage limits", () => {
  it("refuses an upload past the person's limit of calls, naming it, and the session stays as it was", async () => {
    const { browser, id } = await person();
    const session = await screenshotSession(browser);
    // The limit is used up already: one call a day, and one counted today.
    await db.pool.query(
      `INSERT INTO usage_limits (id, user_id, period, metric, amount, soft_threshold, updated_at)
       VALUES (gen_random_uuid(), $1, 'DAILY', 'CALLS', 1, 0.8, now())`,
      [id],
    );
    await db.pool.query(
      `INSERT INTO usage_counters (user_id, period, period_start, calls) VALUES ($1, 'DAILY', (now() AT TIME ZONE 'UTC')::date, 1)`,
      [id],
    );
    const response = await upload(browser, session.id, await renderChatScreenshot(CONVERSATION));
    expect(response.status).toBe(429);
    const { error } = (await response.json()) as TAppErrorBody;
    expect(error.data.appCode).toBe("USAGE_LIMIT_REACHED");
    expect(error.message).toMatch(/daily limit of 1 calls is used up \(1 used\)/);
    expect(error.data.details).toMatchObject({ period: "daily", metric: "calls", amount: 1, used: 1 });
    const after = await getSession(browser, session.id);
    expect(after.status).toBe(session.status);
    const { rows } = await db.pool.query(`SELECT key FROM uploads WHERE user_id = $1`, [id]);
    expect(rows).toEqual([]);
    const counter = await db.pool.query<{ calls: number }>(`SELECT calls FROM usage_counters WHERE user_id = $1`, [id]);
    expect(counter.rows[0]!.calls).toBe(1);
  });
});

describe("state and ownership", () => {
  it("stores the same image once for two sessions of one person", { timeout: 60_000 }, async () => {
    const { browser, id: userId } = await person();
    const image = await renderChatScreenshot(CONVERSATION, { theme: "dark" });
    for (const session of [await screenshotSession(browser), await screenshotSession(browser)]) {
      const response = await upload(browser, session.id, image);
      expect(response.status).toBe(202);
      expect((await settled(browser, session.id)).status).toBe("verifying_ocr");
    }
    expect(await uploadsOf(userId)).toHaveLength(1);
    expect(await filesOf(userId)).toHaveLength(1);
  });

  it(
    "refuses uploads a session cannot take, changing nothing: text session, busy session",
    { timeout: 60_000 },
    async () => {
      const { browser } = await person();
      const text = await screenshotSession(browser, "text");
      const toText = await upload(browser, text.id, await renderChatScreenshot(CONVERSATION));
      expect(toText.status).toBe(400);
      expect((await getSession(browser, text.id)).status).toBe("pending_user_input");

      const session = await screenshotSession(browser);
      expect((await upload(browser, session.id, await renderChatScreenshot(CONVERSATION))).status).toBe(202);
      expect((await settled(browser, session.id)).status).toBe("verifying_ocr");
      const again = await upload(browser, session.id, await renderChatScreenshot(CONVERSATION, { theme: "whatsapp" }));
      expect(again.status).toBe(409);
      expect(await errorOf(again)).toMatchObject({ code: "CONFLICT", appCode: "CONFLICT" });
      expect((await getSession(browser, session.id)).status).toBe("verifying_ocr");
    },
  );

  it(
    "serves the image to its owner and operators only; nobody else can read it or its OCR result",
    { timeout: 60_000 },
    async () => {
      const owner = await person();
      const other = await person();
      const operator = await person();
      await db.pool.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [operator.id]);
      const session = await screenshotSession(owner.browser);
      expect((await upload(owner.browser, session.id, await renderChatScreenshot(CONVERSATION))).status).toBe(202);
      expect((await settled(owner.browser, session.id)).status).toBe("verifying_ocr");

      const mine = await owner.browser.fetch(`/api/sessions/${session.id}/screenshot`);
      expect(mine.status).toBe(200);
      expect(mine.headers.get("content-type")).toBe("image/png");
      expect(mine.headers.get("cache-control")).toContain("private");
      const bytes = Buffer.from(await mine.arrayBuffer());
      expect(await imageInfo(bytes)).toMatchObject({ format: "png", width: 720 });

      const theirs = await other.browser.fetch(`/api/sessions/${session.id}/screenshot`);
      expect(theirs.status).toBe(404);
      expect(Buffer.from(await theirs.arrayBuffer()).includes(bytes.subarray(0, 64))).toBe(false);
      const theirOcr = await other.browser.query("session.ocr", { id: session.id });
      expect(theirOcr.status).toBe(404);
      expect(JSON.stringify(theirOcr.body)).not.toContain(CONVERSATION[0]?.text ?? "");
      const theirUpload = await upload(other.browser, session.id, await renderChatScreenshot(CONVERSATION));
      expect(theirUpload.status).toBe(404);
      const theirConfirm = await trpc(other.browser, "session.confirmOcr", {
        id: session.id,
        lines: [{ text: "hijack", author: "user" }],
      });
      expect(theirConfirm.status).toBe(404);
      expect((await getSession(owner.browser, session.id)).status).toBe("verifying_ocr");

      const anonymous = await new Browser(server.url).fetch(`/api/sessions/${session.id}/screenshot`);
      expect(anonymous.status).toBe(401);

      const audited = await operator.browser.fetch(`/api/sessions/${session.id}/screenshot`);
      expect(audited.status).toBe(200);
      const { rows } = await db.pool.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1 AND entity_id = $2`,
        [operator.id, session.id],
      );
      expect(rows[0]).toEqual({ n: 1 });
    },
  );

  it("refuses a cross-site or origin-less post (403) and a signed-out one (401), changing nothing", async () => {
    const { browser } = await person();
    const session = await screenshotSession(browser);
    const image = await renderChatScreenshot(CONVERSATION);
    const foreign = await upload(browser, session.id, image, "shot.png", "image/png", {
      headers: { origin: "http://evil.example" },
    });
    expect(foreign.status).toBe(403);
    browser.origin = null;
    expect((await upload(browser, session.id, image)).status).toBe(403);
    const anonymous = await upload(new Browser(server.url), session.id, image);
    expect(anonymous.status).toBe(401);
    expect(await errorOf(anonymous)).toMatchObject({ code: "UNAUTHORIZED", appCode: "UNAUTHENTICATED" });
    expect((await getSession(browser, session.id)).status).toBe("pending_user_input");
  });
});

describe("an OCR crash", () => {
  it(
    "moves the session to error with a reason, logs the failed run, keeps nothing, and allows a retry",
    { timeout: 60_000 },
    async () => {
      // An engine that has been stopped fails every read, as a crashed worker pool would.
      const stopped = createOcrPool({ workers: 1 });
      await stopped.terminate();
      const crashing = await startServer({
        db,
        // Read in this server's process (no queue), so its stopped engine is the one that reads.
        ai: { ...ai.runtime, ocr: stopped, jobs: undefined },
        storage,
        trustProxy: true,
      });
      try {
        const browser = new Browser(crashing.url, { ip: freshIp() });
        expect((await browser.signUp(freshEmail("crash"))).status).toBe(200);
        const userId = (await browser.session())?.user.id ?? "";
        const session = await screenshotSession(browser);
        expect((await upload(browser, session.id, await renderChatScreenshot(CONVERSATION))).status).toBe(202);
        const done = await settled(browser, session.id);
        expect(done).toMatchObject({
          status: "error",
          hasScreenshot: false,
          errorReason: "The screenshot could not be read. Try uploading it again.",
        });
        expect(await uploadsOf(userId)).toEqual([]);
        expect(await filesOf(userId)).toEqual([]);
        const { rows } = await db.pool.query(
          `SELECT status::text, error_message FROM ai_interactions WHERE session_id = $1 AND operation = 'OCR'`,
          [session.id],
        );
        expect(rows).toEqual([{ status: "ERROR", error_message: expect.stringContaining("stopped") }]);

        // The same person retries on the healthy server.
        const retry = new Browser(server.url, { ip: freshIp() });
        for (const [name, value] of browser.jar) retry.jar.set(name, value);
        expect((await upload(retry, session.id, await renderChatScreenshot(CONVERSATION))).status).toBe(202);
        expect((await settled(retry, session.id)).status).toBe("verifying_ocr");
      } finally {
        await crashing.close();
      }
    },
  );
});
