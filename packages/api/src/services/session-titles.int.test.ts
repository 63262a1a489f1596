// Sessions titled from what was said, on a real database: the built-in coach after the topic its reader finds
// in the contact's words (else their first words), a
// configured model in one logged `title` call (against a fake OpenAI-compatible server), a screenshot after
// the contact's name; a name the person chose is kept, and titling twice changes nothing.
import {
  type AiRuntime,
  createBuiltinProvider,
  createInteractionLog,
  createOpenAiProvider,
  SessionStreams,
} from "@lockstep/ai";
import { type FakeOpenAiServer, startFakeOpenAiServer } from "@lockstep/ai/testing";
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPerson } from "../../test/testing/callers.ts";
import { insertCharacter } from "../../test/testing/characters.ts";
import { backgroundTasks } from "./ai-flows.ts";
import { builtinTitle, titleAfterReply, titleFromText } from "./session-titles.ts";
import { userScope } from "../scopes.ts";

let db: TestDatabase;
let model: FakeOpenAiServer;
const streams = new SessionStreams();

beforeAll(async () => {
  db = await createTestDatabase();
  model = await startFakeOpenAiServer({
    reply: (body) =>
      body.response_format?.json_schema?.name === "session_title"
        ? JSON.stringify({ title: "Drinks on Saturday." })
        : "Ask them which bar they have in mind.",
  });
}, 120_000);

afterAll(async () => {
  await streams.close();
  await model?.close();
  await db?.close();
});

function builtinRuntime(): AiRuntime {
  return { provider: createBuiltinProvider(), log: createInteractionLog(db), streams, retrieve: async () => [] };
}

function modelRuntime(): AiRuntime {
  const provider = createOpenAiProvider({
    baseURL: model.baseURL,
    apiKey: "test",
    chatModel: "fake-chat",
    embeddingModel: "fake-embed",
  });
  return { provider, log: createInteractionLog(db), streams, retrieve: async () => [] };
}

async function operationsOf(sessionId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ operation: string }>(
    `SELECT operation::text AS operation FROM ai_interactions WHERE session_id = $1 ORDER BY created_at`,
    [sessionId],
  );
  return rows.map((row) => row.operation);
}

describe("titleFromText", () => {
  it("keeps the first meaningful words, cut at a word boundary, without trailing punctuation", () => {
    expect(titleFromText("hey! want to grab drinks Saturday? I know a place")).toBe("Want to grab drinks Saturday");
    expect(titleFromText("so, the party is at 8.")).toBe("The party is at 8");
    const long = titleFromText("Supercalifragilisticexpialidocious ".repeat(4))!;
    expect(long.length).toBeLessThanOrEqual(60);
    expect(titleFromText("   ?!  ")).toBeNull();
  });
});

describe("builtinTitle", () => {
  const contact = (text: string) => [{ author: "contact" as const, text }];
  it("names the topic the coach's reader finds in the first exchange", () => {
    expect(builtinTitle(contact("hey! want to grab drinks Saturday?"))).toBe("Drinks on Saturday");
    expect(builtinTitle(contact("Drinks Saturday at Rosa's?"))).toBe("Drinks at Rosa's on Saturday");
    expect(builtinTitle(contact("sorry I went quiet for a bit, things got crazy"))).toBe("Apology for going quiet");
    expect(builtinTitle(contact("sorry I missed your party"))).toBe("Apology for missing the party");
    expect(builtinTitle(contact("I got the job!!"))).toBe("Good news about the job");
    expect(builtinTitle(contact("what time is dinner on friday?"))).toBe("Details for dinner on Friday");
    expect(builtinTitle(contact("long time no see! how have you been?"))).toBe("Catching up after a while");
    // The person describing it to the coach names the same topic.
    expect(
      builtinTitle([{ author: "user", text: "I went quiet on my friend for two weeks, how do I say sorry" }]),
    ).toBe("Apology for going quiet");
  });

  it("reads only the lines before the coach's first answer", () => {
    const turns = [
      { author: "contact", text: "karaoke friday?" },
      { author: "ai", text: "They're inviting you to make plans." },
      { author: "contact", text: "sorry I went quiet" },
    ] as const;
    expect(builtinTitle(turns)).toBe("Karaoke on Friday");
  });

  it("falls back to the first words said when the reading names no topic", () => {
    expect(builtinTitle(contact("Are we still on?"))).toBe("Are we still on");
    expect(builtinTitle(contact("you looked amazing tonight"))).toBe("You looked amazing tonight");
    expect(builtinTitle(contact("lol what are you up to"))).toBe("What are you up to");
    expect(builtinTitle([{ author: "user", text: "   " }])).toBeNull();
  });
});

describe("titles after the first exchange", () => {
  it("the built-in coach titles a new text session after the topic of the contact's words", async () => {
    const ai = builtinRuntime();
    const person = await createPerson(db, { ai });
    const maya = await insertCharacter(db, { name: "Maya" });
    const { session } = await person.caller.session.start({ characterId: maya.id });
    expect(session.name).toBe("Maya");
    await person.caller.message.send({
      sessionId: session.id,
      text: "Hey, want to grab drinks Saturday night?",
      author: "contact",
      reply: true,
    });
    await backgroundTasks.settle(10_000);
    expect((await person.caller.session.get({ id: session.id })).name).toBe("Drinks on Saturday night");
    // The built-in coach titles without a model call: only the reply is logged.
    expect(await operationsOf(session.id)).toEqual(["REPLY"]);
  });

  it("keeps a name the person set", async () => {
    const ai = builtinRuntime();
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "text", name: "Dinner plans" });
    await person.caller.message.send({
      sessionId: session.id,
      text: "Are we still on?",
      author: "contact",
      reply: true,
    });
    await backgroundTasks.settle(10_000);
    expect((await person.caller.session.get({ id: session.id })).name).toBe("Dinner plans");
    // A rename after titling stands too: the next reply does not title again.
    await person.caller.session.rename({ id: session.id, name: "Mine" });
    await person.caller.message.send({ sessionId: session.id, text: "Hello again", author: "contact", reply: true });
    await backgroundTasks.settle(10_000);
    expect((await person.caller.session.get({ id: session.id })).name).toBe("Mine");
  });

  it("a configured model titles the session in one logged title call, once", async () => {
    const ai = modelRuntime();
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "text" });
    await person.caller.message.send({
      sessionId: session.id,
      text: "Drinks Saturday at Rosa's?",
      author: "contact",
      reply: true,
    });
    await backgroundTasks.settle(15_000);
    expect((await person.caller.session.get({ id: session.id })).name).toBe("Drinks on Saturday");
    expect(await operationsOf(session.id)).toEqual(["REPLY", "TITLE"]);
    const titleCall = model.requests.filter(
      (request) => request.body?.response_format?.json_schema?.name === "session_title",
    );
    expect(titleCall).toHaveLength(1);
    // A retried job titling again finds the session titled: no second call.
    const context = { userId: person.id, sessionId: session.id, ip: null, dataSource: "web" as const };
    expect(await titleAfterReply(ai, userScope(db, { id: person.id, role: "user" } as never), context)).toBeNull();
    expect(await operationsOf(session.id)).toEqual(["REPLY", "TITLE"]);
  });
});

describe("screenshot titles", () => {
  it("a screenshot session is titled after the contact's name when the reading is confirmed", async () => {
    const ai = builtinRuntime();
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "screenshot" });
    const lines = [
      { id: "l1", text: "are you coming tonight?", author: "contact", sender: "Sam Rivera" },
      { id: "l2", text: "yes! what time", author: "user" },
    ];
    await db.pool.query(
      `UPDATE sessions SET status = 'VERIFYING_OCR', screenshot_key = 'k', ocr_result = $2 WHERE id = $1`,
      [session.id, JSON.stringify(lines)],
    );
    await person.caller.session.confirmOcr({
      id: session.id,
      lines: lines.map(({ text, author }) => ({ text, author: author as "user" | "contact" })),
    });
    expect((await person.caller.session.get({ id: session.id })).name).toBe("Sam Rivera");
  });

  it("without a sender, the first line read names it", async () => {
    const ai = builtinRuntime();
    const person = await createPerson(db, { ai });
    const session = await person.caller.session.create({ type: "screenshot" });
    await db.pool.query(
      `UPDATE sessions SET status = 'VERIFYING_OCR', screenshot_key = 'k', ocr_result = $2 WHERE id = $1`,
      [session.id, JSON.stringify([{ id: "l1", text: "are you coming tonight?", author: "contact" }])],
    );
    await person.caller.session.confirmOcr({
      id: session.id,
      lines: [{ text: "are you coming tonight?", author: "contact" }],
    });
    expect((await person.caller.session.get({ id: session.id })).name).toBe("Are you coming tonight");
  });
});
