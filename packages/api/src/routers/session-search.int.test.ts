// session.search on a real database: words inside messages and session names are found, ranked and
// highlighted for their owner only (row-level security), partial last words match, the trash is
// left out, and keyset pages walk every hit once.
import { RANKED_WINDOW, readAsUser, searchMessages } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";

let db: TestDatabase;
let alice: TestPerson;
let bob: TestPerson;
let dinner: string;
let work: string;

async function say(person: TestPerson, sessionId: string, text: string, author: "user" | "contact" = "user") {
  return person.caller.message.send({ sessionId, text, author });
}

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createPerson(db);
  bob = await createPerson(db);
  dinner = (await alice.caller.session.create({ type: "text", name: "Dinner plans with Sam" })).id;
  work = (await alice.caller.session.create({ type: "text", name: "Asking for a raise" })).id;
  await say(alice, dinner, "Sam said the Italian restaurant on Friday was lovely", "contact");
  await say(alice, dinner, "Should I suggest the same restaurant again?");
  await say(alice, work, "I want to negotiate my salary before the review");
  for (let i = 0; i < 5; i++) await say(alice, work, `Coffee chat number ${i} with my manager`);
  const bobs = (await bob.caller.session.create({ type: "text", name: "Bob's restaurant night" })).id;
  await say(bob, bobs, "The restaurant had a zebra painted on the wall");
});
afterAll(async () => {
  await db.close();
});

describe("session.search", () => {
  it("finds a word inside a message, with the session it belongs to and the word highlighted", async () => {
    const result = await alice.caller.session.search({ query: "Italian" });
    expect(result.messages).toHaveLength(1);
    const [hit] = result.messages;
    expect(hit).toMatchObject({ sessionId: dinner, sessionName: "Dinner plans with Sam", author: "contact" });
    expect(hit?.snippet.filter((part) => part.match).map((part) => part.text)).toEqual(["Italian"]);
    expect(hit?.snippet.map((part) => part.text).join("")).toContain("restaurant on Friday");
  });

  it("never finds another person's words", async () => {
    const zebra = await alice.caller.session.search({ query: "zebra" });
    expect(zebra.messages).toEqual([]);
    const restaurant = await alice.caller.session.search({ query: "restaurant" });
    expect(restaurant.messages.map((hit) => hit.sessionId)).toEqual([dinner, dinner]);
    expect(restaurant.sessions).toEqual([]);
    expect((await bob.caller.session.search({ query: "zebra" })).messages).toHaveLength(1);
  });

  it("is scoped by row-level security even when the query names someone else", async () => {
    // The repository's own owner condition points at Bob; RLS still only shows Alice's rows.
    const rows = await readAsUser(db, alice.id, (tx) =>
      searchMessages(tx, { userId: bob.id, query: "zebra", limit: 10 }),
    );
    expect(rows).toEqual([]);
  });

  it("matches stemmed words and a partial last word", async () => {
    expect((await alice.caller.session.search({ query: "negotiation" })).messages).toHaveLength(1);
    expect((await alice.caller.session.search({ query: "negoti" })).messages).toHaveLength(1);
    expect((await alice.caller.session.search({ query: "salary revi" })).messages).toHaveLength(1);
    expect((await alice.caller.session.search({ query: "salary friday" })).messages).toHaveLength(0);
  });

  it("understands quoted phrases, or and excluded words", async () => {
    expect((await alice.caller.session.search({ query: '"Italian restaurant"' })).messages).toHaveLength(1);
    expect((await alice.caller.session.search({ query: '"restaurant Italian"' })).messages).toHaveLength(0);
    expect((await alice.caller.session.search({ query: "restaurant -Italian" })).messages).toHaveLength(1);
    expect((await alice.caller.session.search({ query: "Italian or salary" })).messages).toHaveLength(2);
  });

  it("finds sessions by a word of their name or a part of it", async () => {
    const byWord = await alice.caller.session.search({ query: "dinner" });
    expect(byWord.sessions.map((hit) => hit.sessionId)).toEqual([dinner]);
    expect(byWord.sessions[0]?.name.filter((part) => part.match).map((part) => part.text)).toEqual(["Dinner"]);
    const byPart = await alice.caller.session.search({ query: "ith Sa" });
    expect(byPart.sessions.map((hit) => hit.sessionId)).toEqual([dinner]);
    expect(byPart.sessions[0]?.name).toEqual([
      { text: "Dinner plans w", match: false },
      { text: "ith Sa", match: true },
      { text: "m", match: false },
    ]);
  });

  it("walks every hit once in keyset pages, best first", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let previous = Number.POSITIVE_INFINITY;
    do {
      const page: Awaited<ReturnType<typeof alice.caller.session.search>> = await alice.caller.session.search({
        query: "coffee",
        limit: 2,
        cursor,
      });
      for (const hit of page.messages) {
        expect(hit.rank).toBeLessThanOrEqual(previous);
        previous = hit.rank;
        seen.push(hit.messageId);
      }
      if (pages > 0) expect(page.sessions).toEqual([]);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
  });

  it("pages through more hits than the ranked window: the newest ranked first, then older ones by time, none twice or missed", async () => {
    const carol = await createPerson(db);
    const sessionId = (await carol.caller.session.create({ type: "text", name: "Walrus facts" })).id;
    const total = RANKED_WINDOW + 45;
    // Three messages share each minute, so time alone does not order them; some say the word twice
    // (a higher rank), so rank and time disagree inside the window.
    const inserted = await db.pool.query<{ id: string; timestamp: Date }>(
      `INSERT INTO messages (session_id, user_id, text, author, timestamp, updated_at)
       SELECT $1, $2, CASE WHEN i % 7 = 0 THEN 'walrus walrus number ' || i ELSE 'a walrus number ' || i END,
              'USER', timestamp '2026-01-01' + (i / 3) * interval '1 minute', now()
         FROM generate_series(1, $3::int) AS i
       RETURNING id, timestamp`,
      [sessionId, carol.id, total],
    );
    const byRecency = [...inserted.rows]
      .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0))
      .map((row) => row.id);
    const seen: { messageId: string; rank: number; timestamp: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof carol.caller.session.search>> = await carol.caller.session.search({
        query: "walrus",
        limit: 40,
        cursor,
      });
      seen.push(...page.messages);
      cursor = page.nextCursor;
    } while (cursor);
    const ids = seen.map((hit) => hit.messageId);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    // The window holds exactly the newest matches, best first; what follows is the rest, newest first.
    const window = seen.slice(0, RANKED_WINDOW);
    expect(new Set(window.map((hit) => hit.messageId))).toEqual(new Set(byRecency.slice(0, RANKED_WINDOW)));
    for (let i = 1; i < window.length; i++) expect(window[i]!.rank).toBeLessThanOrEqual(window[i - 1]!.rank);
    expect(window[0]!.rank).toBeGreaterThan(window[window.length - 1]!.rank);
    expect(ids.slice(RANKED_WINDOW)).toEqual(byRecency.slice(RANKED_WINDOW));
  });

  it("leaves out sessions in the trash, and finds them again once restored", async () => {
    await alice.caller.session.delete({ id: dinner });
    expect((await alice.caller.session.search({ query: "Italian" })).messages).toEqual([]);
    expect((await alice.caller.session.search({ query: "dinner" })).sessions).toEqual([]);
    await alice.caller.session.restore({ id: dinner });
    expect((await alice.caller.session.search({ query: "Italian" })).messages).toHaveLength(1);
  });

  it("refuses an empty query and a cursor it did not make, naming the field", async () => {
    const empty = await errorOf(alice.caller.session.search({ query: "   " }));
    expect(empty.code).toBe("BAD_REQUEST");
    expect(empty.message).toContain("query");
    const tampered = await errorOf(alice.caller.session.search({ query: "coffee", cursor: "abc" }));
    expect(tampered.code).toBe("BAD_REQUEST");
    expect(tampered.message).toContain("cursor");
  });

  it("answers a query of only stop words or punctuation with nothing, not an error", async () => {
    expect((await alice.caller.session.search({ query: "the" })).messages).toEqual([]);
    expect((await alice.caller.session.search({ query: "!!! ''" })).messages).toEqual([]);
  });
});
