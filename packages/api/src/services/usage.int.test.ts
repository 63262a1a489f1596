// Budgets through the API on a real database (PGlite, and PostgreSQL with DATABASE_URL): 50
// concurrent sends against a limit of 10 calls store and answer at most 10, the rest are refused with
// USAGE_LIMIT_REACHED naming the limit, what is used and when it resets; a person's own limit wins
// over their role's; the soft threshold records an alert; a person sees their usage and limits.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backgroundTasks } from "./ai-flows.ts";
import { callerFor, createPerson, errorOf, insertUser, type TestUser } from "../../test/testing/callers.ts";
import { fakeRuntime, persistCallRow } from "../../test/testing/fake-ai.ts";
import { AppError } from "../errors.ts";
import {
  callerWithAi,
  insertCharacter,
  fakeProvider as memoryProvider,
  recordingLog,
  testAiRuntime,
} from "../../test/testing/characters.ts";

let db: TestDatabase;
let admin: TestUser;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await insertUser(db, { name: "Budget Operator", role: "admin" });
});
afterAll(async () => {
  await backgroundTasks.settle(10_000);
  await db?.close();
});

describe("usage limits", () => {
  it("lets at most 10 of 50 concurrent sends through a limit of 10 calls a day", async () => {
    const { runtime } = fakeRuntime({}, persistCallRow(db.pool));
    const person = await createPerson(db, { ai: runtime });
    const operator = callerFor(db, admin);
    await operator.admin.usage.saveLimit({ userId: person.id, period: "daily", metric: "calls", amount: 10 });
    // One session per send: a session has one reply at a time, and the limit counts across sessions.
    // Named, so no title is asked for after a reply (a title is a model call of its own, counted too).
    const sessions = await Promise.all(
      Array.from({ length: 50 }, (_, i) => person.caller.session.create({ type: "text", name: `Session ${i}` })),
    );

    const outcomes = await Promise.allSettled(
      sessions.map((session, i) =>
        person.caller.message.send({ sessionId: session.id, text: `message ${i}`, reply: true }),
      ),
    );
    await backgroundTasks.settle(10_000);
    const sent = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as { cause?: unknown }] : []));
    expect(sent).toHaveLength(10);
    expect(refused).toHaveLength(40);
    const cause = refused[0]!.cause;
    expect(cause).toBeInstanceOf(AppError);
    expect((cause as AppError).code).toBe("USAGE_LIMIT_REACHED");
    expect((cause as AppError).details).toMatchObject({ period: "daily", metric: "calls", amount: 10, used: 10 });
    expect((cause as AppError).message).toMatch(/daily limit of 10 calls is used up \(10 used\); it resets at/);

    // Refused sends left nothing behind: only the ten sent messages exist, and the counter says 10.
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE user_id = $1 AND author = 'USER'`,
      [person.id],
    );
    expect(rows[0]!.n).toBe(10);
    const counter = await db.pool.query<{ calls: number }>(`SELECT calls FROM usage_counters WHERE user_id = $1`, [
      person.id,
    ]);
    expect(counter.rows[0]!.calls).toBe(10);

    // The soft threshold (80%) and the refusal are both alerts the operator sees.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const alerts = await operator.admin.usage.alerts();
    const mine = alerts.filter((a) => a.userId === person.id);
    expect(mine.map((a) => a.level).sort()).toEqual(["hard", "soft"]);

    const usage = await person.caller.usage.mine({ days: 7 });
    expect(usage.limits).toEqual([expect.objectContaining({ period: "daily", metric: "calls", amount: 10, used: 10 })]);
  });

  it("applies the role's limit unless the person has their own", async () => {
    const { runtime } = fakeRuntime({}, persistCallRow(db.pool));
    const limited = await createPerson(db, { ai: runtime });
    const raised = await createPerson(db, { ai: runtime });
    const operator = callerFor(db, admin);
    const roleLimit = await operator.admin.usage.saveLimit({
      role: "user",
      period: "monthly",
      metric: "calls",
      amount: 1,
    });
    // Three replies and the title asked for after the first: four calls.
    await operator.admin.usage.saveLimit({ userId: raised.id, period: "monthly", metric: "calls", amount: 4 });
    try {
      const a = await limited.caller.session.create({ type: "text" });
      const b = await raised.caller.session.create({ type: "text" });
      await limited.caller.message.send({ sessionId: a.id, text: "one", reply: true });
      // Each next send waits for the reply before it: a session has one reply at a time.
      await backgroundTasks.settle(10_000);
      const refused = await errorOf(limited.caller.message.send({ sessionId: a.id, text: "two", reply: true }));
      expect(refused.code).toBe("TOO_MANY_REQUESTS");
      for (const text of ["one", "two", "three"]) {
        await raised.caller.message.send({ sessionId: b.id, text, reply: true });
        await backgroundTasks.settle(10_000);
      }
      // Sends that ask for no reply make no model call and are never counted.
      await limited.caller.message.send({ sessionId: a.id, text: "a note", reply: false });
    } finally {
      await backgroundTasks.settle(10_000);
      await operator.admin.usage.deleteLimit({ id: roleLimit.id });
    }
  });

  it("refuses a limit with neither or both of a role and a person, naming the field", async () => {
    const operator = callerFor(db, admin);
    const neither = await errorOf(operator.admin.usage.saveLimit({ period: "daily", metric: "calls", amount: 1 }));
    expect(neither.code).toBe("BAD_REQUEST");
    expect(neither.message).toContain("role");
  });
});

describe("every model call a person causes is counted", () => {
  async function limited(amount: number, script: Parameters<typeof fakeRuntime>[0] = {}) {
    const fake = fakeRuntime(script, persistCallRow(db.pool));
    const person = await createPerson(db, { ai: fake.runtime });
    await callerFor(db, admin).admin.usage.saveLimit({ userId: person.id, period: "daily", metric: "calls", amount });
    return { person, ...fake };
  }
  const calls = async (userId: string) =>
    (await db.pool.query<{ calls: number }>(`SELECT calls FROM usage_counters WHERE user_id = $1`, [userId])).rows[0]
      ?.calls ?? 0;
  const expectRefused = (error: { code: string; cause: unknown }, used: number) => {
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect((error.cause as AppError).code).toBe("USAGE_LIMIT_REACHED");
    expect((error.cause as AppError).details).toMatchObject({ period: "daily", metric: "calls", used });
    expect((error.cause as AppError).message).toMatch(/daily limit of \d+ calls is used up/);
  };

  it("counts a session's title, and past the limit reads it as the built-in coach does, without a call", async () => {
    const { person, log } = await limited(2);
    const first = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({ sessionId: first.id, text: "Hello there, my week was long", reply: true });
    await backgroundTasks.settle(10_000);
    expect((await person.caller.session.get({ id: first.id })).name).toBe("Their long week");
    expect(await calls(person.id)).toBe(2);

    // The limit is used up: no title call is made, the built-in coach's reading of the topic names it.
    await db.pool.query(`UPDATE usage_limits SET amount = 3 WHERE user_id = $1`, [person.id]);
    const second = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({ sessionId: second.id, text: "Dinner plans for Friday night", reply: true });
    await backgroundTasks.settle(10_000);
    expect((await person.caller.session.get({ id: second.id })).name).toBe("Dinner on Friday night");
    expect(await calls(person.id)).toBe(3);
    expect(log.calls.filter((c) => c.spec.operation === "title")).toHaveLength(1);
  });

  it("refuses a regenerate and an edit past the limit, and the conversation stays as it was", async () => {
    const { person } = await limited(1);
    const session = await person.caller.session.create({ type: "text", name: "Named" });
    const mine = await person.caller.message.send({ sessionId: session.id, text: "What should I say?", reply: true });
    await backgroundTasks.settle(10_000);
    const before = await person.caller.message.list({ sessionId: session.id });
    const reply = before.items.find((m) => m.author === "ai");
    expect(reply).toBeDefined();

    expectRefused(await errorOf(person.caller.message.regenerate({ messageId: reply!.id })), 1);
    expectRefused(await errorOf(person.caller.message.edit({ messageId: mine.id, text: "Another try" })), 1);
    const after = await person.caller.message.list({ sessionId: session.id });
    expect(after.items.map((m) => [m.id, m.text])).toEqual(before.items.map((m) => [m.id, m.text]));
    const { rows } = await db.pool.query<{ reply_status: string | null }>(
      `SELECT reply_status::text FROM messages WHERE id = $1`,
      [mine.id],
    );
    expect(rows[0]!.reply_status).toBeNull();
    expect(await calls(person.id)).toBe(1);
  });

  it("refuses a retry of a failed reply past the limit and leaves it failed; within it, counts it", async () => {
    const { person, provider } = await limited(1, { failReply: true });
    const session = await person.caller.session.create({ type: "text", name: "Named" });
    const mine = await person.caller.message.send({ sessionId: session.id, text: "Hello?", reply: true });
    await backgroundTasks.settle(10_000);
    const status = async () =>
      (
        await db.pool.query<{ reply_status: string | null }>(`SELECT reply_status::text FROM messages WHERE id = $1`, [
          mine.id,
        ])
      ).rows[0]!.reply_status;
    expect(await status()).toBe("FAILED");

    expectRefused(await errorOf(person.caller.message.retryReply({ messageId: mine.id })), 1);
    expect(await status()).toBe("FAILED");

    provider.script.failReply = false;
    await db.pool.query(`UPDATE usage_limits SET amount = 2 WHERE user_id = $1`, [person.id]);
    await person.caller.message.retryReply({ messageId: mine.id });
    await backgroundTasks.settle(10_000);
    expect(await status()).toBeNull();
    expect(await calls(person.id)).toBe(2);
  });

  it("counts an analysis, and refuses one past the limit before the session moves", async () => {
    const { person, log } = await limited(1);
    const session = await person.caller.session.create({ type: "text", name: "Named" });
    await person.caller.message.send({ sessionId: session.id, text: "hey", author: "contact" });
    await person.caller.session.analyze({ id: session.id });
    expect(await calls(person.id)).toBe(1);

    expectRefused(await errorOf(person.caller.session.analyze({ id: session.id })), 1);
    expect((await person.caller.session.get({ id: session.id })).status).toBe("pending_user_input");
    expect(log.calls.filter((c) => c.spec.operation === "suggest")).toHaveLength(1);

    // A session that is not there is refused as such, and not counted.
    await db.pool.query(`UPDATE usage_limits SET amount = 5 WHERE user_id = $1`, [person.id]);
    const missing = await errorOf(person.caller.session.analyze({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(await calls(person.id)).toBe(1);
  });

  it("counts memory extraction at a session's end, and past the limit ends it without the call", async () => {
    const character = await insertCharacter(db, { name: "Budget Maya" });
    const person = await createPerson(db);
    const provider = memoryProvider();
    const log = recordingLog();
    const caller = callerWithAi(db, person, testAiRuntime(provider, log));
    await callerFor(db, admin).admin.usage.saveLimit({
      userId: person.id,
      period: "daily",
      metric: "calls",
      amount: 1,
    });
    const first = await caller.session.start({ characterId: character.id });
    await caller.message.send({ sessionId: first.session.id, text: "I love hiking" });
    await caller.session.end({ id: first.session.id });
    expect(log.calls.filter((c) => c.spec.operation === "memory")).toHaveLength(1);
    expect(await calls(person.id)).toBe(1);

    const second = await caller.session.start({ characterId: character.id, fresh: true });
    await caller.message.send({ sessionId: second.session.id, text: "I love museums too" });
    const ended = await caller.session.end({ id: second.session.id });
    expect(ended.endedAt).not.toBeNull();
    expect(log.calls.filter((c) => c.spec.operation === "memory")).toHaveLength(1);
    expect(await calls(person.id)).toBe(1);
  });
});
