// The interaction log against a real database: one row per call whatever happens, statuses, masking, prompt hashes, sessions made to exist, retries, cancelInFlight and the startup sweep.
import { randomUUID } from "node:crypto";
import { type AiInteractionFinish, finishAiInteraction, beginAiInteraction } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "../provider.ts";
import {
  chatPromptText,
  classifyFailure,
  createInteractionLog,
  ERROR_MESSAGE_MAX,
  type InteractionStore,
  type LocalInteractionLog,
  normaliseIp,
  normalisePrompt,
  promptHash,
} from "./interaction-log.ts";
import { maskText, toLogJson } from "./masking.ts";
import { sweepAbandonedInteractions } from "./sweep.ts";
import type { CallSpec } from "./types.ts";

let db: TestDatabase;
let userId: string;
let otherUserId: string;
const errors: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  userId = await insertUser("log-user");
  otherUserId = await insertUser("log-other");
});
afterAll(async () => {
  await db?.close();
});

async function insertUser(label: string): Promise<string> {
  const id = `${label}-${randomUUID()}`;
  await db.pool.query(`INSERT INTO users (id, name, email, updated_at) VALUES ($1, $2, $3, now())`, [
    id,
    label,
    `${id}@example.com`,
  ]);
  return id;
}

function newLog(options: Parameters<typeof createInteractionLog>[1] = {}): LocalInteractionLog {
  return createInteractionLog(db, {
    masking: true,
    onError: (error) => errors.push(error),
    retry: { initialDelayMs: 1 },
    ...options,
  });
}

/** A call spec whose request carries a marker, so a test can count the rows of exactly its calls. */
function spec(marker: string, overrides: Partial<CallSpec> = {}): CallSpec {
  return {
    operation: "reply",
    provider: { name: "log-test-provider", kind: "builtin", baseUrl: null },
    model: "builtin-chat",
    promptText: "Hello coach",
    request: { marker, messages: [{ role: "user", content: "Hello coach" }] },
    metadata: { flow: "test" },
    context: { userId, sessionId: null, ip: "198.51.100.23", dataSource: "web", requestId: "req-1" },
    ...overrides,
  };
}

async function rowsOf(marker: string) {
  const { rows } = await db.pool.query(
    `SELECT i.*, host(i.ip_address) AS ip FROM ai_interactions i WHERE i.request->>'marker' = $1 ORDER BY i.created_at, i.id`,
    [marker],
  );
  return rows as Record<string, unknown>[];
}

async function rowOf(id: string) {
  const { rows } = await db.pool.query(`SELECT i.*, host(i.ip_address) AS ip FROM ai_interactions i WHERE i.id = $1`, [
    id,
  ]);
  return rows[0] as Record<string, unknown> | undefined;
}

async function responsesOf(id: string) {
  const { rows } = await db.pool.query(
    `SELECT position, content, finish_reason, metadata FROM ai_responses WHERE interaction_id = $1 ORDER BY position`,
    [id],
  );
  return rows;
}

const usage = { inputTokens: 12, outputTokens: 34 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("begin and succeed", () => {
  it("writes a PENDING row before the call and SUCCESS with everything after it", async () => {
    const log = newLog();
    const handle = await log.begin(spec("success-row"));
    expect(log.inFlight()).toBe(1);
    expect(await rowOf(handle.id)).toMatchObject({
      status: "PENDING",
      model_name: "builtin-chat",
      operation: "REPLY",
      prompt_text: "Hello coach",
      prompt_hash: promptHash("Hello coach"),
      user_id: userId,
      session_id: null,
      ip: "198.51.100.23",
      data_source: "WEB",
      metadata: { flow: "test", requestId: "req-1" },
      latency_ms: null,
    });
    await sleep(15);
    handle.firstToken();
    await sleep(15);
    handle.firstToken(); // only the first one counts
    await handle.succeed({
      response: { text: "Hi!", finishReason: "stop" },
      responses: [
        { content: "Hi!", finishReason: "stop" },
        { content: "Hello!", finishReason: "length", metadata: { alt: true } },
      ],
      usage,
      metadata: { finishReason: "stop" },
    });
    expect(log.inFlight()).toBe(0);
    const row = await rowOf(handle.id);
    expect(row).toMatchObject({
      status: "SUCCESS",
      response: { text: "Hi!", finishReason: "stop" },
      input_tokens: 12,
      output_tokens: 34,
      error_code: null,
      error_message: null,
      metadata: { flow: "test", requestId: "req-1", finishReason: "stop" },
    });
    expect(row?.latency_ms).toBeGreaterThanOrEqual(28);
    expect(row?.time_to_first_token_ms).toBeGreaterThanOrEqual(13);
    expect(row?.time_to_first_token_ms as number).toBeLessThan(row?.latency_ms as number);
    expect(await responsesOf(handle.id)).toEqual([
      { position: 0, content: "Hi!", finish_reason: "stop", metadata: null },
      { position: 1, content: "Hello!", finish_reason: "length", metadata: { alt: true } },
    ]);
  });

  it("logs a system call with no user, no session and no address", async () => {
    const log = newLog();
    const handle = await log.begin(
      spec("system-call", {
        operation: "embed",
        context: { userId: null, sessionId: null, ip: null, dataSource: "system" },
      }),
    );
    await handle.succeed({ response: { vectors: 1 }, usage: { inputTokens: 3, outputTokens: null } });
    expect(await rowOf(handle.id)).toMatchObject({
      status: "SUCCESS",
      operation: "EMBED",
      user_id: null,
      ip: null,
      data_source: "SYSTEM",
    });
  });

  it("stores text PostgreSQL cannot hold (NUL, lone surrogates) instead of failing the call", async () => {
    const log = newLog();
    const handle = await log.begin(
      spec("unstorable", {
        model: "model\u0000x",
        promptText: "nul \u0000 and \uD800 here",
        request: { marker: "unstorable", "key\u0000": "value \u0000" },
        metadata: { note: "\uDC00" },
      }),
    );
    await handle.fail(new Error("broken \u0000 message"));
    const row = await rowOf(handle.id);
    expect(row).toMatchObject({
      status: "ERROR",
      model_name: "model\uFFFDx",
      prompt_text: "nul \uFFFD and \uFFFD here",
      request: { marker: "unstorable", "key\uFFFD": "value \uFFFD" },
      error_message: "broken \uFFFD message",
    });
    expect(row?.metadata).toMatchObject({ note: "\uFFFD" });
  });

  it("stores an unparseable client address as null rather than failing", async () => {
    const log = newLog();
    const handle = await log.begin(
      spec("bad-ip", { context: { userId, sessionId: null, ip: "not an ip", dataSource: "web" } }),
    );
    await handle.succeed({ response: null, usage });
    expect((await rowOf(handle.id))?.ip).toBeNull();
    expect(normaliseIp("[2001:db8::1]")).toBe("2001:db8::1");
    expect(normaliseIp("fe80::1%eth0")).toBe("fe80::1");
    expect(normaliseIp("::ffff:192.0.2.1")).toBe("::ffff:192.0.2.1");
    expect(normaliseIp("999.1.1.1")).toBeNull();
  });
});

describe("fail", () => {
  const cases: [label: string, error: unknown, status: string, code: string][] = [
    ["a provider timeout", new ProviderError("timeout", "no answer in 30 s", true), "TIMEOUT", "timeout"],
    ["a provider cancel", new ProviderError("cancelled", "the person left", false), "CANCELLED", "cancelled"],
    ["an AbortError", new DOMException("This operation was aborted", "AbortError"), "CANCELLED", "AbortError"],
    ["an upstream error", new ProviderError("upstream_error", "502 from upstream", true), "ERROR", "upstream_error"],
    ["a rate limit", new ProviderError("rate_limited", "429", true), "ERROR", "rate_limited"],
    ["a TypeError", new TypeError("x is not a function"), "ERROR", "TypeError"],
    ["a thrown string", "plain failure", "ERROR", "Error"],
    [
      "a wrapped timeout",
      new Error("flow failed", { cause: new ProviderError("timeout", "slow", true) }),
      "TIMEOUT",
      "timeout",
    ],
  ];

  it.each(cases)("records %s", async (_label, error, status, code) => {
    const log = newLog();
    const handle = await log.begin(spec(`fail-${code}-${status}`));
    await handle.fail(error);
    const row = await rowOf(handle.id);
    expect(row).toMatchObject({ status, error_code: code, response: null });
    expect(typeof row?.latency_ms).toBe("number");
    expect(await responsesOf(handle.id)).toEqual([]);
  });

  it("masks the message, cuts it to 2000 characters and never stores a stack", async () => {
    const log = newLog();
    const handle = await log.begin(spec("fail-message"));
    const error = new Error(
      `upstream said: contact ops@example.com with key sk-abcdefghijklmnopqrstuvwxyz123456 ${"x".repeat(5000)}`,
    );
    await handle.fail(error);
    const message = (await rowOf(handle.id))?.error_message as string;
    expect(message.startsWith("upstream said: contact [email] with key [secret] xxx")).toBe(true);
    expect(message).toHaveLength(ERROR_MESSAGE_MAX);
    expect(message).not.toContain("at ");
  });

  it("classifies like the contract says", () => {
    expect(classifyFailure(Object.assign(new Error("user aborted"), { name: "APIUserAbortError" })).status).toBe(
      "CANCELLED",
    );
    expect(classifyFailure(new DOMException("timed out", "TimeoutError")).status).toBe("TIMEOUT");
    expect(classifyFailure({ message: "odd" })).toEqual({ status: "ERROR", code: "unknown", message: "odd" });
  });
});

describe("exactly one row and one outcome per call", () => {
  const scenarios: [
    label: string,
    run: (log: LocalInteractionLog, marker: string) => Promise<string>,
    status: string,
  ][] = [
    [
      "success",
      async (log, marker) => (await log.begin(spec(marker))).succeed({ response: "ok", usage }).then(() => "done"),
      "SUCCESS",
    ],
    [
      "error",
      async (log, marker) => (await log.begin(spec(marker))).fail(new Error("boom")).then(() => "done"),
      "ERROR",
    ],
    [
      "timeout",
      async (log, marker) =>
        (await log.begin(spec(marker))).fail(new ProviderError("timeout", "t", true)).then(() => "done"),
      "TIMEOUT",
    ],
    [
      "cancel",
      async (log, marker) =>
        (await log.begin(spec(marker))).fail(new DOMException("aborted", "AbortError")).then(() => "done"),
      "CANCELLED",
    ],
    [
      "a throw in the caller, then cancelInFlight",
      async (log, marker) => {
        try {
          await log.begin(spec(marker));
          throw new Error("the caller crashed before finishing its handle");
        } catch {
          expect(log.inFlight()).toBe(1);
          expect(await log.cancelInFlight("request ended")).toBe(1);
          expect(log.inFlight()).toBe(0);
        }
        return "done";
      },
      "CANCELLED",
    ],
  ];

  it.each(scenarios)("%s", async (label, run, status) => {
    const marker = `once-${label}`;
    await run(newLog(), marker);
    const rows = await rowsOf(marker);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe(status);
  });

  it("ignores a second terminal call, whichever came first", async () => {
    const log = newLog();
    const a = await log.begin(spec("twice-a"));
    await a.succeed({ response: "first", responses: [{ content: "first" }], usage });
    await a.fail(new Error("too late"));
    await a.succeed({ response: "again", responses: [{ content: "again" }], usage });
    expect(await rowOf(a.id)).toMatchObject({ status: "SUCCESS", response: "first", error_code: null });
    expect((await responsesOf(a.id)).map((r) => r.content)).toEqual(["first"]);

    const b = await log.begin(spec("twice-b"));
    await b.fail(new ProviderError("timeout", "slow", true));
    await b.succeed({ response: "late", responses: [{ content: "late" }], usage });
    expect(await rowOf(b.id)).toMatchObject({ status: "TIMEOUT", response: null });
    expect(await responsesOf(b.id)).toEqual([]);
  });

  it("lets only one of two concurrent terminal calls write", async () => {
    const log = newLog();
    const handle = await log.begin(spec("concurrent"));
    await Promise.all([
      handle.succeed({ response: "won", usage }),
      handle.fail(new Error("lost")),
      log.cancelInFlight("shutdown"),
    ]);
    expect(await rowOf(handle.id)).toMatchObject({ status: "SUCCESS", response: "won" });
    expect(log.inFlight()).toBe(0);
  });

  it("cancelInFlight cancels every open call with the reason and ignores their late outcomes", async () => {
    const log = newLog();
    const handles = await Promise.all([
      log.begin(spec("shutdown")),
      log.begin(spec("shutdown")),
      log.begin(spec("shutdown")),
    ]);
    const finished = handles[0]!.succeed({ response: "made it", usage });
    expect(await log.cancelInFlight("server shutting down")).toBe(2);
    await finished;
    await handles[1]!.succeed({ response: "too late", usage });
    const rows = await rowsOf("shutdown");
    expect(rows.map((r) => r.status).sort()).toEqual(["CANCELLED", "CANCELLED", "SUCCESS"]);
    expect(
      rows
        .filter((r) => r.status === "CANCELLED")
        .every((r) => r.error_code === "in_flight_cancelled" && r.error_message === "server shutting down"),
    ).toBe(true);
    expect(await log.cancelInFlight("again")).toBe(0);
  });
});

describe("sessions (seed 002)", () => {
  it("creates a session that does not exist yet, and a second call for the same id does not fail", async () => {
    const log = newLog();
    const sessionId = randomUUID();
    const context = { userId, sessionId, ip: null, dataSource: "web" as const };
    const first = await log.begin(spec("new-session", { context }));
    const second = await log.begin(spec("new-session", { context }));
    await Promise.all([first.succeed({ response: "a", usage }), second.succeed({ response: "b", usage })]);
    const { rows } = await db.pool.query(`SELECT user_id, type::text AS type FROM sessions WHERE id = $1`, [sessionId]);
    expect(rows).toEqual([{ user_id: userId, type: "TEXT" }]);
    expect((await rowsOf("new-session")).map((r) => r.session_id)).toEqual([sessionId, sessionId]);
  });

  it("creates the session once when two calls for a new id begin at the same time", async () => {
    const log = newLog();
    const sessionId = randomUUID();
    const context = { userId, sessionId, ip: null, dataSource: "web" as const };
    const handles = await Promise.all([1, 2, 3].map(() => log.begin(spec("racing-session", { context }))));
    await Promise.all(handles.map((h) => h.succeed({ response: null, usage })));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM sessions WHERE id = $1`, [sessionId]);
    expect(rows[0].n).toBe(1);
    expect((await rowsOf("racing-session")).every((r) => r.session_id === sessionId)).toBe(true);
  });

  it("does not attach a call to someone else's session", async () => {
    const log = newLog();
    const sessionId = randomUUID();
    await db.pool.query(`INSERT INTO sessions (id, user_id, type, updated_at) VALUES ($1, $2, 'TEXT', now())`, [
      sessionId,
      otherUserId,
    ]);
    const handle = await log.begin(
      spec("foreign-session", { context: { userId, sessionId, ip: null, dataSource: "web" } }),
    );
    await handle.succeed({ response: null, usage });
    const row = await rowOf(handle.id);
    expect(row).toMatchObject({ status: "SUCCESS", session_id: null, user_id: userId });
    expect(row?.metadata).toMatchObject({ sessionNotAttached: { claimedId: sessionId, reason: "other_user" } });
  });
});

describe("masking", () => {
  const secretSpec = (marker: string) =>
    spec(marker, {
      promptText: "I'm jane@example.com, call +44 20 7946 0958",
      request: {
        marker,
        apiKey: "sk-live-secret-value-123456789",
        messages: [{ role: "user", content: "card 4111 1111 1111 1111" }],
      },
      fileMetadata: { name: "jane@example.com.png", bytes: 10 },
    });

  it("masks the stored prompt, request, response, responses and error", async () => {
    const log = newLog();
    const ok = await log.begin(secretSpec("masked"));
    await ok.succeed({
      response: { text: "Reach me at bob@example.org", headers: { authorization: "Bearer abcdef123456" } },
      responses: [{ content: "bob@example.org or 415-555-2671" }],
      usage,
    });
    const row = await rowOf(ok.id);
    expect(row?.prompt_text).toBe("I'm [email], call [phone]");
    expect(row?.request).toEqual({
      marker: "masked",
      apiKey: "[secret]",
      messages: [{ role: "user", content: "card [card]" }],
    });
    expect(row?.file_metadata).toEqual({ name: "[email]", bytes: 10 });
    expect(row?.response).toEqual({ text: "Reach me at [email]", headers: { authorization: "[secret]" } });
    expect((await responsesOf(ok.id)).map((r) => r.content)).toEqual(["[email] or [phone]"]);

    const failed = await log.begin(secretSpec("masked"));
    await failed.fail(new Error("rejected key sk-abcdefghijklmnopqrstuvwx for jane@example.com"));
    expect((await rowOf(failed.id))?.error_message).toBe("rejected key [secret] for [email]");
  });

  it("masks a chat prompt message by message as the whole text would be, without taking a role line for a secret", async () => {
    const log = newLog();
    const messages = [
      { role: "system", content: "You coach. Escalations go to help@example.com" },
      { role: "user", content: "My card is 4111 1111 1111 1111 and my password:" },
      { role: "assistant", content: "Never send a password here. Call +44 20 7946 0958 instead." },
    ];
    const promptText = chatPromptText(messages);
    // The request holds the same messages, as a chat call's does: it is stored masked just the same.
    const request = { model: "test-model", messages, stream: true };
    const handle = await log.begin(spec("chat-prompt", { promptText, promptMessages: messages, request }));
    const row = await rowOf(handle.id);
    expect(row?.prompt_text).toBe(
      "[system]\nYou coach. Escalations go to [email]\n\n" +
        "[user]\nMy card is [card] and my password:\n\n" +
        "[assistant]\nNever send a password here. Call [phone] instead.",
    );
    // The whole text, masked at once, reads the next message's role line as the password.
    expect(maskText(promptText)).toContain("password:\n\n[secret]");
    expect(row?.prompt_hash).toBe(promptHash(row?.prompt_text as string));
    expect(row?.request).toEqual(toLogJson(request));
    expect(row?.request).toEqual({
      model: "test-model",
      messages: [
        { role: "system", content: "You coach. Escalations go to [email]" },
        { role: "user", content: "My card is [card] and my password:" },
        { role: "assistant", content: "Never send a password here. Call [phone] instead." },
      ],
      stream: true,
    });
  });

  it("stores a chat prompt's messages that carry more than a role and a content as given, masked", async () => {
    const log = newLog();
    const messages = [{ role: "user", content: "Write to jane@example.com\u0000", name: "jane@example.com" }];
    const request = { model: "test-model", messages };
    const handle = await log.begin(
      spec("chat-prompt-extra", { promptText: chatPromptText(messages), promptMessages: messages, request }),
    );
    const row = await rowOf(handle.id);
    expect(row?.prompt_text).toBe("[user]\nWrite to [email]\uFFFD");
    expect(row?.request).toEqual({
      model: "test-model",
      messages: [{ role: "user", content: "Write to [email]\uFFFD", name: "[email]" }],
    });
  });

  it("masks the prompt as one text when the messages given are not what it was made of", async () => {
    const log = newLog();
    const promptText = "[user]\nWrite to jane@example.com";
    const handle = await log.begin(
      spec("chat-prompt-mismatch", { promptText, promptMessages: [{ role: "user", content: "something else" }] }),
    );
    expect((await rowOf(handle.id))?.prompt_text).toBe("[user]\nWrite to [email]");
  });

  it("stores the text as given when masking is off", async () => {
    const log = newLog({ masking: false });
    const handle = await log.begin(secretSpec("unmasked"));
    await handle.fail(new Error("for jane@example.com"));
    const row = await rowOf(handle.id);
    expect(row?.prompt_text).toBe("I'm jane@example.com, call +44 20 7946 0958");
    expect(row?.error_message).toBe("for jane@example.com");
  });
});

describe("prompt_hash", () => {
  it("is equal for prompts differing only in whitespace and case, and differs otherwise", async () => {
    const log = newLog();
    const prompts = [
      "Hello   Coach,\n how are YOU?",
      "  hello coach, how are you?  ",
      "HELLO\tCOACH,\r\nHOW ARE YOU?",
      "Hello coach, who are you?",
    ];
    const ids: string[] = [];
    for (const promptText of prompts) {
      const handle = await log.begin(spec("hashes", { promptText }));
      await handle.succeed({ response: null, usage });
      ids.push(handle.id);
    }
    const hashes = await Promise.all(ids.map(async (id) => (await rowOf(id))?.prompt_hash));
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashes[2]).toBe(hashes[0]);
    expect(hashes[3]).not.toBe(hashes[0]);
    expect(normalisePrompt("  A\u0301 \n b ")).toBe("\u00e1 b");
    const noPrompt = await log.begin(spec("hashes", { promptText: null }));
    await noPrompt.succeed({ response: null, usage });
    expect(await rowOf(noPrompt.id)).toMatchObject({ prompt_text: null, prompt_hash: null });
  });
});

describe("database blips", () => {
  const transient = () => Object.assign(new Error("Connection terminated unexpectedly"), { code: "ECONNRESET" });

  function flakyStore(failures: {
    begin?: number;
    finish?: number;
    permanent?: boolean;
  }): InteractionStore & { calls: { begin: number; finish: number } } {
    const calls = { begin: 0, finish: 0 };
    return {
      calls,
      async begin(database, row) {
        calls.begin++;
        if (calls.begin <= (failures.begin ?? 0)) throw transient();
        return beginAiInteraction(database, row);
      },
      async finish(database, id, finish: AiInteractionFinish) {
        calls.finish++;
        if (failures.permanent) throw new Error("permission denied for table ai_interactions");
        if (calls.finish <= (failures.finish ?? 0)) throw transient();
        return finishAiInteraction(database, id, finish);
      },
    };
  }

  it("retries a transient error on the terminal write, so the row does not stay PENDING", async () => {
    const store = flakyStore({ begin: 1, finish: 2 });
    const log = newLog({ store });
    const handle = await log.begin(spec("blip"));
    await handle.succeed({ response: "after a blip", usage });
    expect(store.calls).toEqual({ begin: 2, finish: 3 });
    expect(await rowOf(handle.id)).toMatchObject({ status: "SUCCESS", response: "after a blip" });
  });

  it("reports a write that keeps failing without throwing, and the sweep closes the row later", async () => {
    const reported: unknown[] = [];
    const log = createInteractionLog(db, {
      masking: true,
      onError: (error) => reported.push(error),
      store: flakyStore({ permanent: true }),
    });
    const handle = await log.begin(spec("stuck"));
    await expect(handle.succeed({ response: "lost?", usage })).resolves.toBeUndefined();
    expect(reported).toHaveLength(1);
    expect(log.inFlight()).toBe(0);
    expect((await rowOf(handle.id))?.status).toBe("PENDING");
    await db.pool.query(`UPDATE ai_interactions SET created_at = now() - interval '11 minutes' WHERE id = $1`, [
      handle.id,
    ]);
    expect(await sweepAbandonedInteractions(db)).toBeGreaterThanOrEqual(1);
    expect(await rowOf(handle.id)).toMatchObject({ status: "ABORTED", error_code: "process_ended" });
  });

  it("refuses the call when its row cannot be written at all", async () => {
    const log = newLog({ store: flakyStore({ begin: 99 }) });
    await expect(log.begin(spec("never-begun"))).rejects.toThrow(/could not record the call/);
    expect(log.inFlight()).toBe(0);
    expect(await rowsOf("never-begun")).toEqual([]);
  });
});

describe("sweepAbandonedInteractions", () => {
  it("marks rows left PENDING by a crashed process ABORTED and leaves this process's calls alone", async () => {
    const crashed = newLog();
    const stale = await crashed.begin(spec("sweep"));
    const recent = await crashed.begin(spec("sweep"));
    await db.pool.query(`UPDATE ai_interactions SET created_at = now() - interval '2 hours' WHERE id = $1`, [stale.id]);
    const live = newLog();
    const mine = await live.begin(spec("sweep"));
    await db.pool.query(`UPDATE ai_interactions SET created_at = now() - interval '2 hours' WHERE id = $1`, [mine.id]);

    expect(await sweepAbandonedInteractions(db, { log: live })).toBe(1);
    expect(await rowOf(stale.id)).toMatchObject({ status: "ABORTED", error_code: "process_ended" });
    expect((await rowOf(recent.id))?.status).toBe("PENDING");
    expect((await rowOf(mine.id))?.status).toBe("PENDING");

    expect(await sweepAbandonedInteractions(db, { log: live, allNotInFlight: true })).toBeGreaterThanOrEqual(1);
    expect((await rowOf(recent.id))?.status).toBe("ABORTED");
    expect((await rowOf(mine.id))?.status).toBe("PENDING");

    // The crashed process's handle, if it ever answers, reports the real outcome.
    await recent.succeed({ response: "late but real", usage });
    expect((await rowOf(recent.id))?.status).toBe("SUCCESS");
    await mine.succeed({ response: "mine", usage });
    expect((await rowOf(mine.id))?.status).toBe("SUCCESS");
  });
});
