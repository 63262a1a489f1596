// The admin console in Debian's Chromium against the built app on the real server: who may use it,
// the interaction log (filter to one model's errors, open one, export exactly those rows), knowledge
// ingestion that refuses a bad file and takes the fixed one, disabling a person, and the audit log
// recording each of those actions. Each test leaves a screenshot of its last screen.
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TAdminAuditListPage, TAdminInteractionListPage, TAdminKnowledgeChunk, TPage } from "@lockstep/contracts";
import { launchChromium, openPage, saveScreenshot, type WatchedPage } from "@lockstep/e2e";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Account, adminBrowserPage, query, signInStatus, signUp } from "./http.ts";

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = WatchedPage["page"];
type TAdminKnowledgeListPage = TPage<TAdminKnowledgeChunk>;

const baseUrl = inject("baseUrl");
const chatModel = inject("chatModel");
const ADMIN = { email: "admin@lockstep.local", password: "lockstep-admin" };

let browser: Browser;
let admin: Account;

beforeAll(async () => {
  browser = await launchChromium();
  admin = { ...ADMIN, cookie: inject("adminCookie") };
});
afterAll(async () => {
  await browser?.close();
});

async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The operator's page from the shared cookie: sign-in attempts are limited to 10 a minute per IP. */
async function adminPage(viewport = { width: 1280, height: 900 }, colorScheme: "light" | "dark" = "light") {
  return adminBrowserPage(browser, baseUrl, admin.cookie, { ...viewport, colorScheme });
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks (prompts do). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") endField();
    else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      endField();
      records.push(record);
      record = [];
    } else field += char;
  }
  if (field || record.length) {
    endField();
    records.push(record);
  }
  return records;
}

/** Every audit row of one action on one entity, newest first. */
async function audit(action: string, entityId?: string) {
  const page = await query<TAdminAuditListPage>(baseUrl, admin, "admin.audit.list", {
    action,
    ...(entityId ? { entityId } : {}),
    limit: 100,
  });
  return page.items;
}

describe("who may use the console", () => {
  it("refuses a plain user after sign-in and shows no page of the console", async () => {
    const { page, errors } = await openPage(browser);
    await signInThroughForm(page, "demo@lockstep.local", "lockstep-demo");
    const refusal = page.getByRole("alert").filter({ hasText: "No access to the admin console" });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("demo@lockstep.local");
    expect(await page.getByRole("navigation", { name: "Admin sections" }).count()).toBe(0);
    // A deep link shows the same refusal, not the page.
    await page.goto(`${baseUrl}/admin/users`);
    await refusal.waitFor();
    expect(await page.getByRole("heading", { name: "Users" }).count()).toBe(0);
    await saveScreenshot(page, "admin-refused");
    expect(errors.filter((e) => !e.includes("403"))).toEqual([]);
    await page.context().close();
  });

  it("says so when the password is wrong", async () => {
    const { page } = await openPage(browser, { colorScheme: "dark" });
    await signInThroughForm(page, ADMIN.email, "not-the-password");
    await page.getByText("Wrong email or password.").waitFor();
    await saveScreenshot(page, "admin-wrong-password");
    await page.context().close();
  });
});

describe("the interaction log", () => {
  it("filters to one model's errors, opens one, and exports exactly the filtered rows as CSV", async () => {
    const expected = await query<TAdminInteractionListPage>(baseUrl, admin, "admin.interactions.list", {
      model: chatModel,
      status: "error",
      limit: 100,
    });
    const otherErrors = await query<TAdminInteractionListPage>(baseUrl, admin, "admin.interactions.list", {
      status: "error",
      limit: 100,
    });
    expect(expected.items.length).toBe(3);
    // The model filter matters: another model failed too.
    expect(otherErrors.items.length).toBeGreaterThan(expected.items.length);

    // This one signs in through the form, as an operator does.
    const { page, errors } = await openPage(browser, { acceptDownloads: true });
    await signInThroughForm(page, ADMIN.email, ADMIN.password);
    await page.getByRole("link", { name: "Interactions" }).click();
    await page.getByLabel("Model").fill(chatModel);
    await page.getByLabel("Status").selectOption("error");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText(`Showing ${expected.items.length} interactions.`).waitFor();
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ model: chatModel, status: "error" });
    const ids = await page
      .locator("[data-interaction-id]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-interaction-id")));
    expect(ids.sort()).toEqual(expected.items.map((item) => item.id).sort());

    // The filters survive a reload: they live in the URL.
    await page.reload();
    await page.getByText(`Showing ${expected.items.length} interactions.`).waitFor();

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: /Export CSV/ }).click();
    const file = path.join(tmpdir(), `admin-export-${Date.now()}.csv`);
    await (await download).saveAs(file);
    const [header, ...records] = parseCsv(await readFile(file, "utf8"));
    const idColumn = header!.indexOf("id");
    expect(idColumn).toBeGreaterThanOrEqual(0);
    expect(records.map((record) => record[idColumn]).sort()).toEqual(expected.items.map((item) => item.id).sort());

    // Open the newest failure: its error, model and links are shown.
    const first = expected.items[0]!;
    await page.locator(`[data-interaction-id="${first.id}"] a`).first().click();
    await page.getByRole("heading", { name: `reply call to ${chatModel}` }).waitFor();
    const alert = page.getByRole("alert").filter({ hasText: "Error" });
    expect(await alert.textContent()).toContain(first.errorMessage ?? "");
    expect(await page.getByRole("link", { name: first.userId! }).count()).toBe(1);
    expect(await page.getByRole("link", { name: first.sessionId! }).count()).toBe(1);
    await page.getByLabel("Search request JSON").fill("week was long");
    await page
      .getByText(/^[1-9]\d* match/)
      .first()
      .waitFor();
    await saveScreenshot(page, "admin-interaction-detail");
    expect(errors).toEqual([]);

    expect((await audit("admin.interactions.get", first.id)).length).toBeGreaterThan(0);
    await page.context().close();
  });

  it("fits a 360 px phone in dark mode", async () => {
    const { page, errors } = await adminPage({ width: 360, height: 780 }, "dark");
    await page.goto(`${baseUrl}/admin/interactions?status=error`);
    await page.getByText(/^Showing \d+ interactions?\./).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "admin-interactions-360");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

const chunk = (id: string, goal: string) => ({
  metadata: { chunk_id: id, version: "1.0.0", source: "e2e_admin" },
  languageVariants: { en: { text: `Open with a light question about their day (${id}).` } },
  embeddingStrings: [`light opener about the day ${id}`],
  tags: { phase: [1], goal: [goal], type: ["opener"] },
});

/** Every stored chunk, page by page: the seed alone has more than one page. */
async function everyChunk(): Promise<TAdminKnowledgeListPage["items"]> {
  const items: TAdminKnowledgeListPage["items"] = [];
  let cursor: string | null = null;
  do {
    const page: TAdminKnowledgeListPage = await query<TAdminKnowledgeListPage>(baseUrl, admin, "admin.knowledge.list", {
      limit: 100,
      cursor,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe("the knowledge base", () => {
  it("refuses a file with an error (nothing written, the error shown), then ingests the fixed file", async () => {
    const { page, errors } = await adminPage();
    await page.getByRole("link", { name: "Knowledge base" }).click();
    const input = page.getByLabel("Knowledge file");

    const bad = [chunk("e2e_admin_opener_one", "attraction"), chunk("e2e_admin_opener_two", "romance")];
    await input.setInputFiles({
      name: "bad.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    const report = page.getByRole("region", { name: "Validation report" });
    await report.waitFor();
    expect(await report.getAttribute("data-report-ok")).toBe("false");
    expect(await report.textContent()).toContain("nothing was written");
    expect(await report.textContent()).toMatch(/chunk 2 \(e2e_admin_opener_two\), tags\.goal.*goal must be one of/);
    expect(await page.getByRole("button", { name: /^Ingest / }).count()).toBe(0);
    expect((await everyChunk()).filter((item) => item.source === "e2e_admin")).toEqual([]);

    const good = [chunk("e2e_admin_opener_one", "attraction"), chunk("e2e_admin_opener_two", "comfort")];
    await input.setInputFiles({
      name: "fixed.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(good)),
    });
    await page.getByText("The file is valid: 2 new").waitFor();
    await page.getByRole("button", { name: "Ingest fixed.json" }).click();
    const result = page.getByRole("region", { name: "Ingestion report" });
    await result.waitFor();
    expect(await result.textContent()).toContain("Ingested: 2 new");
    // The list is ordered by chunk id; narrow it to the new chunk's tags to find it among the seed's.
    const filters = page.getByRole("form", { name: "Chunk filters" });
    await filters.getByLabel("Phase").selectOption("1");
    await filters.getByLabel("Goal").selectOption("comfort");
    await filters.getByLabel("Type").selectOption("opener");
    await page.locator('[data-chunk-id="e2e_admin_opener_two"]').waitFor();
    await saveScreenshot(page, "admin-knowledge-ingest");
    expect(errors).toEqual([]);

    expect(
      (await everyChunk())
        .filter((item) => item.source === "e2e_admin")
        .map((item) => item.chunkId)
        .sort(),
    ).toEqual(["e2e_admin_opener_one", "e2e_admin_opener_two"]);
    // The fixed file's validation read the stored rows (audited); the write happened once.
    expect((await audit("admin.knowledge.validate")).length).toBeGreaterThanOrEqual(1);
    expect(await audit("admin.knowledge.ingest")).toHaveLength(1);
    await page.context().close();
  });
});

describe("people", () => {
  it("disables a user, who then cannot sign in, and the audit log shows each action", async () => {
    const person = await signUp(baseUrl, "soon.disabled@example.com", "soon-disabled-pass-1", "Soon Disabled");
    expect(await signInStatus(baseUrl, person.email, person.password)).toBe(200);

    const { page, errors } = await adminPage();
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByLabel("Email or name").fill("soon.disabled");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: person.email }).click();
    await page.getByRole("heading", { name: person.email }).waitFor();
    await page.getByRole("button", { name: "Disable account" }).click();
    await page.getByRole("button", { name: "Yes, disable" }).click();
    await page.getByText("This account is disabled").waitFor();

    expect(await signInStatus(baseUrl, person.email, person.password)).toBe(403);

    // The audit log lists the actions of this run, each with its before and after.
    await page.getByRole("link", { name: "Data & audit" }).click();
    await page.getByLabel("Action", { exact: true }).fill("admin.users.setDisabled");
    await page.getByRole("button", { name: "Filter" }).click();
    const entry = page.locator('[data-audit-action="admin.users.setDisabled"]').first();
    await entry.waitFor();
    await entry.getByText("Before and after").click();
    expect(await entry.textContent()).toContain('"disabled": true');
    expect(await entry.textContent()).toContain("disabled: false → true");
    for (const action of ["admin.knowledge.ingest", "admin.interactions.export", "admin.interactions.get"]) {
      await page.getByLabel("Action", { exact: true }).fill(action);
      await page.getByRole("button", { name: "Filter" }).click();
      await page.locator(`[data-audit-action="${action}"]`).first().waitFor();
    }
    await page.getByLabel("Action", { exact: true }).fill("admin.users.setDisabled");
    await page.getByRole("button", { name: "Filter" }).click();
    await entry.waitFor();
    await entry.getByText("Before and after").click();
    await saveScreenshot(page, "admin-audit");
    expect(errors).toEqual([]);

    const rows = await audit("admin.users.setDisabled");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorEmail: ADMIN.email,
      entityType: "user",
      before: { disabled: false },
      after: { disabled: true },
    });
    await page.context().close();
  });
});
