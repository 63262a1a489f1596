// What the coach can suggest in each situation: moves with a title, a tag, the knowledge intent that grounds them, and a draft built from the details.
import { objectOf, type Details } from "./details.ts";
import type { CoachSituation, CoachTone } from "./situation.ts";
import { capitalise, normalise } from "./text.ts";

/** Suggestion tags stay the knowledge goals, as people read them (contracts' ZKnowledgeGoalSchema). */
export type CoachTag = "Attraction" | "Comfort" | "Commitment" | "Closing";

/** Which tags fit a situation; the benchmark and the tests hold suggestions to this. */
export const TAGS_FOR_SITUATION: Record<CoachSituation, readonly CoachTag[]> = {
  invitation: ["Commitment", "Attraction"],
  logistics: ["Commitment"],
  apology: ["Comfort"],
  reconnecting: ["Comfort", "Commitment"],
  compliment: ["Attraction"],
  good_news: ["Comfort", "Attraction"],
  bad_news: ["Comfort"],
  conflict: ["Comfort"],
  rejection: ["Closing"],
  boundary: ["Closing", "Comfort"],
  small_talk: ["Attraction", "Comfort"],
};

export interface MoveInput {
  details: Details;
  tone: CoachTone;
  /** The line being answered, normalised. */
  focus: string;
  about: "contact" | "user";
}

export interface Move {
  /** The primary_intent of the knowledge chunks that ground it. */
  intent: string;
  title: string;
  tag: CoachTag;
  draft(input: MoveInput): string;
}

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** "Saturday at 7pm", "tomorrow", or null. */
function when(d: Details): string | null {
  const day = d.days[0];
  const time = d.times[0];
  if (day && time) return `${day} at ${time}`;
  return day ?? (time ? `at ${time}` : null);
}

/** The plan in a few words: "drinks Saturday at 7pm at Rosa's". */
function plan(d: Details, fallback = "that"): string {
  const parts = [
    d.things[0],
    when(d),
    d.places[0] ? `at ${d.places[0]}` : null,
    d.names[0] ? `with ${d.names[0]}` : null,
  ].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(" ") : fallback;
}

/** The plan as the object of "for" or "that's": a plan that is only a time reads "the plan at 9:10", never "for at 9:10". */
function planNoun(d: Details, fallback = "the plan"): string {
  const text = plan(d, fallback);
  return text.startsWith("at ") ? `${fallback} ${text}` : text;
}

function thing(d: Details, fallback: string): string {
  return d.things[0] ?? fallback;
}

/** Things said without an article ("drinks", "coffee") as opposed to ones that need one ("the show"). */
const MASS_THINGS =
  /^(drinks|coffee|dinner|lunch|brunch|breakfast|tacos|pizza|sushi|ramen|burgers|ice cream|movies|snacks|chips|dessert|cake|wine|beer|tickets|karaoke|trivia|climbing|yoga|bbq|barbecue|board games|game night|movie night|quiz night|trivia night|a |an |the |my |your )/;

/** Things one can "do" together ("do drinks", "do the hike"), as opposed to objects ("the diary"). */
const ACTIVITIES =
  /^(drinks|coffee|dinner|lunch|brunch|breakfast|karaoke|trivia|climbing|yoga|bbq|barbecue|board games|game night|movie night|quiz night|trivia night|a drink|a walk|a run|a movie|movies|the (hike|walk|run|trip|concert|gig|show|party|movie|museum|game|match))$/;

/** "the show", "drinks": a thing as it reads in the middle of a sentence. */
function the(thing: string): string {
  return MASS_THINGS.test(thing) ? thing : `the ${thing}`;
}

/** "your thesis" for "the thesis": news is theirs. */
function yours(thing: string): string {
  return thing.replace(/^(the|my|a|an) /, "your ");
}

/** Another day to offer when the one proposed does not work. */
function otherDay(d: Details): string {
  const day = d.days[0];
  const index = day ? WEEKDAYS.findIndex((w) => day.startsWith(w)) : -1;
  if (index >= 0) return `${WEEKDAYS[(index + 1) % 7]} instead`;
  return "later in the week";
}

function withName(d: Details, sentence: string): string {
  const name = d.names[0];
  return name ? `${sentence} Say hi to ${name} for me!` : sentence;
}

/** Which question a logistics message asks, so the draft answers that one. */
function logisticsKind(focus: string): "choice" | "bring" | "time" | "place" | "late" | "other" {
  if (/\b\w+ or \w+\?/.test(focus)) return "choice";
  if (/\bbring\b/.test(focus)) return "bring";
  if (/\b(running late|be late|on my way|eta|be there in|where are you|outside)\b/.test(focus)) return "late";
  if (/\b(what time|when)\b/.test(focus)) return "time";
  if (/\b(where|address|which|station|entrance|parking|directions)\b/.test(focus)) return "place";
  return "other";
}

/** The contact asked to be told something or asked to do a thing: their question, answered first. */
function answerToPlanQuestion(d: Details): string | null {
  if (!d.question) return null;
  const q = normalise(d.question);
  if (/\b(still on|still up|still good|still happening|still want)\b/.test(q)) return `Yes, still on for ${plan(d)}!`;
  return null;
}

/** The object of the line answered ("the dog", "the train") when the details do not already name it. */
function askedAbout(focus: string, d: Details): string | null {
  const object = objectOf(focus);
  if (!object) return null;
  const head = object.split(" ").at(-1) ?? "";
  return d.things.some((t) => t.includes(head)) || d.places.some((p) => p.toLowerCase().includes(head)) ? null : object;
}

const SEE_YOU = (d: Details) => (when(d) ? `See you ${when(d)}!` : "See you then!");

/** Moves for when the person describes their own situation rather than answering the contact. */
export const MOVES_FOR_USER: Partial<Record<CoachSituation, Move[]>> = {
  invitation: [
    {
      intent: "propose_meeting",
      title: "Ask with a concrete plan",
      tag: "Attraction",
      draft: ({ details: d }) =>
        `I've really enjoyed talking with you. Would you like to get ${thing(d, "a drink")} ${when(d) ?? "this weekend"}${d.places[0] ? ` at ${d.places[0]}` : ""}?`,
    },
    {
      intent: "coordinate_plans",
      title: "Offer two easy options",
      tag: "Commitment",
      draft: ({ details: d }) =>
        `Want to do ${thing(d, "coffee")} ${d.days[0] ?? "Saturday"} or ${d.days[0] ? otherDay(d).replace(" instead", "") : "Sunday"}? Whichever suits you.`,
    },
    {
      intent: "keep_it_easy",
      title: "Keep it low-pressure",
      tag: "Commitment",
      draft: ({ details: d }) =>
        `No pressure at all, but I'd love to see you ${when(d) ?? "sometime this week"}. Let me know if you're up for ${thing(d, "it")}.`,
    },
  ],
  apology: [
    {
      intent: "apologize",
      title: "Own it simply",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `I'm sorry I went quiet, that's on me and not a sign I lost interest.${d.things[0] || d.days[0] ? ` Are we still on for ${plan(d)}?` : ""}`,
    },
    {
      intent: "acknowledge_delay",
      title: "Pick the thread back up",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `Sorry for the slow reply, this week got away from me. ${d.things[0] ? `Still thinking about ${d.things[0]}, ` : ""}how have you been?`,
    },
    {
      intent: "rebuild_trust",
      title: "Show it with actions",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `I know I've been flaky. Let me make it up to you: ${thing(d, "dinner")} ${when(d) ?? "this week"}, my treat?`,
    },
  ],
};

export const MOVES: Record<CoachSituation, Move[]> = {
  invitation: [
    {
      intent: "accept_invitation",
      title: "Say yes and lock it in",
      tag: "Commitment",
      draft: ({ details: d, about }) =>
        about === "user"
          ? `I'd love to get ${thing(d, "a drink")} ${when(d) ?? "this weekend"} with you. Does that work for you?`
          : (answerToPlanQuestion(d) ??
            `Yes, I'd love that! ${capitalise(plan(d, "It"))} sounds perfect.${d.times.length === 0 ? " What time works for you?" : ""}`),
    },
    {
      intent: "propose_meeting",
      title: "Make it concrete",
      tag: "Attraction",
      draft: ({ details: d }) =>
        d.places[0]
          ? `Sounds great. ${capitalise(thing(d, "Meeting"))} at ${d.places[0]} ${when(d) ?? "this week"}, I'll be there!`
          : `I'm in! How about ${thing(d, "drinks")} ${when(d) ?? "this weekend"}? I know a good spot, or you pick.`,
    },
    {
      intent: "reschedule",
      title: "Can't make it? Offer another day",
      tag: "Commitment",
      draft: ({ details: d }) =>
        `I'd really like to, but ${d.days[0] ?? "that day"} doesn't work for me. Could we do ${thing(d, "it")} ${otherDay(d)}?`,
    },
  ],
  logistics: [
    {
      intent: "answer_question",
      title: "Answer what they asked",
      tag: "Commitment",
      draft: ({ details: d, focus }) => {
        switch (logisticsKind(focus)) {
          case "choice": {
            const [, first, second] = /\b([\w']+) or ([\w']+)\?/.exec(focus) ?? [];
            return `${capitalise(first ?? "Either")}${second ? ` and ${second}` : ""} sound${second ? "" : "s"} great, I'll bring both${when(d) ? ` ${when(d)}` : ""}! Anything else for ${d.things.find((t) => /party|bbq|barbecue|picnic|night|dinner/.test(t)) ?? "it"}?`;
          }
          case "bring":
            return `Yes, I'll bring ${thing(d, "snacks")}! Anything else we need for ${d.things.find((t) => /party|bbq|barbecue|picnic|night|dinner/.test(t)) ?? "it"}?`;
          case "late": {
            const object = askedAbout(focus, d) ?? objectOf(focus);
            return `No stress, take your time! ${object ? `I'll be there for ${object}` : "I'll wait"}${d.places[0] ? ` at ${d.places[0]}` : ""}${d.times[0] ? `, see you ${/min/.test(d.times[0]) ? "in" : "at"} ${d.times[0]}` : ""}.`;
          }
          case "time":
            // Asked what time, the answer says it is the time it answers: "Time-wise, 7pm works for me".
            return `Time-wise, ${when(d) ?? "7pm"} works for me${d.places[0] ? ` at ${d.places[0]}` : ""}. ${d.things[0] ? `Looking forward to ${d.things[0]}!` : "Does that suit you?"}`;
          case "place":
            // With no place to name, the thing they asked about is still answered, not skipped.
            return `${!d.places[0] && d.things[0] ? `I'll check ${d.things[0]} and let you know. ` : ""}Let's meet ${d.places[0] ? `at ${d.places[0]}` : "at the main entrance"}${when(d) ? ` ${when(d)}` : ""}. I'll text you when I'm there.`;
          default: {
            // "crisps or popcorn for the film?": both options named back, whichever they pick.
            const [, first, second] = /\b([a-z']+) or ([a-z']+)(?=\s*(?:\?|for\b|,|$))/.exec(normalise(focus)) ?? [];
            if (first && second)
              return `Good question! ${capitalise(first)} or ${second}, both work for me, whatever's easiest for you.`;
            // "can u feed the dog saturday?": what they asked about is named even when it is no plan.
            const object = askedAbout(focus, d);
            return `Good question${object ? ` about ${object}` : ""}! For ${planNoun(d)}, I'm easy, whatever works best for you.`;
          }
        }
      },
    },
    {
      intent: "offer_help",
      title: "Offer a hand",
      tag: "Commitment",
      draft: ({ details: d, focus }) =>
        `Happy to help with ${thing(d, askedAbout(focus, d) ?? "anything")}${d.places[0] ? ` at ${d.places[0]}` : ""}${when(d) ? ` ${when(d)}` : ""}. Just tell me what's most useful and I'll sort it.`,
    },
    {
      intent: "confirm_plan",
      title: "Confirm the details",
      tag: "Commitment",
      draft: ({ details: d, focus }) =>
        `Perfect, so that's ${planNoun(d, askedAbout(focus, d) ?? "the plan")}. ${d.places[0] ? "" : "Send me the address? "}${SEE_YOU(d)}`,
    },
  ],
  apology: [
    {
      intent: "accept_apology",
      title: "Accept it warmly",
      tag: "Comfort",
      draft: ({ details: d, about }) =>
        about === "user"
          ? `I'm sorry I went quiet, that's on me and not a sign I lost interest. ${d.things[0] || d.days[0] ? `Are we still on for ${plan(d)}?` : "Can I make it up to you?"}`
          : `No worries at all, life gets busy! ${answerToPlanQuestion(d) ?? (d.things[0] || d.days[0] ? `Still keen for ${plan(d)}.` : "Good to hear from you.")}`,
    },
    {
      intent: "keep_it_easy",
      title: "Keep it light",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `Haha all good, I figured you were swamped. ${d.things[0] || d.days[0] ? `${capitalise(plan(d))} still works for me!` : "How's your week been?"}`,
    },
    {
      intent: "express_needs",
      title: "Say it mattered, kindly",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `Thanks for saying that, I did miss hearing from you. ${d.things[0] || d.days[0] ? `Let's do ${plan(d)}, I'm looking forward to it.` : "A quick heads-up next time would be nice, that's all."}`,
    },
  ],
  reconnecting: [
    {
      intent: "welcome_back",
      title: "Welcome them back",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `So good to hear from you! It really has been ages.${d.things[0] ? ` ${capitalise(the(d.things[0]))}, that takes me back!` : ""}${d.places[0] ? ` Still in ${d.places[0]}?` : ""}${d.names[0] ? ` And how's ${d.names[0]}?` : ""} How have you been?`,
    },
    {
      intent: "catch_up",
      title: "Ask one real question",
      tag: "Comfort",
      draft: ({ details: d }) =>
        withName(
          d,
          `I've been good, busy but good! What's been the best part of ${d.things[0] ? yours(the(d.things[0])) : "the last few months"}${d.places[0] ? ` in ${d.places[0]}` : ""}?`,
        ),
    },
    {
      intent: "propose_meeting",
      title: "Suggest catching up properly",
      tag: "Commitment",
      draft: ({ details: d }) =>
        `We should catch up properly. ${capitalise(thing(d, "coffee"))} ${when(d) ?? "sometime next week"}${d.places[0] ? ` (I'll come to ${d.places[0]} if that's easier)` : ""}?${d.names[0] ? ` Bring ${d.names[0]} too!` : ""}`,
    },
  ],
  compliment: [
    {
      intent: "accept_compliment",
      title: "Take it with a smile",
      tag: "Attraction",
      draft: ({ tone, details: d }) =>
        `${tone === "cold" ? "Ha, thank you, that's nice of you to say." : "Stop, you're making me blush 😊 Thank you!"}${d.things[0] ? ` Glad you liked ${the(d.things[0])}.` : ""}${d.days[0] ? ` ${d.days[0]} was the best.` : ""}`,
    },
    {
      intent: "show_interest",
      title: "Return it, specifically",
      tag: "Attraction",
      draft: ({ details: d }) =>
        `Thank you! Honestly, I was just thinking the same about you${d.things[0] ? ` after ${the(d.things[0])}` : d.days[0] ? ` since ${d.days[0]}` : ""}. Your laugh is the best.`,
    },
    {
      intent: "build_chemistry",
      title: "Tease back lightly",
      tag: "Attraction",
      draft: ({ details: d }) =>
        `${d.things[0] ? `Keep praising ${the(d.things[0])} like that` : "Careful, keep talking like that"} and I'll have to see you again ${when(d) ? `before ${when(d)} comes round` : "soon"} 😉`,
    },
  ],
  good_news: [
    {
      intent: "celebrate",
      title: "Celebrate with them",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `That's amazing, congratulations!! 🎉 You worked so hard for ${d.things[0] ? yours(d.things[0]) : "this"}, I'm so happy for you${d.names[0] ? ` and ${d.names[0]}` : ""}.`,
    },
    {
      intent: "show_curiosity",
      title: "Ask for the whole story",
      tag: "Attraction",
      draft: ({ details: d }) =>
        `No way, that's huge! Tell me everything${d.things[0] ? ` about ${yours(d.things[0])}` : ""}, how did you find out?`,
    },
    {
      intent: "propose_celebration",
      title: "Offer to celebrate",
      tag: "Attraction",
      draft: ({ details: d }) =>
        `${d.things[0] ? `${capitalise(yours(d.things[0]))} calls for a celebration!` : "This calls for a celebration."} ${capitalise(d.things.find((t) => /drink|dinner|cake|wine|beer|brunch/.test(t)) ?? "drinks")} on me ${when(d) ?? "this weekend"}?`,
    },
  ],
  bad_news: [
    {
      intent: "offer_support",
      title: "Acknowledge it and be there",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `I'm so sorry${d.things[0] ? ` about ${the(d.things[0])}` : ""}, that sounds really hard.${d.names[0] ? ` Sending love to ${d.names[0]} too.` : ""} I'm here if you want to talk, or just vent.`,
    },
    {
      intent: "ask_what_helps",
      title: "Ask what would help",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `That's awful, I'm sorry${d.things[0] ? ` about ${the(d.things[0])}` : ""}. Do you want to talk about it${d.names[0] ? ` (and how ${d.names[0]} is doing)` : ""}, or would a distraction help more right now?`,
    },
    {
      intent: "offer_practical_help",
      title: "Offer something concrete",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `${d.things[0] ? `Forget ${the(d.things[0])} for a bit. ` : ""}Can I drop by with food ${when(d) ?? "tonight"}? No need to host or talk, I just want to help.`,
    },
  ],
  conflict: [
    {
      intent: "acknowledge_feelings",
      title: "Acknowledge how they feel",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `You're right to be upset${d.things[0] ? ` about ${the(d.things[0])}` : ""}, and I get why it hurt. I'm not going to argue about it.`,
    },
    {
      intent: "apologize",
      title: "Own your part",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `I'm sorry. ${d.things[0] || d.days[0] ? `I let you down with ${the(plan(d))}` : "I let you down"}${d.names[0] ? ` and with ${d.names[0]}` : ""}, and that's on me. Here's what I'll do differently.`,
    },
    {
      intent: "de_escalate_conflict",
      title: "Talk it through calmly",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `I don't want this to turn into a fight over text${d.things[0] ? `, ${the(d.things[0])} matters to me too` : ""}. Can we talk ${when(d) ?? "tonight"}? I want to hear you properly.`,
    },
  ],
  rejection: [
    {
      intent: "handle_rejection",
      title: "Accept it gracefully",
      tag: "Closing",
      draft: ({ details: d }) =>
        `Thanks for being honest with me, I really appreciate it. ${d.days[0] || d.things[0] ? `No worries about ${plan(d)}, no` : "No"} hard feelings at all.`,
    },
    {
      intent: "respect_boundary",
      title: "Give them space",
      tag: "Closing",
      draft: ({ details: d }) =>
        `Totally understand. Take the space you need${d.things[0] || d.days[0] ? `, and no pressure about ${plan(d)}` : ""}. I'm around if you ever want to talk.`,
    },
    {
      intent: "leave_on_good_note",
      title: "End on a kind note",
      tag: "Closing",
      draft: ({ details: d }) =>
        `I enjoyed getting to know you${d.things[0] || d.days[0] ? `, and thanks for thinking of me for ${plan(d)}` : ""}. Wishing you all the best, take care of yourself.`,
    },
  ],
  boundary: [
    {
      intent: "set_boundary",
      title: "State your limit clearly",
      tag: "Closing",
      draft: ({ details: d }) =>
        `I'm not comfortable with ${d.places[0] ? `meeting at ${d.places[0]}` : d.things[0] ? the(d.things[0]) : "that"}. If you want to keep talking, please respect that.`,
    },
    {
      intent: "respect_boundary",
      title: "Respect it, no debate",
      tag: "Closing",
      draft: ({ details: d }) =>
        `Of course, thanks for telling me${d.things[0] ? ` how you feel about ${the(d.things[0])}` : ""}. I'll respect that, no questions asked.`,
    },
    {
      intent: "redirect",
      title: "Offer what you are comfortable with",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `${d.places[0] ? `Not ${d.places[0]} yet` : "That's not for me"}, but I'd still like to ${d.things[0] && ACTIVITIES.test(d.things[0]) ? `do ${d.things[0]}` : "get to know you"} somewhere public, at a pace that feels good for both of us.`,
    },
  ],
  small_talk: [
    {
      intent: "build_momentum",
      title: "Answer and ask back",
      tag: "Attraction",
      draft: ({ details: d }) =>
        `${d.things[0] ? `Ooh, ${the(d.things[0])}! Tell me more, is it good?` : "Pretty good, thanks! Just winding down."} What about you, anything fun ${when(d) ?? "lately"}?${d.names[0] ? ` How's ${d.names[0]}?` : ""}`,
    },
    {
      intent: "share_something",
      title: "Share a little of your day",
      tag: "Comfort",
      draft: ({ details: d }) =>
        `Honestly the best part of my day was ${d.things[0] ? `hearing about ${the(d.things[0])}` : "a really good coffee"}. What was yours?`,
    },
    {
      intent: "build_chemistry",
      title: "Add some play",
      tag: "Attraction",
      draft: ({ details: d }) =>
        d.things[0]
          ? `Okay, important question about ${the(d.things[0])}: rate it out of ten, no pressure 😄`
          : "Important question before we go any further: pineapple on pizza, yes or no? 🍍",
    },
  ],
};
