// The Jobs page in Debian's Chromium against the built app on a real server whose embedded database already holds a
// failed job and a queued one (the product makes no job fail on purpose, so they are written through pg-boss into the
// data directory before the server starts): an operator signs in, sees the counts and both jobs, retries the failed
// one and cancels the queued one, each after a confirmation. Screenshots at desktop and phone widths.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import {
  launchChromium,
  type ProductServer,
  REPO_ROOT,
  saveScreenshot,
  startProductServer,
  type WatchedPage,
} from "@lockstep/e2e";
import type { TAdminAuditListPage } from "@lockstep/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInThroughForm } from "./http.ts";
import { query } from "./http.ts";

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = WatchedPage["page"];

const QUEUE = "e2e-probe";
const FAILURE = "the probe could not reach the printer";

// Runs inside packages/db (so "@lockstep/db" and its pg-boss resolve there), on the data directory the server will
// use: a queue with no retries, one job fetched and failed as a worker would, and one left waiting.
const SEED_JOBS = `
import { openDatabase, openJobQueue } from "@lockstep/db";
const db = await openDatabase({ pgliteDataDir: process.argv[1] + "/pglite" });
const queue = await openJobQueue(db, { schedule: false, supervise: false });
await queue.createQueue("${QUEUE}", { retryLimit: 0 });
const failedId = await queue.send("${QUEUE}", { kind: "probe", ip: "10.1.2.3" });
await queue.fetch("${QUEUE}");
await queue.fail("${QUEUE}", failedId, { message: "${FAILURE}" });
const queuedId = await queue.send("${QUEUE}", { kind: "probe" });
await queue.stop({ graceful: false, close: true });
await db.close();
console.log(JSON.stringify({ failedId, queuedId }));
`;

let browser: Browser;
let model: FakeOpenAiServer;
let server: ProductServer;
let dataDir: string;
let failedId: string;
let queuedId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "lockstep-e2e-jobs-"));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", SEED_JOBS, dataDir],
    { cwd: path.join(REPO_ROOT, "packages/db") },
  );
  ({ failedId, queuedId } = JSON.parse(stdout.trim().split("\n").at(-1)!) as { failedId: string; queuedId: string });
  // The server embeds its seeded knowledge on start, so it needs a model even though this test calls none.
  model = await startFakeOpenAiServer({ reply: "unused" });
  server = await startProductServer({
    env: {
      LOCKSTEP_DATA_DIR: dataDir,
      OPENAI_BASE_URL: model.baseURL,
      OPENAI_API_KEY: "e2e-key",
      OPENAI_CHAT_MODEL: "stub-chat",
      OPENAI_EMBEDDING_MODEL: "stub-embedding",
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await model?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function jobRow(page: Page, id: string) {
  return page.locator(`tr[data-job-id="${id}"]`);
}

async function countOf(page: Page, state: string): Promise<string | null> {
  return page.locator(`[data-job-count="${state}"] p`).nth(1).textContent();
}

describe("jobs page", () => {
  it("shows the counts and jobs, retries the failed job and cancels the queued one", async () => {
    const { page, errors } = await signInThroughForm(browser, server.baseUrl);
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("heading", { name: "Jobs" }).waitFor();

    const failed = jobRow(page, failedId);
    await failed.waitFor();
    await expect.poll(() => failed.getAttribute("data-job-state")).toBe("failed");
    expect(await failed.textContent()).toContain(FAILURE);
    expect(await failed.textContent()).toContain(QUEUE);
    expect(await jobRow(page, queuedId).getAttribute("data-job-state")).toBe("queued");
    await expect.poll(() => countOf(page, "failed")).toBe("1");
    expect(await page.content()).not.toContain("10.1.2.3");

    // The state tabs narrow the table to one state, in the address bar.
    await page.getByRole("tab", { name: /^Failed/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("state")).toBe("failed");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    await saveScreenshot(page, "admin-jobs");

    await failed.getByRole("button", { name: "Retry" }).click();
    await failed.getByRole("button", { name: "Yes, retry" }).click();
    await page.getByText(`Job ${failedId.slice(0, 8)} retried: it is retrying now.`).waitFor();
    await page.getByRole("tab", { name: /^All/ }).click();
    await expect.poll(() => jobRow(page, failedId).getAttribute("data-job-state")).toBe("retrying");
    await expect.poll(() => countOf(page, "failed")).toBe("0");

    const queued = jobRow(page, queuedId);
    await queued.getByRole("button", { name: "Cancel" }).click();
    await queued.getByRole("button", { name: "Yes, cancel job" }).click();
    await expect.poll(() => queued.getAttribute("data-job-state")).toBe("cancelled");
    await saveScreenshot(page, "admin-jobs-after-actions");

    // Both changes are in the audit log, as the operator who made them, with the job's states before and after.
    const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
    const operator = { email: "admin@lockstep.local", password: "", cookie };
    for (const [action, id, before, after] of [
      ["admin.jobs.retry", failedId, "failed", "retrying"],
      ["admin.jobs.cancel", queuedId, "queued", "cancelled"],
    ] as const) {
      const audit = await query<TAdminAuditListPage>(server.baseUrl, operator, "admin.audit.list", {
        action,
        entityId: id,
      });
      expect(audit.items, action).toHaveLength(1);
      expect(audit.items[0], action).toMatchObject({
        entityType: "job",
        before: { state: before },
        after: { state: after },
      });
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("heading", { name: "Jobs" }).waitFor();
    await saveScreenshot(page, "admin-jobs-narrow");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
