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
    const sessions = await Promise.all(
      Array.from({ length: 50 }, () => person.caller.session.create({ type: "text" })),
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
    await operator.admin.usage.saveLimit({ userId: raised.id, period: "monthly", metric: "calls", amount: 3 });
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
