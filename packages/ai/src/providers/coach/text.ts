// Texting shorthand spelled out, so the rules that read a message see "tomorrow" in "tmrw" and "you are" in "u r".
const SHORTHAND: readonly [RegExp, string][] = [
  [/\b(tmrw|tmrow|tmr|tomoz|2moro|2morrow)\b/g, "tomorrow"],
  [/\b(tonite|2nite|tn)\b/g, "tonight"],
  [/\b(sry|soz|sowwy|srry)\b/g, "sorry"],
  [/\b(u)\b/g, "you"],
  [/\b(ur)\b/g, "your"],
  [/\b(r)\b/g, "are"],
  [/\b(pls|plz|pleeease|pleease)\b/g, "please"],
  [/\b(thx|thnx|ty)\b/g, "thanks"],
  [/\b(wanna)\b/g, "want to"],
  [/\b(gonna)\b/g, "going to"],
  [/\b(gotta)\b/g, "got to"],
  [/\b(rn)\b/g, "right now"],
  [/\b(wyd)\b/g, "what are you doing"],
  [/\b(hbu|wbu)\b/g, "how about you"],
  [/\b(idk)\b/g, "i don't know"],
  [/\b(ngl)\b/g, "not going to lie"],
  [/\b(bc|cuz|coz|cos)\b/g, "because"],
  [/\b(b4)\b/g, "before"],
  [/\b(on|this|next|for|til|till|until) sat\b/g, "$1 saturday"],
  [/\bsat(?= night| morning| afternoon|\?|!|$)/g, "saturday"],
  [/\b(fri)\b/g, "friday"],
  [/\b(thurs|thu)\b/g, "thursday"],
  [/\b(wknd|wkend)\b/g, "weekend"],
  [/\b(bday)\b/g, "birthday"],
  [/\b(omw)\b/g, "on my way"],
  [/\b(im)\b/g, "i'm"],
  [/\b(dont)\b/g, "don't"],
  [/\b(cant)\b/g, "can't"],
  [/\b(didnt)\b/g, "didn't"],
  [/\b(wont)\b/g, "won't"],
  [/\b(ive)\b/g, "i've"],
  [/\b(youre)\b/g, "you're"],
  [/\b(thats)\b/g, "that's"],
];

/** Lower case, curly quotes straightened, shorthand spelled out, repeated letters ("soooo") cut to two. */
export function normalise(text: string): string {
  let out = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/([a-z])\1{2,}/g, "$1$1");
  for (const [pattern, replacement] of SHORTHAND) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, " ").trim();
}

/** Upper-cases the first letter; used when a detail starts a sentence. */
export function capitalise(text: string): string {
  return text.length > 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
