// Browser-test support for the session page: a fresh person signed up over HTTP, a typed tRPC
// client speaking for them (to set up and to check what the server stored), and a browser page
// carrying their cookie.
import type { AppRouter } from "@lockstep/api";
import { openPage, type WatchedPage } from "@lockstep/e2e";
import { createTRPCClient, httpLink } from "@trpc/client";
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContextOptions } from "playwright-core";
import { newDeviceAddress } from "./support/people.ts";

export interface Person {
  email: string;
  cookie: string;
  api: ReturnType<typeof createTRPCClient<AppRouter>>;
}

/**
 * Signs up a new person through Better Auth (which wants an Origin) and keeps their session cookie.
 * Each sign-up comes from its own client address: the limit on sign-ups is per address, and a fast
 * run signing everyone up from one would test the limiter instead of the app.
 */
export async function signUp(baseUrl: string): Promise<Person> {
  const email = `web-${randomUUID().slice(0, 8)}@example.test`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, "x-forwarded-for": newDeviceAddress() },
    body: JSON.stringify({ email, password: "correct-horse-battery", name: "Sam Tester" }),
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error("sign-up set no cookie");
  const api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/trpc`, headers: { cookie, origin: baseUrl } })],
  });
  return { email, cookie, api };
}

/** Starts a text session with the first catalogue character. */
export async function startTextSession(person: Person): Promise<string> {
  const [character] = await person.api.character.list.query();
  if (!character) throw new Error("the seed has no characters");
  const { session } = await person.api.session.start.mutate({ characterId: character.id });
  return session.id;
}

/** A page whose context holds the person's cookie (own context: nobody else's cookies). */
export async function openAs(
  browser: Browser,
  baseUrl: string,
  person: Person,
  options: BrowserContextOptions = {},
): Promise<WatchedPage> {
  const watched = await openPage(browser, options);
  await watched.page.context().addCookies(
    person.cookie.split("; ").map((pair) => {
      const index = pair.indexOf("=");
      return { name: pair.slice(0, index), value: pair.slice(index + 1), url: baseUrl };
    }),
  );
  return watched;
}

/** Every message of a session, oldest first, read through the API. */
export async function allMessages(person: Person, sessionId: string) {
  const out = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof person.api.message.list.query>> = await person.api.message.list.query({
      sessionId,
      direction: "newer",
      limit: 100,
      cursor,
    });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
