// The upkeep that closes replies nothing will write any more: a message still owed a reply, with no
// job left that could produce it (its last attempt died with its process), turns FAILED so the
// person sees Retry; one whose job is still queued is left alone, and so is a fresh one.
import { randomUUID } from "node:crypto";
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, type TestPerson } from "../../test/testing/callers.ts";
import { MAINTENANCE_TASKS } from "./maintenance.ts";
import { enqueueReply } from "./session-work-queue.ts";
import { prepareQueues } from "./worker.ts";

let db: TestDatabase;
let queue: JobQueue;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = await openJobQueue(db, { schedule: false, supervise: false });
  await prepareQueues(queue);
}, 120_000);

afterAll(async () => {
  await queue?.stop({ graceful: false });
  await db?.close();
});

async function owedMessage(sessionId: string, person: TestPerson, ageMs: number) {
  const message = await person.caller.message.send({ sessionId, text: "still there?" });
  await db.pool.query(
    `UPDATE messages SET reply_status = 'PENDING', created_at = now() - ($2 || ' milliseconds')::interval WHERE id = $1`,
    [message.id, String(ageMs)],
  );
  return message.id;
}

async function replyStateOf(id: string) {
  const { rows } = await db.pool.query<{ reply_status: string | null; reply_error: string | null }>(
    "SELECT reply_status::text, reply_error FROM messages WHERE id = $1",
    [id],
  );
  return rows[0];
}

describe("reply-sweep", () => {
  it("fails an old owed reply with no job, and leaves one with a queued job and a fresh one alone", async () => {
    const person = await createPerson(db);
    // Each in its own session: a session is owed one reply at a time.
    const [first, second, third] = await Promise.all(
      [1, 2, 3].map(() => person.caller.session.create({ type: "text" })),
    );
    const abandoned = await owedMessage(first!.id, person, 10 * 60_000);
    const queued = await owedMessage(second!.id, person, 10 * 60_000);
    const fresh = await owedMessage(third!.id, person, 0);
    await enqueueReply(queue, {
      userId: person.id,
      sessionId: second!.id,
      messageId: queued,
      requestId: randomUUID(),
      ip: null,
    });

    const sweep = MAINTENANCE_TASKS.find((task) => task.name === "reply-sweep");
    expect(sweep).toBeDefined();
    expect(await sweep!.run({ db })).toBe(1);

    expect(await replyStateOf(abandoned)).toEqual({
      reply_status: "FAILED",
      reply_error: "The reply was interrupted. Try again.",
    });
    expect(await replyStateOf(queued)).toEqual({ reply_status: "PENDING", reply_error: null });
    expect(await replyStateOf(fresh)).toEqual({ reply_status: "PENDING", reply_error: null });
  });
});
