// Plain HTTP to the real server for the browser tests' set-up and checks: Better Auth sign-up and
// sign-in (with the Origin header it requires) and tRPC calls as JSON, the way any client speaks it;
// and a browser page signed in as the operator, with a cookie already issued or through the sign-in form.
import { type launchChromium, openPage, type WatchedPage } from "@lockstep/e2e";

/** The operator the seed creates on every fresh database. */
export const OPERATOR = { email: "admin@lockstep.local", password: "lockstep-admin" } as const;

export interface Account {
  email: string;
  password: string;
  cookie: string;
}

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
}

async function auth(baseUrl: string, path: string, body: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify(body),
  });
}

export async function signUp(baseUrl: string, email: string, password: string, name: string): Promise<Account> {
  const response = await auth(baseUrl, "sign-up/email", { email, password, name });
  if (!response.ok) throw new Error(`sign-up of ${email} failed: HTTP ${response.status} ${await response.text()}`);
  return { email, password, cookie: cookieOf(response) };
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<Account> {
  const response = await auth(baseUrl, "sign-in/email", { email, password });
  if (!response.ok) throw new Error(`sign-in of ${email} failed: HTTP ${response.status} ${await response.text()}`);
  return { email, password, cookie: cookieOf(response) };
}

/** The status of a sign-in attempt, for checking that a refused account stays refused. */
export async function signInStatus(baseUrl: string, email: string, password: string): Promise<number> {
  return (await auth(baseUrl, "sign-in/email", { email, password })).status;
}

async function unwrap<T>(path: string, response: Response): Promise<T> {
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!response.ok || !body.result)
    throw new Error(`${path} failed: HTTP ${response.status} ${body.error?.message ?? ""}`);
  return body.result.data;
}

export async function query<T>(baseUrl: string, account: Account, path: string, input?: unknown): Promise<T> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return unwrap<T>(path, await fetch(`${baseUrl}/trpc/${path}${search}`, { headers: { cookie: account.cookie } }));
}

export async function mutate<T>(baseUrl: string, account: Account, path: string, input: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: account.cookie },
    body: JSON.stringify(input),
  });
  return unwrap<T>(path, response);
}

/** A tRPC query that is expected to fail; returns the HTTP status. */
export async function queryStatus(baseUrl: string, account: Account, path: string, input: unknown): Promise<number> {
  const response = await fetch(`${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { cookie: account.cookie },
  });
  await response.arrayBuffer();
  return response.status;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A signed-in browser page for the operator, from the shared session cookie (no sign-in attempt spent). */
export async function adminBrowserPage(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  baseUrl: string,
  cookie: string,
  options: { width?: number; height?: number; colorScheme?: "light" | "dark" } = {},
): Promise<WatchedPage> {
  const watched = await openPage(browser, {
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? "light",
    acceptDownloads: true,
  });
  const cookies = cookie.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl };
  });
  await watched.page.context().addCookies(cookies);
  await watched.page.goto(`${baseUrl}/admin/`);
  await watched.page.getByRole("navigation", { name: "Admin sections" }).waitFor();
  return watched;
}

/** A fresh page signed in as the operator through the admin's own form, landed on its first section. */
export async function signInThroughForm(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  baseUrl: string,
): Promise<WatchedPage> {
  const watched = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  const { page } = watched;
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Admin sections" }).waitFor();
  return watched;
}
