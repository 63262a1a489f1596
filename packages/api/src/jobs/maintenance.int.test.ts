// Periodic work on the queue: every process may run the cron pass and a worker, yet each tick of a
// schedule runs once. Two queue instances stand for two processes (on PostgreSQL, where two
// processes can share the database; skipped without DATABASE_URL). Waits for one real minute tick.
import { type JobQueue, openJobQueue } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAINTENANCE_TASKS, type MaintenanceTask, scheduleMaintenance, startMaintenanceWorker } from "./maintenance.ts";

const skip = !process.env.DATABASE_URL;

describe.skipIf(skip)(`schedules shared by two processes${skip ? " (skipped: DATABASE_URL is not set)" : ""}`, () => {
  let db: TestDatabase;
  const queues: JobQueue[] = [];
  const runs: { process: number; at: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.stop({ graceful: false, close: true })));
    await db?.close();
  });

  it("registers every maintenance schedule", async () => {
    const queue = await openJobQueue(db, { schedule: false, supervise: false });
    queues.push(queue);
    await scheduleMaintenance(queue);
    const schedules = await queue.getSchedules();
    expect(schedules.map((schedule) => schedule.name).sort()).toEqual(
      MAINTENANCE_TASKS.map((task) => task.name).sort(),
    );
  });

  it(
    "a schedule every minute runs once per tick with two processes running the cron pass and a worker",
    { timeout: 150_000 },
    async () => {
      for (const process of [1, 2]) {
        const task: MaintenanceTask = {
          name: "test-every-minute",
          cron: "* * * * *",
          run: async () => {
            runs.push({ process, at: Date.now() });
          },
        };
        const queue = await openJobQueue(db, { schedule: true, supervise: true });
        queues.push(queue);
        await scheduleMaintenance(queue, [task]);
        await startMaintenanceWorker(queue, { db }, [task]);
      }
      // The first tick, then long enough for both processes' cron passes (every 5 s) to have seen it.
      const deadline = Date.now() + 120_000;
      while (runs.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(runs.length).toBe(1);
      const first = runs[0]!.at;
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      const sameMinute = runs.filter((run) => Math.floor(run.at / 60_000) === Math.floor(first / 60_000));
      expect(sameMinute).toHaveLength(1);
    },
  );
});
