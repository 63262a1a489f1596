// Starting and ending sessions as a person sees it: "New session" starts fresh (ending the open one)
// or continues it; only End makes a session complete (suggestions never do); and the counts the
// admin tool shows for a person agree with the sessions they ended.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";
import { insertCharacter, type TestCharacter } from "../../test/testing/characters.ts";

let db: TestDatabase;
let alice: TestPerson;
let admin: TestPerson;
let maya: TestCharacter;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createPerson(db);
  admin = await createPerson(db, { role: "admin" });
  maya = await insertCharacter(db, { name: "Maya", templates: [{ title: "First date" }] });
});
afterAll(async () => {
  await db.close();
});

describe("new session with a coach who has an open one", () => {
  it("offers the open session, continues it when asked, and a fresh start ends it", async () => {
    expect(await alice.caller.session.openWith({ characterId: maya.id })).toBeNull();
    const first = await alice.caller.session.start({ characterId: maya.id });
    expect(first).toMatchObject({ resumed: false, endedSessionIds: [] });
    expect((await alice.caller.session.openWith({ characterId: maya.id }))?.id).toBe(first.session.id);

    const continued = await alice.caller.session.start({ characterId: maya.id });
    expect(continued).toMatchObject({ resumed: true, endedSessionIds: [] });
    expect(continued.session.id).toBe(first.session.id);

    const fresh = await alice.caller.session.start({ characterId: maya.id, fresh: true });
    expect(fresh.resumed).toBe(false);
    expect(fresh.session.id).not.toBe(first.session.id);
    expect(fresh.endedSessionIds).toEqual([first.session.id]);
    const ended = await alice.caller.session.get({ id: first.session.id });
    expect(ended).toMatchObject({ status: "complete", isActive: false });
    expect(ended.endedAt).not.toBeNull();
    expect((await alice.caller.session.openWith({ characterId: maya.id }))?.id).toBe(fresh.session.id);
    // Ended once, counted once.
    expect(fresh.engagement.totalSessions).toBe(1);
  });

  it("a new scenario ends the session open with the coach", async () => {
    const open = await alice.caller.session.openWith({ characterId: maya.id });
    const scenario = await alice.caller.session.start({
      characterId: maya.id,
      episodeTemplateId: maya.templates[0]?.id,
    });
    expect(scenario.endedSessionIds).toEqual([open?.id]);
    expect((await alice.caller.session.get({ id: open!.id })).status).toBe("complete");
  });
});

describe("what complete means", () => {
  it("End makes a session complete; a status move to complete is an End; nothing else is", async () => {
    const session = await alice.caller.session.create({ type: "text", name: "Plain" });
    const moved = await alice.caller.session.transition({ id: session.id, to: "complete" });
    expect(moved.status).toBe("complete");
    expect(moved.endedAt).not.toBeNull();
    // Already complete: no move to itself.
    const again = await errorOf(alice.caller.session.transition({ id: session.id, to: "complete" }));
    expect(again.code).toBe("BAD_REQUEST");
    expect(again.message).toContain("cannot move from complete to complete");
    const other = await alice.caller.session.create({ type: "text", name: "Other" });
    const endedOther = await alice.caller.session.end({ id: other.id });
    expect(endedOther).toMatchObject({ status: "complete", isActive: false });
  });
});

describe("engagement counts", () => {
  it("agree between what the person sees and what the admin tool shows", async () => {
    const bob = await createPerson(db);
    // Four sessions with the coach; the person ends two of them.
    const started = [];
    for (let i = 0; i < 4; i++) started.push(await bob.caller.session.start({ characterId: maya.id, fresh: i > 0 }));
    const last = started.at(-1)!;
    await bob.caller.message.send({ sessionId: last.session.id, text: "hello", author: "contact" });
    await bob.caller.session.end({ id: last.session.id });

    const listed = await bob.caller.session.list({ limit: 50 });
    const endedShown = listed.items.filter((session) => session.endedAt !== null).length;
    expect(listed.items).toHaveLength(4);
    expect(endedShown).toBe(4); // three ended by fresh starts, the last by End

    const mine = await bob.caller.engagement.get({ characterId: maya.id });
    const detail = await admin.caller.admin.users.get({ id: bob.id });
    const shown = detail.engagements.find((engagement) => engagement.characterId === maya.id);
    expect(mine?.totalSessions).toBe(endedShown);
    expect(shown?.totalSessions).toBe(endedShown);
    expect(shown?.totalMessages).toBe(1);
  });
});
