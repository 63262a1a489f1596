// Names a session after what it is about: a text session after its first exchange, a screenshot session
// after the contact read from it. Only a name still at its default is replaced, so a person's rename stands.
import type { AiRuntime, CallContext } from "@lockstep/ai";
import { MessageAuthor, type TMessageAuthor, type TMessageAuthorDb, type TOcrLine } from "@lockstep/contracts";
import type { ScopedTx } from "@lockstep/db";
import { z } from "zod";
import type { UserScope } from "../scopes.ts";
import { topicTitle } from "./topic-titles.ts";
import { mayMakeSideCall } from "./usage.ts";

/** Longest generated title; the sidebar shows about this much. */
export const TITLE_MAX = 60;
/** How many words the built-in coach keeps from the first message. */
const TITLE_WORDS = 6;

/** Greetings and fillers that say nothing about the topic; dropped from the start of a title. */
const FILLER = new Set(["hey", "hi", "hello", "hiya", "yo", "so", "ok", "okay", "oh", "um", "well", "lol", "haha"]);

/**
 * A short readable title from a message: its first few meaningful words, cut at a word boundary to at
 * most TITLE_MAX characters, without trailing punctuation, first letter capitalised. Null if nothing is left.
 */
export function titleFromText(text: string): string | null {
  const words = text
    .replace(/https?:\/\/\S+/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  while (words.length && FILLER.has(words[0]!.toLowerCase().replace(/[^\p{L}]/gu, ""))) words.shift();
  // Stop at the end of the first sentence: what follows is rarely part of the topic.
  const kept: string[] = [];
  for (const word of words.slice(0, TITLE_WORDS)) {
    kept.push(word);
    if (/[.!?]$/.test(word)) break;
  }
  return tidy(kept.join(" "));
}

/** Cuts to TITLE_MAX at a word boundary and drops trailing punctuation; null when empty. */
export function tidy(raw: string): string | null {
  let title = raw
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/g, "");
  if (title.length > TITLE_MAX) {
    const cut = title.slice(0, TITLE_MAX + 1);
    const space = cut.lastIndexOf(" ");
    title = space > 0 ? cut.slice(0, space) : title.slice(0, TITLE_MAX);
  }
  title = title.replace(/[\s\p{P}]+$/u, "").trim();
  if (!title) return null;
  return title[0]!.toUpperCase() + title.slice(1);
}

interface TitleState {
  name: string | null;
  /** The name the session got at creation: its scenario's title, else its character's name. */
  default_name: string | null;
}

/**
 * The session's name and its default, or null if it is gone. A session still carrying its default (or no
 * name) has not been named by the person nor titled yet: comparing with the default, rather than keeping a
 * flag, means a rename back to the default is the one case titled again, which is harmless.
 */
async function titleState(tx: ScopedTx, sessionId: string): Promise<TitleState | null> {
  const rows = await tx.$queryRaw<TitleState[]>`
    SELECT s.name, COALESCE(t.title, c.name) AS default_name
      FROM sessions s
      LEFT JOIN characters c ON c.id = s.character_id
      LEFT JOIN episode_templates t ON t.id = s.episode_template_id
     WHERE s.id = ${sessionId}::uuid AND s.deleted_at IS NULL`;
  return rows[0] ?? null;
}

function untitled(state: TitleState): boolean {
  return state.name === null || state.name.trim() === "" || state.name === state.default_name;
}

/** Sets the title only if the name is still what was read, so a rename made meanwhile wins. */
async function setTitleIfUnchanged(tx: ScopedTx, sessionId: string, from: string | null, title: string) {
  const updated = await tx.$executeRaw`
    UPDATE sessions SET name = ${title}, updated_at = now()
     WHERE id = ${sessionId}::uuid AND deleted_at IS NULL AND name IS NOT DISTINCT FROM ${from}`;
  return updated > 0;
}

/** A line of the conversation as the titles read it, its author in the API's words. */
type Turn = { author: TMessageAuthor; text: string };

/** The first words of the conversation that are not the coach's: the contact's, or the person's if they wrote first. */
async function firstWords(tx: ScopedTx, sessionId: string): Promise<Turn[]> {
  const rows = await tx.$queryRaw<{ author: TMessageAuthorDb; text: string }[]>`
    SELECT author::text AS author, text FROM messages
     WHERE session_id = ${sessionId}::uuid AND hidden = false AND title IS NULL
     ORDER BY timestamp, id LIMIT 4`;
  return rows.map((row) => ({ author: MessageAuthor.toWire(row.author), text: row.text }));
}

const ZTitleSchema = z.object({ title: z.string().min(1).max(200) });

/**
 * Titles a text session after its first exchange, once: the built-in coach names its topic, or else takes
 * the first words said;
 * a configured model is asked in a short call logged as its own `title` operation. Returns the title set,
 * or null when the session keeps its name. Never throws: a title is a nicety, the reply is what matters.
 */
export async function titleAfterReply(
  ai: AiRuntime,
  scope: UserScope,
  context: CallContext & { sessionId: string },
): Promise<string | null> {
  try {
    const sessionId = context.sessionId;
    const found = await scope.run(async (tx) => {
      const state = await titleState(tx, sessionId);
      if (!state || !untitled(state)) return null;
      return { state, turns: await firstWords(tx, sessionId) };
    });
    if (!found) return null;
    const said = found.turns.filter((turn) => turn.author !== "ai");
    const first = said[0];
    if (!first || !found.turns.some((turn) => turn.author === "ai")) return null;
    // The built-in coach makes no call for a title; a model is asked only while the person's limits
    // allow one more call, and past them the title is read as the built-in coach reads it.
    const title =
      ai.provider.kind === "builtin" || !(await mayMakeSideCall(scope))
        ? builtinTitle(found.turns)
        : await askModelForTitle(ai, context, found.turns);
    if (!title || title === found.state.name) return null;
    const set = await scope.run((tx) => setTitleIfUnchanged(tx, sessionId, found.state.name, title));
    return set ? title : null;
  } catch (error) {
    console.error(`[titles] could not title session ${context.sessionId}:`, error);
    return null;
  }
}

/**
 * The built-in coach's title, with no model call: the topic its reader finds in the first exchange (the
 * lines before its first answer), else the first words said.
 */
export function builtinTitle(turns: readonly Turn[]): string | null {
  const firstAnswer = turns.findIndex((turn) => turn.author === "ai");
  const spoken = firstAnswer > 0 ? turns.slice(0, firstAnswer) : turns.filter((turn) => turn.author !== "ai");
  const exchange = spoken.map(
    (turn) => ({ author: turn.author === "contact" ? "contact" : "user", text: turn.text }) as const,
  );
  const first = exchange[0];
  if (!first) return null;
  return tidy(topicTitle(exchange) ?? "") ?? titleFromText(first.text);
}

async function askModelForTitle(ai: AiRuntime, context: CallContext, turns: Turn[]): Promise<string | null> {
  const transcript = turns
    .map((turn) => `${turn.author === "user" ? "Me" : turn.author === "contact" ? "Them" : "Coach"}: ${turn.text}`)
    .join("\n");
  const messages = [
    {
      role: "system" as const,
      content:
        "Name this conversation in at most six words, like a chat app's sidebar title, about what the other person said. " +
        'No quotes, no trailing punctuation. Answer as JSON: {"title": "..."}.',
    },
    { role: "user" as const, content: transcript },
  ];
  const handle = await ai.log.begin({
    operation: "title",
    provider: { name: ai.provider.name, kind: ai.provider.kind, baseUrl: ai.provider.baseUrl },
    model: ai.provider.chatModel,
    promptText: transcript,
    request: { model: ai.provider.chatModel, messages, response_format: "session_title" },
    context,
  });
  try {
    const result = await ai.provider.completeStructured({
      messages,
      schema: ZTitleSchema,
      schemaName: "session_title",
    });
    await handle.succeed({
      response: result.raw,
      responses: [{ content: result.value.title }],
      usage: result.usage,
    });
    return tidy(result.value.title);
  } catch (error) {
    await handle.fail(error);
    throw error;
  }
}

/**
 * The title of a screenshot session once the person confirms what was read: the contact's name when a
 * bubble carried one, else the first line read. Runs inside the confirming transaction.
 */
export async function titleScreenshot(
  tx: ScopedTx,
  sessionId: string,
  read: Pick<TOcrLine, "author" | "sender">[],
  confirmed: { text: string }[],
): Promise<string | null> {
  const state = await titleState(tx, sessionId);
  if (!state || !untitled(state)) return null;
  const sender = read.find((line) => line.author === "contact" && line.sender?.trim())?.sender;
  const title = tidy(sender ?? "") ?? (confirmed[0] ? titleFromText(confirmed[0].text) : null);
  if (!title) return null;
  return (await setTitleIfUnchanged(tx, sessionId, state.name, title)) ? title : null;
}
