// Seeded conversations for the screenshot corpus: what people write (short and long lines, links,
// emoji, numbers), who wrote it, and the chrome around it (separators, notices, reactions, typing).
import { type AppStyle, STYLES } from "./styles.ts";

export type Author = "me" | "them";

export type Item =
  | { kind: "separator"; text: string }
  | { kind: "notice"; text: string }
  | {
      kind: "message";
      index: number;
      author: Author;
      text: string;
      time: string;
      /** Group conversations: the contact's name shown in the first bubble of their run. */
      sender?: string;
      reaction?: string;
      emojiOnly?: boolean;
    };

export interface Conversation {
  contact: string;
  group: string | null;
  subtitle: string;
  items: Item[];
  typing: boolean;
}

const PHRASES = [
  "Hey! How was your weekend?",
  "Pretty good actually, we went hiking up near the lake",
  "That sounds amazing",
  "Are we still on for dinner tonight?",
  "Yes! Seven o'clock at the Italian place near the station",
  "Perfect, I'll book a table for two",
  "Sorry I'm running about 10 minutes late",
  "No worries, take your time",
  "Did you see the game last night?",
  "I can't believe they lost in overtime",
  "Your friends are hilarious",
  "Honestly I had such a good time with you yesterday, I haven't laughed that much in ages and I keep thinking about that story you told about the wedding",
  "So I was thinking we could try the new ramen place on 5th street, they have a vegetarian broth that's supposed to be really good and it's open until midnight on Fridays",
  "Here's the article I mentioned https://example.com/best-hikes-2026",
  "Check this out www.citywalks.org/tours",
  "What time works for you?",
  "Maybe around 6:30?",
  "Works for me",
  "lol",
  "ok sounds good",
  "I'm so tired today",
  "Same here, long week",
  "Can you send me the address again?",
  "221 Baker Street, apartment 4B",
  "Thanks!",
  "Happy birthday!! Hope you have the best day",
  "Aww thank you so much",
  "Do you want to come to the concert on Saturday? I have an extra ticket",
  "I'd love to! What time does it start?",
  "Doors at 8, music at 9",
  "Wait, which one is your sister again?",
  "The one with the red jacket in the photo",
  "Good morning",
  "Morning! Did you sleep well?",
  "Not really, the neighbours had a party until 3am",
  "Ugh that's the worst",
  "Let me know when you get home safe",
  "Just got in, thanks for tonight",
  "We should do this again soon",
  "Definitely. Next week?",
  "I have a meeting at 2 but I'm free after 4:15",
  "Great, call me when you're out",
  "Oh no",
  "Haha that's exactly what I said",
  "Can't wait to see you",
  "Me neither",
  "Did you finish the book?",
  "Almost, 40 pages left. No spoilers please!",
  "My lips are sealed",
  "How's your mom doing?",
  "Much better, she's home from the hospital now",
  "That's such good news",
];

const WITH_EMOJI = ["haha 😂", "Love it ❤️", "See you soon 😊", "Thank you 🙏", "Oh no 😅", "Yes!! 🎉"];
const EMOJI_ONLY = ["😂", "❤️", "👍", "😍😍", "🎉"];
const REACTIONS = ["❤️", "😂", "👍", "❤️ 2", "😮"];
const CONTACTS = ["Maya Lane", "Jordan Reyes", "Sam Ortiz", "Alex Kim", "Priya Shah", "Leo Martin", "Nora Quinn"];
const GROUP_NAMES = ["Weekend trip", "Book club", "Flatmates", "Family"];
const MEMBERS = ["Jordan", "Priya", "Leo", "Nora", "Sam"];

export const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

function clock(random: () => number, android: boolean): string {
  const hour = 7 + Math.floor(random() * 16);
  const minute = String(Math.floor(random() * 60)).padStart(2, "0");
  if (android && random() < 0.5) return `${String(hour).padStart(2, "0")}:${minute}`;
  return `${((hour + 11) % 12) + 1}:${minute} ${hour < 12 ? "AM" : "PM"}`;
}

/** A conversation of about `count` messages for a style; more than fit is fine (the top is cut). */
export function conversation(random: () => number, style: AppStyle, count: number): Conversation {
  const spec = STYLES[style];
  const group = spec.groups && random() < 0.35 ? pick(random, GROUP_NAMES) : null;
  const items: Item[] = [];
  if (spec.notice && random() < 0.7) items.push({ kind: "notice", text: spec.notice });
  items.push({ kind: "separator", text: pick(random, spec.separators) });
  let author: Author = random() < 0.5 ? "me" : "them";
  let previousSender: string | null = null;
  let used = new Set<string>();
  for (let index = 0; index < count; index++) {
    // Runs of two or three from one side happen often in real chats.
    if (random() < 0.55) author = author === "me" ? "them" : "me";
    if (index === Math.floor(count / 2) && random() < 0.5)
      items.push({ kind: "separator", text: pick(random, spec.separators) });
    const roll = random();
    let text: string;
    let emojiOnly = false;
    if (roll < 0.07) {
      text = pick(random, EMOJI_ONLY);
      emojiOnly = true;
    } else if (roll < 0.17) text = pick(random, WITH_EMOJI);
    else {
      do text = pick(random, PHRASES);
      while (used.has(text) && used.size < PHRASES.length - 1);
    }
    used.add(text);
    if (used.size > 30) used = new Set();
    let sender: string | undefined;
    if (group && author === "them") {
      const name: string = previousSender && random() < 0.6 ? previousSender : pick(random, MEMBERS);
      sender = name;
      previousSender = name;
    }
    items.push({
      kind: "message",
      index,
      author,
      text,
      time: clock(random, spec.android),
      ...(sender ? { sender } : {}),
      ...(random() < 0.12 && !emojiOnly ? { reaction: pick(random, REACTIONS) } : {}),
      ...(emojiOnly ? { emojiOnly } : {}),
    });
  }
  return {
    contact: pick(random, CONTACTS),
    group,
    subtitle: group ? `${MEMBERS.slice(0, 3).join(", ")}, You` : pick(random, spec.subtitle),
    items,
    typing: random() < 0.3,
  };
}
