// memory.* and extraction at session.end on a real database: memory recall across sessions
// (docs/decisions/0003), what extraction logs, dedupe and the per-session cap, failures that
// leave the session ended, no transaction held across the model call, and cross-user refusals.
import { randomUUID } from "node:crypto";
import { type TMemoryDto } from "@lockstep/contracts";
import { memoriesForPrompt, withUser } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "../context.ts";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";
import {
  callerWithAi,
  type FakeProvider,
  fakeProvider,
  insertCharacter,
  type RecordingLog,
  recordingLog,
  type TestCharacter,
  testAiRuntime,
} from "../../test/testing/characters.ts";

let db: TestDatabase;
let maya: TestCharacter;
let provider: FakeProvider;
let log: RecordingLog;

beforeAll(async () => {
  db = await createTestDatabase();
  maya = await insertCharacter(db, { name: "Maya", templates: [{ title: "First date" }, { title: "Second date" }] });
});
afterAll(async () => {
  await db.close();
});
beforeEach(() => {
  provider = fakeProvider();
  log = recordingLog();
});

/** A person whose caller carries the AI runtime of this test. */
async function personWithAi(): Promise<TestPerson & { ai: ReturnType<typeof callerWithAi> }> {
  const person = await createPerson(db);
  const user: SessionUser = {
    id: person.id,
    email: person.email,
    name: person.name,
    role: person.role,
    authSessionId: null,
  };
  return { ...person, ai: callerWithAi(db, user, testAiRuntime(provider, log)) };
}

async function allMemories(caller: ReturnType<typeof callerWithAi>, characterId: string): Promise<TMemoryDto[]> {
  const items: TMemoryDto[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: TMemoryDto[]; nextCursor: string | null } = await caller.memory.list({
      characterId,
      cursor,
      limit: 100,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const promptMemories = (userId: string, characterId: string, limit = 10) =>
  withUser(db, userId, (tx) => memoriesForPrompt(tx, userId, characterId, limit));

describe("seed 001 functional test 5: memory recall", () => {
  it("remembers what the person said when the session ends, recalls it in a later session, and forgets it on request", async () => {
    const alice = await personWithAi();
    const first = await alice.ai.session.start({ characterId: maya.id, episodeTemplateId: maya.templates[0]!.id });
    await alice.ai.message.send({
      sessionId: first.session.id,
      text: "Hi Maya, quick question about my date on Friday",
    });
    const hiking = await alice.ai.message.send({
      sessionId: first.session.id,
      text: "I love hiking, so I thought of a trail walk",
    });
    await alice.ai.message.send({ sessionId: first.session.id, text: "She said: I love museums", author: "contact" });
    // The coach's own words are not something the person said about themselves.
    await db.pool.query(
      `INSERT INTO messages (session_id, user_id, text, author, updated_at) VALUES ($1, $2, 'I love helping you', 'AI', now())`,
      [first.session.id, alice.id],
    );
    expect(await allMemories(alice.ai, maya.id)).toEqual([]);

    await alice.ai.session.end({ id: first.session.id });

    const memories = await allMemories(alice.ai, maya.id);
    expect(memories).toEqual([
      {
        id: expect.any(String),
        characterId: maya.id,
        sessionId: first.session.id,
        messageId: hiking.id,
        kind: "preference",
        content: "Loves hiking",
        importance: 1,
        createdAt: expect.any(Number),
      },
    ]);

    // What the provider was asked: the person's and the contact's lines, numbered, under the "memories" schema.
    expect(provider.structuredCalls).toHaveLength(1);
    const request = provider.structuredCalls[0]!;
    expect(request.schemaName).toBe("memories");
    expect(request.context?.conversation).toEqual([
      { author: "user", text: "Hi Maya, quick question about my date on Friday" },
      { author: "user", text: "I love hiking, so I thought of a trail walk" },
      { author: "contact", text: "She said: I love museums" },
    ]);
    expect(request.context?.characterName).toBe("Maya");
    expect(request.messages.at(-1)!.content).toContain("[1] Me: I love hiking");
    expect(request.messages.at(-1)!.content).toContain("[2] Them: She said: I love museums");

    // Logged as one `memory` interaction, begun and completed.
    expect(log.calls).toHaveLength(1);
    const call = log.calls[0]!;
    expect(call.spec).toMatchObject({
      operation: "memory",
      provider: { name: "test-provider", kind: "builtin", baseUrl: null },
      model: "test-chat",
      context: { userId: alice.id, sessionId: first.session.id, ip: "127.0.0.1", dataSource: "web" },
    });
    expect(call.spec.promptText).toContain("I love hiking");
    expect(call.outcome).toMatchObject({
      status: "success",
      value: {
        usage: { inputTokens: 10, outputTokens: 5 },
        metadata: { proposed: 1, stored: 1, duplicates: 0, rejected: 0 },
      },
    });

    // A later session with the same character has it for its prompt.
    const later = await alice.ai.session.start({ characterId: maya.id, episodeTemplateId: maya.templates[1]!.id });
    expect(later.resumed).toBe(false);
    expect(await promptMemories(alice.id, maya.id)).toEqual(["Loves hiking"]);
    // Only with that character, and only for that person.
    const other = await insertCharacter(db);
    expect(await promptMemories(alice.id, other.id)).toEqual([]);
    const bob = await personWithAi();
    expect(await promptMemories(bob.id, maya.id)).toEqual([]);
    expect(await allMemories(bob.ai, maya.id)).toEqual([]);

    // Someone else cannot delete it; the person can, and then it is gone everywhere.
    const memoryId = memories[0]!.id;
    expect((await errorOf(bob.ai.memory.delete({ id: memoryId }))).code).toBe("NOT_FOUND");
    expect(await alice.ai.memory.delete({ id: memoryId })).toEqual({ id: memoryId, deleted: true });
    expect(await allMemories(alice.ai, maya.id)).toEqual([]);
    expect(await promptMemories(alice.id, maya.id)).toEqual([]);
    expect((await errorOf(alice.ai.memory.delete({ id: memoryId }))).code).toBe("NOT_FOUND");
    expect((await errorOf(alice.ai.memory.delete({ id: randomUUID() }))).code).toBe("NOT_FOUND");
  });
});

describe("extraction at session.end", () => {
  it("skips what is already remembered (case-insensitively) and keeps at most five per session", async () => {
    const person = await personWithAi();
    const first = await person.ai.session.start({ characterId: maya.id });
    await person.ai.message.send({ sessionId: first.session.id, text: "I love tea" });
    await person.ai.session.end({ id: first.session.id });

    const second = await person.ai.session.start({ characterId: maya.id });
    expect(second.resumed).toBe(false);
    for (const text of [
      "I LOVE   TEA",
      "I love chess",
      "I love Chess",
      "I love jazz",
      "I love rowing",
      "I love maps",
      "I love figs",
      "I love kites",
    ]) {
      await person.ai.message.send({ sessionId: second.session.id, text });
    }
    await person.ai.session.end({ id: second.session.id });

    const contents = (await allMemories(person.ai, maya.id)).map((memory) => memory.content).sort();
    expect(contents).toEqual(
      ["Loves chess", "Loves figs", "Loves jazz", "Loves maps", "Loves rowing", "Loves tea"].sort(),
    );
    expect(log.calls[1]!.outcome).toMatchObject({
      status: "success",
      value: { metadata: { proposed: 8, stored: 5, duplicates: 2 } },
    });
    // The prompt gets them bounded by the limit asked for.
    expect(await promptMemories(person.id, maya.id, 3)).toHaveLength(3);
  });

  it("keeps a memory whose source line does not exist, without a message", async () => {
    const person = await personWithAi();
    provider.answer = () => ({ memories: [{ kind: "fact", content: "Works as a nurse", sourceIndex: 99 }] });
    const started = await person.ai.session.start({ characterId: maya.id });
    await person.ai.message.send({ sessionId: started.session.id, text: "long shift at the hospital today" });
    await person.ai.session.end({ id: started.session.id });
    expect(await allMemories(person.ai, maya.id)).toMatchObject([
      { kind: "fact", content: "Works as a nurse", messageId: null, sessionId: started.session.id },
    ]);
  });

  it("holds no transaction open while the model is called", async () => {
    const person = await personWithAi();
    let checked = false;
    provider.during = async () => {
      // PGlite has one connection: if extraction held a transaction, this query could not run at all.
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("the database is held by a transaction")), 3000),
      );
      await Promise.race([db.pool.query("SELECT 1"), timeout]);
      if (db.runtime === "postgres") {
        const { rows } = await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        );
        expect(rows[0]!.n).toBe(0);
      }
      checked = true;
    };
    const started = await person.ai.session.start({ characterId: maya.id });
    await person.ai.message.send({ sessionId: started.session.id, text: "I love sailing" });
    await person.ai.session.end({ id: started.session.id });
    expect(checked).toBe(true);
    expect((await allMemories(person.ai, maya.id)).map((memory) => memory.content)).toEqual(["Loves sailing"]);
  });

  it("still ends the session when the provider fails, and logs the failure", async () => {
    const person = await personWithAi();
    provider.failWith = new Error("upstream is down");
    const started = await person.ai.session.start({ characterId: maya.id });
    await person.ai.message.send({ sessionId: started.session.id, text: "I love climbing" });
    const ended = await person.ai.session.end({ id: started.session.id });
    expect(ended.endedAt).not.toBeNull();
    expect((await person.ai.engagement.get({ characterId: maya.id })).totalSessions).toBe(1);
    expect(await allMemories(person.ai, maya.id)).toEqual([]);
    expect(log.calls).toHaveLength(1);
    expect(log.calls[0]!.outcome).toMatchObject({ status: "error", error: { message: "upstream is down" } });

    // A reply that does not match the schema is a failure too, never half-stored.
    provider.failWith = null;
    provider.answer = () => ({ memories: [{ kind: "mood", content: "grumpy", sourceIndex: 0 }] });
    const next = await person.ai.session.start({ characterId: maya.id });
    await person.ai.message.send({ sessionId: next.session.id, text: "ugh" });
    await person.ai.session.end({ id: next.session.id });
    expect(log.calls[1]!.outcome?.status).toBe("error");
    expect(await allMemories(person.ai, maya.id)).toEqual([]);
  });

  it("extracts once per session, never for a session with nothing said, and not without an AI runtime", async () => {
    const person = await personWithAi();
    const silent = await person.ai.session.start({ characterId: maya.id });
    await person.ai.session.end({ id: silent.session.id });
    expect(provider.structuredCalls).toHaveLength(0);
    expect(log.calls).toHaveLength(0);

    const talked = await person.ai.session.start({ characterId: maya.id });
    await person.ai.message.send({ sessionId: talked.session.id, text: "I love poetry" });
    await person.ai.session.end({ id: talked.session.id });
    await person.ai.session.end({ id: talked.session.id });
    expect(provider.structuredCalls).toHaveLength(1);

    // Sessions without a character have nobody to remember for.
    const plain = await person.ai.session.create({ type: "text" });
    await person.ai.message.send({ sessionId: plain.id, text: "I love nothing in particular" });
    await person.ai.session.end({ id: plain.id });
    expect(provider.structuredCalls).toHaveLength(1);

    // The plain caller has no AI runtime: the session ends, nothing is extracted.
    const next = await person.caller.session.start({ characterId: maya.id });
    await person.caller.message.send({ sessionId: next.session.id, text: "I love opera" });
    const ended = await person.caller.session.end({ id: next.session.id });
    expect(ended.endedAt).not.toBeNull();
    expect(provider.structuredCalls).toHaveLength(1);
    expect((await allMemories(person.ai, maya.id)).map((memory) => memory.content)).toEqual(["Loves poetry"]);
  });

  it("stores a memory once when two sessions saying it end at the same time", async () => {
    const person = await personWithAi();
    const sessions = [];
    for (let i = 0; i < 3; i++) {
      const session = await person.ai.session.create({ type: "text", characterId: maya.id });
      await person.ai.message.send({ sessionId: session.id, text: "I love tea" });
      sessions.push(session);
    }
    // Every extraction waits for the others before answering, so their writes really do race.
    let arrived = 0;
    let release: () => void = () => {};
    const allThere = new Promise<void>((resolve) => (release = resolve));
    provider.during = async () => {
      arrived += 1;
      if (arrived === sessions.length) release();
      await Promise.race([allThere, new Promise((resolve) => setTimeout(resolve, 5000))]);
    };
    await Promise.all(sessions.map((session) => person.ai.session.end({ id: session.id })));
    expect(arrived).toBe(3);
    expect((await allMemories(person.ai, maya.id)).map((memory) => memory.content)).toEqual(["Loves tea"]);
  });
});

describe("memory.list", () => {
  it("pages newest first and refuses strangers", async () => {
    const person = await personWithAi();
    const started = await person.ai.session.start({ characterId: maya.id });
    for (const text of ["I love red", "I love green", "I love blue"])
      await person.ai.message.send({ sessionId: started.session.id, text });
    await person.ai.session.end({ id: started.session.id });

    const first = await person.ai.memory.list({ characterId: maya.id, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await person.ai.memory.list({ characterId: maya.id, limit: 2, cursor: first.nextCursor });
    expect(second).toMatchObject({ nextCursor: null });
    const all = [...first.items, ...second.items];
    expect(all.map((memory) => memory.content).sort()).toEqual(["Loves blue", "Loves green", "Loves red"]);
    const keys = all.map((memory) => [memory.createdAt, memory.id] as const);
    expect(keys).toEqual([...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1)));

    const anonymous = callerWithAi(db, null, undefined);
    expect((await errorOf(anonymous.memory.list({ characterId: maya.id }))).code).toBe("UNAUTHORIZED");
    expect((await errorOf(anonymous.memory.delete({ id: all[0]!.id }))).code).toBe("UNAUTHORIZED");
    expect((await errorOf(person.ai.memory.list({ characterId: "maya" }))).code).toBe("BAD_REQUEST");
  });
});
