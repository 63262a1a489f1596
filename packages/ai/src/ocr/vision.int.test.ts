// The vision cross-check against the fake OpenAI-compatible server (real HTTP, real interaction
// log on a real database): the screenshot goes as an image with a structured-output request, the
// call is logged as its own interaction, and where the model's turns disagree with OCR (one
// deliberately wrong text, one wrong author, one bubble OCR never saw) the lines are flagged.
import { createTestDatabase, type TestDatabase } from "@lockstep/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatBubble, renderChatScreenshot } from "../../test/chat-screenshot.ts";
import {
  type FakeChatRequestBody,
  imageInputs,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from "../../test/index.ts";
import { createInteractionLog } from "../log/interaction-log.ts";
import { createOcrPool } from "./pool.ts";
import { recognizeMessages } from "./read.ts";
import { createVisionReader, crossCheck } from "./vision.ts";

const CONVERSATION: ChatBubble[] = [
  { text: "Hey, are we still on for dinner tonight?", side: "left" },
  { text: "Yes! Seven o'clock at the Italian place near the station", side: "right" },
  { text: "Perfect. I will book a table for two", side: "left" },
  { text: "Great, see you there", side: "right" },
];

let db: TestDatabase;
let server: FakeOpenAiServer;
const engine = createOcrPool({ workers: 1 });
const requests: FakeChatRequestBody[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startFakeOpenAiServer({
    reply: (body) => {
      requests.push(body);
      // The model's reading: the third turn's text deliberately wrong, the fourth given to the
      // other side, and a last bubble that is not in the picture at all.
      return JSON.stringify({
        turns: [
          { side: "them", text: CONVERSATION[0]!.text, time: null },
          { side: "me", text: CONVERSATION[1]!.text, time: "7:02 PM" },
          { side: "them", text: "Perfect. I will cook dinner for the two of us", time: null },
          { side: "them", text: CONVERSATION[3]!.text, time: null },
          { side: "them", text: "Bring wine 🍷", time: "7:05 PM" },
        ],
      });
    },
  });
});
afterAll(async () => {
  await engine.terminate();
  await server?.close();
  await db?.close();
});

describe("vision cross-check", () => {
  it("sends the image for structured turns, logs the call, and flags where the model and OCR disagree", async () => {
    const image = await renderChatScreenshot(CONVERSATION, {
      theme: "imessage",
      fontFamily: "DejaVu Sans",
      fontSize: 24,
    });
    const { messages } = await recognizeMessages(engine, image);
    expect(messages.map((line) => line.author)).toEqual(["contact", "user", "contact", "user"]);

    const log = createInteractionLog(db, { masking: true });
    const vision = createVisionReader({ baseURL: server.baseURL, apiKey: "sk-test", model: "fake-vision" });
    const file = {
      data: image,
      key: "screenshots/test/vision.png",
      mime: "image/png",
      bytes: image.length,
      width: 720,
      height: 600,
      sha256: "f".repeat(64),
    };
    const turns = await vision.read({
      file,
      log,
      context: { userId: null, sessionId: null, ip: null, dataSource: "web" },
    });
    expect(turns).toHaveLength(5);

    const sent = requests.at(-1)!;
    expect(imageInputs(sent)).toEqual([`data:image/png;base64,${image.toString("base64")}`]);
    expect(sent.response_format?.type).toBe("json_schema");
    expect(sent.response_format?.json_schema?.name).toBe("chat_turns");

    const checked = crossCheck(messages, turns);
    expect(checked).toHaveLength(5);
    expect(checked[0]!.flags ?? []).toEqual([]);
    expect(checked[1]!.flags ?? []).toEqual([]);
    expect(checked[2]!.flags).toContain("vision_text");
    expect(checked[2]!.alternative?.text).toBe("Perfect. I will cook dinner for the two of us");
    expect(checked[2]!.text).toBe(messages[2]!.text);
    expect(checked[3]!.flags).toEqual(["vision_author"]);
    expect(checked[3]!.alternative?.author).toBe("contact");
    expect(checked[4]).toMatchObject({ text: "Bring wine 🍷", author: "contact", flags: ["vision_only"] });
    expect(new Set(checked.map((line) => line.id)).size).toBe(5);

    const { rows } = await db.pool.query(
      `SELECT operation, status, model_name, file_metadata, input_tokens, output_tokens, latency_ms FROM ai_interactions WHERE model_name = 'fake-vision'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: "OCR", status: "SUCCESS", model_name: "fake-vision" });
    expect(rows[0].file_metadata).toMatchObject({ key: file.key, mime: "image/png", sha256: file.sha256 });
    expect(rows[0].input_tokens).toBeGreaterThan(85);
    expect(rows[0].output_tokens).toBeGreaterThan(0);
    expect(rows[0].latency_ms).toBeGreaterThanOrEqual(0);
  });

  it("leaves lines alone when the model agrees", () => {
    const lines = [
      { id: "line-1", text: "Hello there", author: "contact" as const },
      { id: "line-2", text: "Hi!", author: "user" as const },
    ];
    expect(
      crossCheck(lines, [
        { side: "them", text: "Hello there", time: null },
        { side: "me", text: "Hi!", time: null },
      ]),
    ).toEqual(lines);
  });
});
