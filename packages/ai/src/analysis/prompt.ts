// Builds the prompt of a model call from what the coach knows: the character's system prompt, the
// episode template, the person's memories with this character, the recent conversation and the
// retrieved knowledge chunks. The same inputs go to the built-in provider as structured context.
import { chatPromptText } from "../log/interaction-log.ts";
import type { ChatMessage, GroundingChunk, PromptContext } from "../provider.ts";

export type PromptTask = "reply" | "suggest";

export interface PromptInput {
  task: PromptTask;
  character: { name: string; systemPrompt: string } | null;
  template: { title: string; situation: string } | null;
  memories: string[];
  /** Oldest first. `user` is the person, `contact` the one they are talking to, `ai` the coach. */
  conversation: { author: "user" | "contact" | "ai"; text: string }[];
  chunks: GroundingChunk[];
}

export interface BuiltPrompt {
  messages: ChatMessage[];
  /** The whole prompt as one text: what is logged and hashed. */
  promptText: string;
  context: PromptContext;
}

const DEFAULT_COACH = {
  name: "Coach",
  systemPrompt:
    "You are a warm, honest communication coach. You help people say what they mean, kindly and clearly. " +
    "You never suggest manipulation or pressure, and you respect the other person's answers.",
};

/** How many messages of history a prompt carries; older ones are summarised by the memories. */
export const HISTORY_LIMIT = 30;

export const SUGGESTION_INSTRUCTIONS =
  'Suggest up to three things the person could send next. Answer only with JSON of the form {"suggestions":[{"title","tag","text","analysis"}]}: ' +
  "title is a few words naming the approach, tag one word (for example Attraction, Comfort, Confidence, Repair), text the message itself " +
  "in the person's voice, and analysis one or two sentences on why this works. Ground them in the knowledge below.";

export function buildPrompt(input: PromptInput): BuiltPrompt {
  const character = input.character ?? DEFAULT_COACH;
  const history = input.conversation.slice(-HISTORY_LIMIT);
  const sections = [character.systemPrompt.trim()];
  if (input.template) sections.push(`Scenario: ${input.template.title}. ${input.template.situation}`);
  if (input.memories.length)
    sections.push(`What you remember about this person:\n${input.memories.map((memory) => `- ${memory}`).join("\n")}`);
  if (input.chunks.length) {
    sections.push(
      `Guidance from the knowledge base (use what fits, never quote ids):\n${input.chunks
        .map((chunk) => `- ${chunk.text}${chunk.situation ? ` (when: ${chunk.situation})` : ""}`)
        .join("\n")}`,
    );
  }
  if (input.task === "suggest") sections.push(SUGGESTION_INSTRUCTIONS);

  const messages: ChatMessage[] = [{ role: "system", content: sections.join("\n\n") }];
  if (input.task === "reply") {
    for (const turn of history) {
      if (turn.author === "ai") messages.push({ role: "assistant", content: turn.text });
      else if (turn.author === "user") messages.push({ role: "user", content: turn.text });
      // What the contact said reaches the coach through the person, marked as such.
      else messages.push({ role: "user", content: `(They said:) ${turn.text}` });
    }
  } else {
    const transcript = history
      .filter((turn) => turn.author !== "ai")
      .map((turn) => `${turn.author === "user" ? "Me" : "Them"}: ${turn.text}`)
      .join("\n");
    messages.push({ role: "user", content: `Here is the conversation so far:\n${transcript || "(nothing yet)"}` });
  }

  return {
    messages,
    promptText: chatPromptText(messages),
    context: { characterName: character.name, conversation: history, chunks: input.chunks, memories: input.memories },
  };
}

/** What to search the knowledge base with: the latest words of the people in the conversation. */
export function retrievalQuery(conversation: PromptInput["conversation"]): string {
  const spoken = conversation.filter((turn) => turn.author !== "ai").slice(-3);
  return (
    spoken
      .map((turn) => turn.text)
      .join("\n")
      .slice(0, 2000) || "starting a conversation"
  );
}
