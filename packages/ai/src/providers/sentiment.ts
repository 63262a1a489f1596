// Positive / negative / neutral for a message, from wink-sentiment's AFINN lexicon (with negation, emojis and emoticons).
// The library ships no types; the reference makes ours visible to every package compiling this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./wink-sentiment.d.ts" />
import type { TMessageSentiment } from "@lockstep/contracts";
import winkSentiment from "wink-sentiment";

/**
 * Scores within this distance of zero count as neutral: a single mildly tinted word in a mixed or
 * flat message ("I love it but it is terrible", "ok") should not colour the whole message.
 */
export const SENTIMENT_DEAD_ZONE = 0.5;

export function sentimentOf(text: string): TMessageSentiment {
  if (text.trim().length === 0) return "neutral";
  const { normalizedScore } = winkSentiment(text);
  if (normalizedScore > SENTIMENT_DEAD_ZONE) return "positive";
  if (normalizedScore < -SENTIMENT_DEAD_ZONE) return "negative";
  return "neutral";
}
