// Browser-test helpers for the signed-in app: a new person per test (signed up through the real
// form), and calls to the API as that person with the page's own cookie, for setting up data fast.
import { randomInt, randomUUID } from "node:crypto";
import { openPage, type WatchedPage } from "@lockstep/e2e";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";

/**
 * A page in a fresh context that the server sees as its own device: a distinct client address
 * through X-Forwarded-For (global-setup trusts it from loopback, as from a local reverse proxy). The
 * sign-in and sign-up limits are per address, and a whole run signing up many people from one
 * address would otherwise test the limiter rather than the app.
 */
export function openDevicePage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  return openPage(browser, {
    ...options,
    extraHTTPHeaders: { ...options.extraHTTPHeaders, "x-forwarded-for": newDeviceAddress() },
  });
}

/** A client address of its own, for a page or an HTTP call that should count as a separate device. */
export function newDeviceAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export interface Person {
  name: string;
  email: string;
  password: string;
}

export function newPerson(label: string): Person {
  const id = randomUUID().slice(0, 8);
  return {
    name: `${label} ${id}`,
    email: `${label.toLowerCase().replace(/\W+/g, "-")}-${id}@example.test`,
    password: `pw-${randomUUID()}`,
  };
}

/** Signs up through the sign-up page and waits for the signed-in start page. */
export async function signUpThroughForm(page: Page, baseUrl: string, person: Person): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: `Hello, ${person.name}` }).waitFor({ timeout: 30_000 });
}

/** A tRPC call from inside the page (same origin, the page's cookie), as the app itself makes them. */
export async function api<T = unknown>(
  page: Page,
  kind: "query" | "mutation",
  path: string,
  input?: unknown,
): Promise<T> {
  const result = await page.evaluate(
    async ({ kind, path, input }) => {
      const url =
        kind === "query"
          ? `/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
          : `/trpc/${path}`;
      const response = await fetch(url, {
        method: kind === "query" ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        ...(kind === "mutation" ? { body: JSON.stringify(input ?? {}) } : {}),
      });
      return {
        status: response.status,
        body: (await response.json()) as { result?: { data: unknown }; error?: unknown },
      };
    },
    { kind, path, input },
  );
  if (result.status !== 200 || !result.body.result)
    throw new Error(`${path} answered ${result.status}: ${JSON.stringify(result.body.error)}`);
  return result.body.result.data as T;
}

/** The sessions sidebar's list of rows. */
export function sidebarRows(page: Page) {
  return page.getByRole("list", { name: "Your sessions" }).locator("li[data-session-id]");
}
