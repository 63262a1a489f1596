// Rule-based extraction of facts and preferences a person states about themselves, for the built-in provider's "memories".
export interface ConversationLine {
  author: "user" | "contact" | "ai";
  text: string;
}

export interface RuleMemory {
  kind: "fact" | "preference";
  content: string;
  /** Index of the line in the conversation it came from. */
  sourceIndex: number;
}

/** The most a single answer carries: memories are a handful of durable things, not a transcript. */
const MAX_MEMORIES = 10;
const MAX_OBJECT_WORDS = 8;

/** Objects that say nothing durable about the person ("I love that!", "I like you"). */
const EMPTY_OBJECTS = new Set([
  "it",
  "that",
  "this",
  "you",
  "your",
  "ur",
  "u",
  "ya",
  "them",
  "him",
  "her",
  "those",
  "these",
  "so",
  "too",
  "what",
  "how",
  "when",
  "which",
]);
/** "I'm a bit tired" is a mood, not an identity. */
const NOT_IDENTITIES = new Set(["bit", "little", "lot", "tad", "few", "fan", "big", "huge", "mess", "wreck"]);

/** Where the object of a statement ends: a new clause with its own subject, or a contrast. */
const CLAUSE_END =
  /\s+(?:(?:and|but|so|because|cause|though|although|while|when|if|since|as)\s+(?:i|i'm|i've|i'd|i'll|we|you|he|she|they|it|my)\b|but|because|though|although|which|who|whereas|except)\s+.*$|\s+(?:but|because|though|although|which|who|whereas|except)$/i;
const TRAILING_FILLER = /\s+(?:too|as well|a lot|so much|very much|really|lol|haha+|tbh|honestly|though|actually)$/i;

function tidyObject(raw: string): string | null {
  let object = raw.replace(CLAUSE_END, "").trim();
  for (let previous = ""; previous !== object;) {
    previous = object;
    object = object.replace(TRAILING_FILLER, "").trim();
  }
  // Trailing emoji and punctuation are not part of a fact.
  object = object.replace(/[^\p{L}\p{N})]+$/u, "").trim();
  if (object.length === 0) return null;
  const words = object.split(/\s+/);
  if (words.length > MAX_OBJECT_WORDS) return null;
  if (EMPTY_OBJECTS.has((words[0] ?? "").toLowerCase())) return null;
  return object;
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

interface Rule {
  pattern: RegExp;
  build(match: RegExpExecArray): Omit<RuleMemory, "sourceIndex"> | null;
}

/** What follows a rule's lead-in: up to the end of the clause (tidyObject trims it further). */
const OBJECT = "([^.,;:!?\\n]+)";
const NAME = "([\\p{L}][\\p{L}'-]*)";

function fromObject(kind: RuleMemory["kind"], prefix: string, group = 1) {
  return (match: RegExpExecArray) => {
    const object = tidyObject(match[group] ?? "");
    return object ? { kind, content: `${prefix} ${object}` } : null;
  };
}

const LIKE_VERBS: Record<string, string> = { like: "Likes", love: "Loves", enjoy: "Enjoys", adore: "Adores" };

/** Every rule runs on every sentence; what they find is kept in the order it was said. */
export const MEMORY_RULES: readonly Rule[] = [
  {
    pattern: new RegExp(`\\b(?:my name is|my name's|i'm called|i am called)\\s+${NAME}`, "giu"),
    build: (m) =>
      m[1] && !EMPTY_OBJECTS.has(m[1].toLowerCase()) ? { kind: "fact", content: `Name is ${capitalise(m[1])}` } : null,
  },
  {
    pattern: /\b(?:i'm|i am)\s+(\d{1,3})(?:\s+years?\s+old|\s*yo|\s*y\/o)\b/giu,
    build: (m) => ({ kind: "fact", content: `Is ${m[1]} years old` }),
  },
  {
    pattern: new RegExp(
      `\\bi\\s+(?:really\\s+|truly\\s+|absolutely\\s+|just\\s+)?(like|love|enjoy|adore)\\s+${OBJECT}`,
      "giu",
    ),
    build: (m) => {
      const object = tidyObject(m[2] ?? "");
      const verb = LIKE_VERBS[(m[1] ?? "").toLowerCase()];
      return object && verb ? { kind: "preference", content: `${verb} ${object}` } : null;
    },
  },
  {
    pattern: new RegExp(
      `\\bi\\s+(?:really\\s+)?(?:(?:don't|do not|dont)\\s+(?:really\\s+)?(?:like|enjoy|love)|can't stand|cannot stand|hate|dislike)\\s+${OBJECT}`,
      "giu",
    ),
    build: fromObject("preference", "Dislikes"),
  },
  {
    pattern: new RegExp(`\\b(?:i'm|i am)\\s+(?:really\\s+|very\\s+|super\\s+)?into\\s+${OBJECT}`, "giu"),
    build: fromObject("preference", "Is into"),
  },
  {
    pattern: new RegExp(`\\b(?:i'm|i am)\\s+(?:a\\s+)?(?:big\\s+|huge\\s+)?fan of\\s+${OBJECT}`, "giu"),
    build: fromObject("preference", "Is a fan of"),
  },
  {
    pattern: new RegExp(`\\bmy\\s+(?:favourite|favorite)\\s+([\\p{L}]+(?:\\s+[\\p{L}]+)?)\\s+is\\s+${OBJECT}`, "giu"),
    build: (m) => {
      const object = tidyObject(m[2] ?? "");
      return object ? { kind: "preference", content: `Favourite ${(m[1] ?? "").toLowerCase()}: ${object}` } : null;
    },
  },
  {
    pattern: new RegExp(`\\bi\\s+work\\s+as\\s+${OBJECT}`, "giu"),
    build: fromObject("fact", "Works as"),
  },
  {
    pattern: new RegExp(`\\bi\\s+work\\s+(at|for|in)\\s+${OBJECT}`, "giu"),
    build: (m) => {
      const object = tidyObject(m[2] ?? "");
      return object ? { kind: "fact", content: `Works ${(m[1] ?? "").toLowerCase()} ${object}` } : null;
    },
  },
  {
    pattern: new RegExp(`\\bi\\s+(?:live|am living|'m living)\\s+in\\s+${OBJECT}`, "giu"),
    build: fromObject("fact", "Lives in"),
  },
  {
    pattern: new RegExp(`\\b(?:i'm|i am)\\s+(?:originally\\s+)?from\\s+${OBJECT}`, "giu"),
    build: fromObject("fact", "Is from"),
  },
  {
    pattern: new RegExp(`\\b(?:i'm|i am)\\s+(an?)\\s+${OBJECT}`, "giu"),
    build: (m) => {
      const object = tidyObject(m[2] ?? "");
      const first = (object?.split(/\s+/)[0] ?? "").toLowerCase();
      if (!object || NOT_IDENTITIES.has(first)) return null;
      return { kind: "fact", content: `Is ${(m[1] ?? "a").toLowerCase()} ${object}` };
    },
  },
];

function sentencesOf(text: string): string[] {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Facts and preferences the person (author "user") states about themselves. Lines by the contact
 * or the coach are about someone else and are skipped. Duplicates keep their first source.
 */
export function extractMemoriesByRules(conversation: readonly ConversationLine[]): RuleMemory[] {
  const found: RuleMemory[] = [];
  const seen = new Set<string>();
  conversation.forEach((line, sourceIndex) => {
    if (line.author !== "user") return;
    for (const sentence of sentencesOf(line.text)) {
      const matches: { at: number; memory: Omit<RuleMemory, "sourceIndex"> }[] = [];
      for (const rule of MEMORY_RULES) {
        rule.pattern.lastIndex = 0;
        for (let match = rule.pattern.exec(sentence); match; match = rule.pattern.exec(sentence)) {
          const memory = rule.build(match);
          if (memory) matches.push({ at: match.index, memory });
        }
      }
      // In the order they were said, not the order of the rules.
      for (const { memory } of matches.sort((a, b) => a.at - b.at)) {
        const key = memory.content.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ ...memory, sourceIndex });
      }
    }
  });
  return found.slice(0, MAX_MEMORIES);
}
