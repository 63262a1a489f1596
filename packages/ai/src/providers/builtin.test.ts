// The built-in provider: deterministic replies and suggestions grounded in the chunks it is given, memories, embeddings.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  EMBEDDING_DIMENSIONS,
  ProviderError,
  type ChatRequest,
  type ChatStreamEvent,
  type GroundingChunk,
} from "../provider.ts";
import { BUILTIN_CHAT_MODEL, composeReply, createBuiltinProvider, exampleOf, humanise } from "./builtin.ts";
import { cosine } from "./lexical-embedding.ts";

const OPENER: GroundingChunk = {
  chunkId: "attraction_opener_001",
  text: "Open with something specific from their profile instead of a generic 'hey' or a comment on their looks. A specific detail shows you actually read what they shared and gives them something enjoyable and easy to answer. Keep it to one or two lines and end with a question you genuinely want answered: \"That photo on the Lisbon tram looks great. Was it a planned trip or a spur-of-the-moment one?\"",
  situation: "Sending the first message to a new match on a dating app.",
  primaryIntent: "spark_curiosity",
  techniques: ["specific_observation", "open_question"],
  goal: "attraction",
  phase: 1,
  score: 0.71,
};
const DRY_REPLY: GroundingChunk = {
  chunkId: "attraction_response_002",
  text: 'A dry reply can mean they are busy, tired, shy or simply not that interested, and you cannot tell which from one message. Do not chase or comment on it; offer one easy, lighter thread that needs little effort to answer. If the next reply is just as flat, it is fine to let the conversation rest rather than push: "Fair enough! Quick one then: beach holiday or city break?"',
  situation:
    'The other person replies with something short and dry like "haha yeah" or "cool" early in the conversation.',
  primaryIntent: "re_engage_lightly",
  techniques: ["lower_the_effort", "read_the_signals", "graceful_exit"],
  goal: "attraction",
  phase: 1,
  score: 0.83,
};
const BOUNDARY: GroundingChunk = {
  chunkId: "comfort_closing_001",
  text: "You never owe anyone a conversation that makes you uncomfortable, and you do not need to explain or soften a boundary for it to count. A short, clear message is enough; if they push past it, unmatching, blocking and reporting are completely reasonable. Your safety and comfort come before being polite: \"I'm not comfortable with that. If you'd like to keep chatting, keep it respectful.\"",
  situation: "Someone sends a sexual, pushy or uncomfortable message you did not invite.",
  primaryIntent: "set_boundary",
  techniques: ["clear_boundary", "kind_honesty"],
  goal: "comfort",
  phase: 1,
  score: 0.42,
};
/** An operator's own chunk for the "answer and ask back" move of small talk: retrieved, it wins over the starter ones. */
const MOMENTUM: GroundingChunk = {
  chunkId: "operator_momentum_001",
  text: 'Answer their question with one small real detail and hand a question back. It keeps the rhythm going without effort on either side: "Good! Just back from a run. You?"',
  situation: "Light back-and-forth small talk.",
  primaryIntent: "build_momentum",
  techniques: ["answer_and_ask"],
  goal: "attraction",
  phase: 2,
  score: 0.31,
};
const NO_EXAMPLE: GroundingChunk = {
  ...OPENER,
  chunkId: "no_example",
  text: "Advice without an example line.",
  score: 0.99,
};

const ZSuggestions = z.object({
  suggestions: z
    .array(
      z.object({
        title: z.string().min(1).max(120),
        tag: z.string().min(1).max(40),
        text: z.string().min(1),
        analysis: z.string().min(1),
      }),
    )
    .min(1)
    .max(3),
});
const ZMemories = z.object({
  memories: z.array(
    z.object({ kind: z.enum(["fact", "preference"]), content: z.string(), sourceIndex: z.number().int() }),
  ),
});

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [
      { role: "system", content: "You are Maya." },
      { role: "user", content: "They replied haha yeah, what now?" },
    ],
    context: {
      characterName: "Maya",
      conversation: [
        { author: "user", text: "That photo on the tram looks great!" },
        { author: "contact", text: "haha yeah" },
      ],
      chunks: [OPENER, DRY_REPLY, BOUNDARY],
    },
    ...overrides,
  };
}

async function stream(req: ChatRequest): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of createBuiltinProvider().streamChat(req)) events.push(event);
  return events;
}

const textOf = (events: ChatStreamEvent[]) => events.map((e) => (e.type === "token" ? e.text : "")).join("");

describe("identity", () => {
  it("says what it is", () => {
    const p = createBuiltinProvider();
    expect([p.name, p.kind, p.baseUrl, p.chatModel]).toEqual(["builtin", "builtin", null, BUILTIN_CHAT_MODEL]);
    expect(BUILTIN_CHAT_MODEL).toBe("lockstep-builtin-1");
  });
});

describe("streamChat", () => {
  it("is deterministic: the same request streams the same tokens", async () => {
    expect(await stream(request())).toEqual(await stream(request()));
  });

  it("reads the contact's last line and answers it in the character's voice, grounded in the retrieved chunk for its move", async () => {
    const context = { ...request().context, chunks: [OPENER, MOMENTUM, DRY_REPLY, BOUNDARY] };
    const events = await stream(request({ context }));
    const text = textOf(events);
    expect(text).toMatch(/^It's easy small talk, and it reads warm/);
    // The retrieved chunk whose intent is the move's, whatever its score, over the starter ones.
    expect(text).toContain("Answer their question with one small real detail and hand a question back.");
    expect(text).toContain('You could say: "Pretty good, thanks!');
    // It drafts an answer; it does not hand the contact's words back.
    expect(text).not.toContain('"haha yeah"');
    expect(text.endsWith("— Maya")).toBe(true);
    const shuffled = await stream(
      request({ context: { ...context, chunks: [BOUNDARY, DRY_REPLY, MOMENTUM, OPENER] } }),
    );
    expect(textOf(shuffled)).toBe(text);
  });

  it("streams word by word and ends with usage counted in words", async () => {
    const events = await stream(request());
    const tokens = events.filter((e) => e.type === "token");
    expect(tokens.length).toBeGreaterThan(20);
    for (const token of tokens) expect(token.type === "token" && /^\S+\s*$/.test(token.text)).toBe(true);
    expect(events.at(-1)).toEqual({
      type: "done",
      usage: { inputTokens: 9, outputTokens: tokens.length },
      finishReason: "stop",
    });
  });

  it("grounds its advice in the starter knowledge base when retrieval found nothing", async () => {
    const text = textOf(
      await stream(
        request({
          context: {
            characterName: "Maya",
            chunks: [],
            conversation: [{ author: "contact", text: "I GOT THE JOB!!! 🎉" }],
          },
        }),
      ),
    );
    expect(text).toMatch(/^They're sharing good news \(the job\), and it reads warm/);
    // The first sentence of the starter chunk for celebrating (prisma/seed/data/knowledge).
    expect(text).toMatch(
      /Celebrate with real enthusiasm first|Be visibly happy for them|Congratulate them specifically/,
    );
    expect(text).toContain("You worked so hard for your job");
  });

  it("reads the conversation from the prompt's messages when it has no context", async () => {
    const text = textOf(
      await stream({ messages: [{ role: "user", content: "(They said:) want to get dinner on Friday?" }] }),
    );
    expect(text).toMatch(/^They're inviting you to make plans \(dinner Friday\)/);
    expect(text.endsWith("— your coach")).toBe(true);
  });

  it("asks what is going on when nobody has said anything yet", async () => {
    const text = textOf(
      await stream({ messages: [{ role: "system", content: "You are Maya." }], context: { characterName: "Maya" } }),
    );
    expect(text).toBe(
      "Tell me a bit about what's going on: who is it, what did they say, and what would you like to happen next? — Maya",
    );
  });

  it("stops with cancelled when aborted", async () => {
    const controller = new AbortController();
    const events: ChatStreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of createBuiltinProvider().streamChat(request({ signal: controller.signal }))) {
          events.push(event);
          if (events.length === 3) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: "cancelled" });
    expect(events).toHaveLength(3);
  });

  it("reads the tone of what the contact said", () => {
    const warm = composeReply(
      request({
        context: { ...request().context, conversation: [{ author: "contact", text: "I had a wonderful time!" }] },
      }),
    );
    const tense = composeReply(
      request({
        context: { ...request().context, conversation: [{ author: "contact", text: "This is awful, stop." }] },
      }),
    );
    expect(warm).toContain("it reads warm");
    expect(tense).toContain("they sound upset, so slow down and go gently");
  });
});

describe("completeStructured", () => {
  it("builds three suggestions that fit the situation, grounded in the chunk for each move, valid for the schema", async () => {
    const result = await createBuiltinProvider().completeStructured({
      ...request({
        context: {
          ...request().context,
          conversation: [{ author: "contact", text: "want to grab drinks at Rosa's on Saturday? 🍻" }],
          chunks: [OPENER, NO_EXAMPLE, DRY_REPLY, BOUNDARY],
        },
      }),
      schema: ZSuggestions,
      schemaName: "suggestions",
    });
    expect(result.value.suggestions).toHaveLength(3);
    const [first, second, third] = result.value.suggestions;
    expect(first).toMatchObject({
      title: "Say yes and lock it in",
      tag: "Commitment",
      text: "Yes, I'd love that! Drinks Saturday at Rosa's sounds perfect. What time works for you?",
    });
    // The analysis: why the chunk's move works, the reading with its details, and the chunk's techniques.
    expect(first?.analysis).toContain(
      "They're inviting you to make plans (drinks Saturday at Rosa's), and it reads warm",
    );
    expect(first?.analysis).toMatch(/Technique: [a-z ,]+\.$/);
    expect(second).toMatchObject({ title: "Make it concrete", tag: "Attraction" });
    expect(second?.text).toContain("Rosa's");
    expect(third).toMatchObject({ title: "Can't make it? Offer another day", tag: "Commitment" });
    expect(third?.text).toContain("Sunday instead");
    // None of the retrieved chunks is for making plans: none of their moves is suggested.
    expect(result.value.suggestions.map((s) => s.title)).not.toContain("Set boundary");
    expect(result.usage.inputTokens).toBe(9);
  });

  it("suggests ways to open the conversation when nothing has been said yet", async () => {
    const result = await createBuiltinProvider().completeStructured({
      messages: [{ role: "system", content: "You are Maya." }],
      context: { chunks: [NO_EXAMPLE] },
      schema: ZSuggestions,
      schemaName: "suggestions",
    });
    expect(result.value.suggestions.length).toBeGreaterThan(0);
    expect(result.value.suggestions.map((s) => s.title)).toContain("Answer and ask back");
  });

  it("extracts memories from the person's own lines", async () => {
    const result = await createBuiltinProvider().completeStructured({
      ...request({
        context: {
          conversation: [
            { author: "user", text: "My name is Alex and I work as a nurse." },
            { author: "contact", text: "I love dogs" },
            { author: "user", text: "I live in Leeds. I enjoy climbing!" },
          ],
        },
      }),
      schema: ZMemories,
      schemaName: "memories",
    });
    expect(result.value.memories).toEqual([
      { kind: "fact", content: "Name is Alex", sourceIndex: 0 },
      { kind: "fact", content: "Works as a nurse", sourceIndex: 0 },
      { kind: "fact", content: "Lives in Leeds", sourceIndex: 2 },
      { kind: "preference", content: "Enjoys climbing", sourceIndex: 2 },
    ]);
  });

  it("validates its own answer with the caller's schema", async () => {
    const strict = z.object({ memories: z.array(z.object({ content: z.string().max(5) })) });
    const error = await createBuiltinProvider()
      .completeStructured({
        ...request({ context: { conversation: [{ author: "user", text: "I love long walks on the beach" }] } }),
        schema: strict,
        schemaName: "memories",
      })
      .catch((e: unknown) => e);
    expect((error as ProviderError).code).toBe("bad_response");
    expect((error as ProviderError).message).toMatch(/memories/);
  });

  it("refuses schemas it has no rules for", async () => {
    const error = await createBuiltinProvider()
      .completeStructured({ ...request(), schema: z.object({ poem: z.string() }), schemaName: "poem" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "bad_response",
      message: "the built-in provider cannot answer poem",
      retryable: false,
    });
  });
});

describe("embed", () => {
  it("returns one unit vector of 1536 numbers per text, the same for the same text", async () => {
    const p = createBuiltinProvider();
    const { vectors, usage } = await p.embed([
      "How do I reply to a dry message?",
      "How do I reply to a dry message?",
      "",
    ]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(Math.hypot(...v)).toBeCloseTo(1, 9);
    }
    expect(vectors[0]).toEqual(vectors[1]);
    expect(usage).toEqual({ inputTokens: 16, outputTokens: null });
  });

  it("ranks the chunk that fits a question first", async () => {
    const p = createBuiltinProvider();
    const chunks = [OPENER, DRY_REPLY, BOUNDARY];
    const { vectors } = await p.embed([
      "They only reply haha yeah, a short dry reply. How do I answer?",
      ...chunks.map((c) => c.text),
    ]);
    const [question, ...rest] = vectors;
    const scores = rest.map((v) => cosine(question ?? [], v));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });
});

describe("helpers", () => {
  it("reads the example line and humanises vocabulary", () => {
    expect(exampleOf(OPENER.text)).toBe(
      "That photo on the Lisbon tram looks great. Was it a planned trip or a spur-of-the-moment one?",
    );
    expect(exampleOf("no example")).toBeNull();
    expect(humanise("spark_curiosity")).toBe("Spark curiosity");
    expect(humanise(null)).toBeNull();
  });
});
