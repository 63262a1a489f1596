// session.start / session.end / engagement.* on a real database (docs/decisions/0003):
// start, continue, switch, the engagement trigger in SQL and through the API (counts, timestamps,
// concurrent ends without lost updates), ON DELETE SET NULL, cross-user refusals, and db:verify
// on a freshly seeded database after real use.
import { randomUUID } from "node:crypto";
import { seedDatabase, verifyDatabase } from "@lockstep/db";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson, errorOf, type TestPerson } from "../../test/testing/callers.ts";
import { callerWithAi, insertCharacter, type TestCharacter } from "../../test/testing/characters.ts";

let db: TestDatabase;
let alice: TestPerson;
let bob: TestPerson;

beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createPerson(db);
  bob = await createPerson(db);
});
afterAll(async () => {
  await db.close();
});

async function engagementRow(userId: string, characterId: string) {
  const { rows } = await db.pool.query<{
    id: string;
    total_sessions: number;
    total_messages: number;
    first_met_at: Date;
    last_interaction_at: Date | null;
  }>(
    `SELECT id, total_sessions, total_messages, first_met_at, last_interaction_at FROM engagements WHERE user_id = $1 AND character_id = $2`,
    [userId, characterId],
  );
  return rows;
}

async function liveSessions(userId: string, characterId: string) {
  const { rows } = await db.pool.query<{ id: string; episode_template_id: string | null }>(
    `SELECT id, episode_template_id FROM sessions
      WHERE user_id = $1 AND character_id = $2 AND is_active AND ended_at IS NULL AND deleted_at IS NULL`,
    [userId, characterId],
  );
  return rows;
}

describe("session.start (seed 001 functional tests 1 to 3)", () => {
  let maya: TestCharacter;
  beforeAll(async () => {
    maya = await insertCharacter(db, {
      name: "Maya",
      templates: [{ title: "First date" }, { title: "After a fight" }],
    });
  });

  it("test 1: makes the engagement on first contact and starts a TEXT session named after the template", async () => {
    expect(await engagementRow(alice.id, maya.id)).toEqual([]);
    const started = await alice.caller.session.start({
      characterId: maya.id,
      episodeTemplateId: maya.templates[0]!.id,
    });

    expect(started.resumed).toBe(false);
    expect(started.session).toMatchObject({
      type: "text",
      status: "pending_user_input",
      name: "First date",
      characterId: maya.id,
      episodeTemplateId: maya.templates[0]!.id,
      engagementId: started.engagement.id,
      isActive: true,
      endedAt: null,
    });
    expect(started.engagement).toMatchObject({
      userId: alice.id,
      characterId: maya.id,
      totalSessions: 0,
      totalMessages: 0,
      lastInteractionAt: null,
      engagementNotes: null,
    });
    // Made in the same transaction as the session.
    expect(started.engagement.firstMetAt).toBe(started.session.createdAt);
    expect(await engagementRow(alice.id, maya.id)).toHaveLength(1);
  });

  it("test 2: continues the active session for the same character and template instead of making another", async () => {
    const first = await alice.caller.session.start({ characterId: maya.id, episodeTemplateId: maya.templates[0]!.id });
    const again = await alice.caller.session.start({ characterId: maya.id, episodeTemplateId: maya.templates[0]!.id });
    expect(again.resumed).toBe(true);
    expect(again.session.id).toBe(first.session.id);
    expect(again.engagement.id).toBe(first.engagement.id);
    expect(await liveSessions(alice.id, maya.id)).toEqual([
      { id: first.session.id, episode_template_id: maya.templates[0]!.id },
    ]);
  });

  it("test 3: switching template makes the previous session inactive and the new one active", async () => {
    const previous = await alice.caller.session.start({
      characterId: maya.id,
      episodeTemplateId: maya.templates[0]!.id,
    });
    const switched = await alice.caller.session.start({
      characterId: maya.id,
      episodeTemplateId: maya.templates[1]!.id,
    });
    expect(switched.resumed).toBe(false);
    expect(switched.session).toMatchObject({
      name: "After a fight",
      episodeTemplateId: maya.templates[1]!.id,
      isActive: true,
    });
    expect(switched.engagement.id).toBe(previous.engagement.id);
    expect((await alice.caller.session.get({ id: previous.session.id })).isActive).toBe(false);
    expect(await liveSessions(alice.id, maya.id)).toEqual([
      { id: switched.session.id, episode_template_id: maya.templates[1]!.id },
    ]);

    // No template is a choice of its own: it switches too, and the session is named after the character.
    const free = await alice.caller.session.start({ characterId: maya.id });
    expect(free).toMatchObject({ resumed: false, session: { name: "Maya", episodeTemplateId: null, isActive: true } });
    const freeAgain = await alice.caller.session.start({ characterId: maya.id, episodeTemplateId: null });
    expect(freeAgain).toMatchObject({ resumed: true, session: { id: free.session.id } });
    expect((await alice.caller.session.get({ id: switched.session.id })).isActive).toBe(false);

    // Back to a template whose session was switched away from: that one is inactive, so a new one starts.
    const back = await alice.caller.session.start({ characterId: maya.id, episodeTemplateId: maya.templates[0]!.id });
    expect(back.resumed).toBe(false);
    expect(back.session.id).not.toBe(previous.session.id);
    expect(await liveSessions(alice.id, maya.id)).toHaveLength(1);
    // One engagement throughout.
    expect(await engagementRow(alice.id, maya.id)).toHaveLength(1);
  });

  it("does not continue an ended or deleted session", async () => {
    const coach = await insertCharacter(db, { templates: [{ title: "Only" }] });
    const first = await alice.caller.session.start({ characterId: coach.id });
    await alice.caller.session.end({ id: first.session.id });
    const second = await alice.caller.session.start({ characterId: coach.id });
    expect(second.resumed).toBe(false);
    await alice.caller.session.delete({ id: second.session.id });
    const third = await alice.caller.session.start({ characterId: coach.id });
    expect(third.resumed).toBe(false);
    expect(new Set([first.session.id, second.session.id, third.session.id]).size).toBe(3);
  });

  it("makes the started session the only active one even when session.create left several", async () => {
    const coach = await insertCharacter(db);
    const a = await alice.caller.session.create({ type: "text", characterId: coach.id });
    const b = await alice.caller.session.create({ type: "text", characterId: coach.id });
    expect(await liveSessions(alice.id, coach.id)).toHaveLength(2);
    const started = await alice.caller.session.start({ characterId: coach.id });
    expect(started.resumed).toBe(true);
    expect([a.id, b.id]).toContain(started.session.id);
    expect(await liveSessions(alice.id, coach.id)).toEqual([{ id: started.session.id, episode_template_id: null }]);
  });

  it("serialises concurrent starts: ten at once make one session and one engagement", async () => {
    const coach = await insertCharacter(db, { templates: [{ title: "One" }, { title: "Two" }] });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        alice.caller.session.start({ characterId: coach.id, episodeTemplateId: coach.templates[0]!.id }),
      ),
    );
    expect(new Set(results.map((result) => result.session.id)).size).toBe(1);
    expect(results.filter((result) => !result.resumed)).toHaveLength(1);
    expect(await engagementRow(alice.id, coach.id)).toHaveLength(1);
    expect(await liveSessions(alice.id, coach.id)).toHaveLength(1);

    // Racing switches between two templates still leave exactly one active session.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        alice.caller.session.start({ characterId: coach.id, episodeTemplateId: coach.templates[i % 2]!.id }),
      ),
    );
    expect(await liveSessions(alice.id, coach.id)).toHaveLength(1);
  });

  it("refuses unknown or inactive characters and templates, and templates of another character, with NOT_FOUND", async () => {
    const inactive = await insertCharacter(db, { isActive: false, templates: [{ title: "Hidden" }] });
    const other = await insertCharacter(db, { templates: [{ title: "Theirs" }] });
    const withInactiveTemplate = await insertCharacter(db, { templates: [{ title: "Off", isActive: false }] });

    for (const input of [
      { characterId: randomUUID() },
      { characterId: inactive.id },
      { characterId: inactive.id, episodeTemplateId: inactive.templates[0]!.id },
    ]) {
      const error = await errorOf(alice.caller.session.start(input));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe("No such character.");
    }
    for (const input of [
      { characterId: maya.id, episodeTemplateId: other.templates[0]!.id },
      { characterId: maya.id, episodeTemplateId: randomUUID() },
      { characterId: withInactiveTemplate.id, episodeTemplateId: withInactiveTemplate.templates[0]!.id },
    ]) {
      const error = await errorOf(alice.caller.session.start(input));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe("No such episode template for this character.");
    }
    expect((await errorOf(alice.caller.session.start({ characterId: "maya" }))).code).toBe("BAD_REQUEST");
    // Nothing was made for the refused starts.
    expect(await engagementRow(alice.id, inactive.id)).toEqual([]);
    expect(await engagementRow(alice.id, withInactiveTemplate.id)).toEqual([]);
  });

  it("needs a signed-in person", async () => {
    const anonymous = callerWithAi(db, null, undefined);
    expect((await errorOf(anonymous.session.start({ characterId: maya.id }))).code).toBe("UNAUTHORIZED");
    expect((await errorOf(anonymous.session.end({ id: randomUUID() }))).code).toBe("UNAUTHORIZED");
    expect((await errorOf(anonymous.engagement.list())).code).toBe("UNAUTHORIZED");
  });
});

describe("session.end and the engagement trigger through the API", () => {
  it("counts messages as they are sent and sessions as they end, with the timestamps the trigger keeps", async () => {
    const coach = await insertCharacter(db, { templates: [{ title: "A" }, { title: "B" }] });
    const first = await alice.caller.session.start({
      characterId: coach.id,
      episodeTemplateId: coach.templates[0]!.id,
    });
    const sent = [];
    for (const text of ["hello", "how are you?", "I had a rough week"]) {
      sent.push(await alice.caller.message.send({ sessionId: first.session.id, text }));
    }
    sent.push(
      await alice.caller.message.send({ sessionId: first.session.id, text: "They said hi", author: "contact" }),
    );
    let engagement = await alice.caller.engagement.get({ characterId: coach.id });
    expect(engagement).toMatchObject({ totalSessions: 0, totalMessages: 4, lastInteractionAt: sent.at(-1)!.timestamp });

    const ended = await alice.caller.session.end({ id: first.session.id });
    expect(ended.endedAt).not.toBeNull();
    expect(ended.isActive).toBe(false);
    engagement = await alice.caller.engagement.get({ characterId: coach.id });
    expect(engagement).toMatchObject({ totalSessions: 1, totalMessages: 4, lastInteractionAt: ended.endedAt });
    expect(engagement.firstMetAt).toBe(first.engagement.firstMetAt);

    // Ending again is a no-op that returns the session as it is: counted once, ended_at kept.
    const endedAgain = await alice.caller.session.end({ id: first.session.id });
    expect(endedAgain).toEqual(ended);
    expect((await alice.caller.engagement.get({ characterId: coach.id })).totalSessions).toBe(1);

    const second = await alice.caller.session.start({
      characterId: coach.id,
      episodeTemplateId: coach.templates[1]!.id,
    });
    expect(second.engagement).toMatchObject({ totalSessions: 1, totalMessages: 4 });
    const reply = await alice.caller.message.send({ sessionId: second.session.id, text: "new topic" });
    await alice.caller.message.send({ sessionId: second.session.id, text: "and another" });
    await alice.caller.message.delete({ id: reply.id });
    const secondEnded = await alice.caller.session.end({ id: second.session.id });
    engagement = await alice.caller.engagement.get({ characterId: coach.id });
    expect(engagement).toMatchObject({ totalSessions: 2, totalMessages: 5, lastInteractionAt: secondEnded.endedAt });
    expect(secondEnded.endedAt!).toBeGreaterThanOrEqual(ended.endedAt!);

    // Read as stored: the API reports exactly the row the triggers keep.
    const [row] = await engagementRow(alice.id, coach.id);
    expect(engagement).toMatchObject({
      id: row!.id,
      totalSessions: row!.total_sessions,
      totalMessages: row!.total_messages,
      firstMetAt: row!.first_met_at.getTime(),
      lastInteractionAt: row!.last_interaction_at!.getTime(),
    });
  });

  it("loses no update when ten sessions of one engagement end at once", async () => {
    const coach = await insertCharacter(db);
    const sessions = [];
    for (let i = 0; i < 10; i++)
      sessions.push(await alice.caller.session.create({ type: "text", characterId: coach.id }));
    const engagementId = sessions[0]!.engagementId;
    expect(new Set(sessions.map((session) => session.engagementId))).toEqual(new Set([engagementId]));
    expect((await alice.caller.engagement.get({ characterId: coach.id })).totalSessions).toBe(0);

    const ended = await Promise.all(sessions.map((session) => alice.caller.session.end({ id: session.id })));
    const engagement = await alice.caller.engagement.get({ characterId: coach.id });
    expect(engagement.totalSessions).toBe(10);
    expect(engagement.lastInteractionAt).toBe(Math.max(...ended.map((session) => session.endedAt!)));

    // And ten more ends of the same sessions, also at once, add nothing.
    await Promise.all(sessions.map((session) => alice.caller.session.end({ id: session.id })));
    expect((await alice.caller.engagement.get({ characterId: coach.id })).totalSessions).toBe(10);
  });

  it("refuses to end someone else's session, an unknown one or a deleted one, with NOT_FOUND", async () => {
    const coach = await insertCharacter(db);
    const mine = await alice.caller.session.start({ characterId: coach.id });
    expect((await errorOf(bob.caller.session.end({ id: mine.session.id }))).code).toBe("NOT_FOUND");
    expect((await errorOf(alice.caller.session.end({ id: randomUUID() }))).code).toBe("NOT_FOUND");
    expect((await alice.caller.session.get({ id: mine.session.id })).endedAt).toBeNull();

    await alice.caller.session.delete({ id: mine.session.id });
    expect((await errorOf(alice.caller.session.end({ id: mine.session.id }))).code).toBe("NOT_FOUND");
    expect((await alice.caller.engagement.get({ characterId: coach.id })).totalSessions).toBe(0);
  });
});

describe("the engagement trigger in SQL (seed 001 section 1.7)", () => {
  it("counts a session once when ended_at is first set, ignores other updates and sessions without an engagement", async () => {
    const coach = await insertCharacter(db);
    const one = async (sql: string, params: unknown[]) =>
      (await db.pool.query<{ id: string }>(sql, params)).rows[0]!.id;
    const engagementId = await one(
      `INSERT INTO engagements (user_id, character_id, updated_at) VALUES ($1, $2, now()) RETURNING id`,
      [bob.id, coach.id],
    );
    const sessionId = await one(
      `INSERT INTO sessions (user_id, type, character_id, engagement_id, updated_at) VALUES ($1, 'TEXT', $2, $3, now()) RETURNING id`,
      [bob.id, coach.id, engagementId],
    );
    const unlinked = await one(
      `INSERT INTO sessions (user_id, type, character_id, updated_at) VALUES ($1, 'TEXT', $2, now()) RETURNING id`,
      [bob.id, coach.id],
    );
    const stats = async () => (await engagementRow(bob.id, coach.id))[0]!;

    await db.pool.query(
      `INSERT INTO messages (session_id, user_id, text, author, "timestamp", updated_at) VALUES ($1, $2, 'hi', 'USER', '2026-01-01T10:00:00Z', now())`,
      [sessionId, bob.id],
    );
    await db.pool.query(
      `INSERT INTO messages (session_id, user_id, text, author, updated_at) VALUES ($1, $2, 'not counted', 'USER', now())`,
      [unlinked, bob.id],
    );
    expect(await stats()).toMatchObject({
      total_sessions: 0,
      total_messages: 1,
      last_interaction_at: new Date("2026-01-01T10:00:00Z"),
    });

    await db.pool.query(`UPDATE sessions SET name = 'renamed' WHERE id = $1`, [sessionId]);
    expect((await stats()).total_sessions).toBe(0);

    await db.pool.query(`UPDATE sessions SET ended_at = '2026-01-01T11:00:00Z' WHERE id = $1`, [sessionId]);
    expect(await stats()).toMatchObject({ total_sessions: 1, last_interaction_at: new Date("2026-01-01T11:00:00Z") });

    // Moving ended_at again (already ended) is not a second end.
    await db.pool.query(`UPDATE sessions SET ended_at = '2026-01-01T12:00:00Z' WHERE id = $1`, [sessionId]);
    expect((await stats()).total_sessions).toBe(1);

    // An older end never moves last_interaction_at back.
    const late = await one(
      `INSERT INTO sessions (user_id, type, character_id, engagement_id, updated_at) VALUES ($1, 'TEXT', $2, $3, now()) RETURNING id`,
      [bob.id, coach.id, engagementId],
    );
    await db.pool.query(`UPDATE sessions SET ended_at = '2025-06-01T00:00:00Z' WHERE id = $1`, [late]);
    expect(await stats()).toMatchObject({ total_sessions: 2, last_interaction_at: new Date("2026-01-01T11:00:00Z") });

    await db.pool.query(`UPDATE sessions SET ended_at = now() WHERE id = $1`, [unlinked]);
    expect((await stats()).total_sessions).toBe(2);

    await db.pool.query(`DELETE FROM messages WHERE session_id = $1`, [sessionId]);
    expect((await stats()).total_messages).toBe(0);
  });

  it("adds up exactly when many ends of one engagement run in concurrent transactions", async () => {
    const coach = await insertCharacter(db);
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO engagements (user_id, character_id, updated_at) VALUES ($1, $2, now()) RETURNING id`,
      [bob.id, coach.id],
    );
    const engagementId = rows[0]!.id;
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const inserted = await db.pool.query<{ id: string }>(
        `INSERT INTO sessions (user_id, type, character_id, engagement_id, updated_at) VALUES ($1, 'TEXT', $2, $3, now()) RETURNING id`,
        [bob.id, coach.id, engagementId],
      );
      ids.push(inserted.rows[0]!.id);
    }
    await Promise.all(ids.map((id) => db.pool.query(`UPDATE sessions SET ended_at = now() WHERE id = $1`, [id])));
    expect((await engagementRow(bob.id, coach.id))[0]!.total_sessions).toBe(8);
  });
});

describe("engagement.list / engagement.get", () => {
  it("lists the person's engagements with their character, most recent contact first, and nobody else's", async () => {
    const carol = await createPerson(db);
    const quiet = await insertCharacter(db, { name: "Quiet" });
    const busy = await insertCharacter(db, { name: "Busy" });
    await carol.caller.session.start({ characterId: quiet.id });
    const started = await carol.caller.session.start({ characterId: busy.id });
    await carol.caller.message.send({ sessionId: started.session.id, text: "hello" });

    const list = await carol.caller.engagement.list();
    expect(list.map((engagement) => engagement.character.name)).toEqual(["Busy", "Quiet"]);
    expect(list[0]).toMatchObject({
      userId: carol.id,
      characterId: busy.id,
      totalMessages: 1,
      character: { id: busy.id, slug: busy.slug, name: "Busy", avatar: "🌷", isActive: true },
    });
    expect(list[1]).toMatchObject({ lastInteractionAt: null, totalMessages: 0 });
    expect(await carol.caller.engagement.get({ characterId: busy.id })).toEqual(list[0]);

    // Deactivating a character keeps the person's history with it.
    await db.pool.query(`UPDATE characters SET is_active = false WHERE id = $1`, [quiet.id]);
    expect((await carol.caller.engagement.get({ characterId: quiet.id })).character.isActive).toBe(false);

    // Bob never met these characters: nothing to see, and no hint of Carol's rows.
    expect((await bob.caller.engagement.list()).some((engagement) => engagement.userId === carol.id)).toBe(false);
    const error = await errorOf(bob.caller.engagement.get({ characterId: busy.id }));
    expect(error.code).toBe("NOT_FOUND");
    expect((await errorOf(carol.caller.engagement.get({ characterId: randomUUID() }))).code).toBe("NOT_FOUND");
  });
});

describe("deleting an engagement (ON DELETE SET NULL, seed 001 section 1.4)", () => {
  it("unlinks the sessions and keeps them and their messages; the next start links the live session to a new engagement", async () => {
    const coach = await insertCharacter(db);
    const ended = await alice.caller.session.start({ characterId: coach.id, episodeTemplateId: null });
    await alice.caller.message.send({ sessionId: ended.session.id, text: "kept" });
    await alice.caller.session.end({ id: ended.session.id });
    const live = await alice.caller.session.start({ characterId: coach.id });

    await db.pool.query(`DELETE FROM engagements WHERE id = $1`, [live.engagement.id]);
    const { rows } = await db.pool.query<{ id: string; engagement_id: string | null; messages: number }>(
      `SELECT s.id, s.engagement_id, (SELECT count(*)::int FROM messages m WHERE m.session_id = s.id) AS messages
         FROM sessions s WHERE s.user_id = $1 AND s.character_id = $2 ORDER BY s.created_at`,
      [alice.id, coach.id],
    );
    expect(rows).toEqual([
      { id: ended.session.id, engagement_id: null, messages: 1 },
      { id: live.session.id, engagement_id: null, messages: 0 },
    ]);
    expect((await errorOf(alice.caller.engagement.get({ characterId: coach.id }))).code).toBe("NOT_FOUND");
    expect((await alice.caller.character.sessions({ characterId: coach.id })).items).toHaveLength(2);

    const resumed = await alice.caller.session.start({ characterId: coach.id });
    expect(resumed).toMatchObject({
      resumed: true,
      session: { id: live.session.id, engagementId: resumed.engagement.id },
    });
    expect(resumed.engagement.id).not.toBe(live.engagement.id);
    await alice.caller.session.end({ id: live.session.id });
    expect((await alice.caller.engagement.get({ characterId: coach.id })).totalSessions).toBe(1);
  });
});

describe("db:verify after real use of a freshly seeded database (seed 001 section 4.2)", () => {
  it("passes every check", async () => {
    const seeded = await createTestDatabase();
    try {
      await seedDatabase(seeded);
      const person = await createPerson(seeded);
      const catalogue = await callerWithAi(seeded, null, undefined).character.list();
      expect(catalogue.length).toBeGreaterThan(0);
      for (const character of catalogue) {
        const template = character.templates[0];
        const started = await person.caller.session.start({
          characterId: character.id,
          episodeTemplateId: template?.id ?? null,
        });
        await person.caller.message.send({ sessionId: started.session.id, text: "hello there" });
        await person.caller.session.end({ id: started.session.id });
      }
      const report = await verifyDatabase(seeded);
      expect(report.checks.filter((check) => !check.ok)).toEqual([]);
      expect(report.checks.map((check) => check.name)).toEqual(
        expect.arrayContaining([
          "foreign-keys",
          "renamed-tables",
          "engagement-columns",
          "engagement-links",
          "triggers",
        ]),
      );
      expect(report.counts.engagements).toBe(catalogue.length);
    } finally {
      await seeded.close();
    }
  });
});
