// The coach's knowledge: which chunks fit which move, from the retrieved ones first and else the starter knowledge base shipped with the product.
import { parseKnowledgeFile } from "@lockstep/contracts";
import type { GroundingChunk } from "../../provider.ts";
import starterFile from "../../../../../prisma/seed/data/knowledge/starter.json" with { type: "json" };

/**
 * The seeded starter chunks, as the seed stores them. Retrieval hands the coach the four chunks
 * nearest to the conversation's words, which need not include one for the move it makes; this
 * copy guarantees every move is grounded in real guidance even then, or when retrieval failed.
 */
function loadStarterChunks(): GroundingChunk[] {
  const parsed = parseKnowledgeFile(starterFile);
  if (!parsed.ok) throw new Error(`the starter knowledge base does not validate: ${JSON.stringify(parsed.errors[0])}`);
  return parsed.chunks.map((chunk) => ({
    chunkId: chunk.chunkId,
    text: chunk.textContent,
    situation: chunk.situation,
    primaryIntent: chunk.primaryIntent,
    techniques: chunk.techniques,
    goal: chunk.goal,
    phase: chunk.phase,
    score: 0,
  }));
}

let starter: GroundingChunk[] | null = null;

export function starterChunks(): GroundingChunk[] {
  starter ??= loadStarterChunks();
  return starter;
}

/**
 * The chunk that grounds a move with this primary intent: the best retrieved one when retrieval
 * found one (an operator's own chunks win), else one of the starter chunks, chosen by `seed` so
 * the same conversation always gets the same one.
 */
export function chunkForIntent(
  intent: string,
  retrieved: readonly GroundingChunk[],
  seed: number,
): GroundingChunk | null {
  const fromRetrieval = retrieved
    .filter((chunk) => chunk.primaryIntent === intent)
    .sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId));
  if (fromRetrieval[0]) return fromRetrieval[0];
  const fromStarter = starterChunks().filter((chunk) => chunk.primaryIntent === intent);
  return fromStarter.length > 0 ? (fromStarter[seed % fromStarter.length] ?? null) : null;
}
