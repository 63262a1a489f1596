// Recognises the situation of the latest exchange (invitation, apology, bad news, ...) and its tone, from a classifier trained on labelled conversations backed by cue rules.
import { z } from "zod";
/// <reference path="../wink-sentiment.d.ts" />
import winkSentiment from "wink-sentiment";
import { trainReader, type Odds, type TrainedReader } from "./classifier.ts";
import { asksForDraft, focusOf, type Focus, type SpokenLine } from "./focus.ts";
import { normalise } from "./text.ts";
import trainingSet from "./training-set.json" with { type: "json" };

export { asksForDraft, type SpokenLine };

/** The situations the built-in coach answers to. They stay inside the coach: the API sees only tags and titles. */
export const ZCoachSituationSchema = z.enum([
  "invitation",
  "logistics",
  "apology",
  "reconnecting",
  "compliment",
  "good_news",
  "bad_news",
  "conflict",
  "rejection",
  "boundary",
  "small_talk",
]);
export type CoachSituation = z.infer<typeof ZCoachSituationSchema>;
export const COACH_SITUATIONS = ZCoachSituationSchema.options;

export const ZCoachToneSchema = z.enum(["warm", "neutral", "cold", "upset"]);
export type CoachTone = z.infer<typeof ZCoachToneSchema>;

interface Cue {
  pattern: RegExp;
  weight: number;
}

const cue = (pattern: RegExp, weight = 1): Cue => ({ pattern, weight });

/**
 * What each situation sounds like, on normalised text (see text.ts). Weights say how sure a cue
 * is on its own: "are we still on" is a plan; "sorry" is usually an apology but not always.
 */
const CUES: Record<CoachSituation, Cue[]> = {
  invitation: [
    cue(
      /\b(what are you|what you|are you) (up to|doing|busy) (on |this |next )?(saturday|sunday|friday|monday|tuesday|wednesday|thursday|weekend|tonight|tomorrow|later)\b/,
      2.5,
    ),
    cue(/\bthinking (of|about) (checking out|going|heading|trying|getting|doing)\b/, 1.5),
    cue(/\b(you in|are you in|u in|who's in|you coming|coming\?)\b/, 2),
    cue(/\b(please come|come if you want|if you want to come|if you want|wanna come|come through)\b/, 2),
    cue(/\b(free for|free on)\b/, 2.5),
    cue(
      /\b(karaoke|lunch|dinner|drinks|brunch|coffee|game night|movie night|a movie|pizza|bbq|party) (tonight|tomorrow|this weekend|on \w+day|\w+day)\b/,
      1.5,
    ),
    cue(
      /\b(want to|would you like to|down to|up for|fancy|keen to|do you want to) (grab|get|go|come|meet|hang|see|try|join|do)\b/,
      2.5,
    ),
    cue(/\b(are we|we're|we are) still on\b/, 2.5),
    cue(/\b(grab|get) (a )?(drinks?|coffee|dinner|lunch|brunch|food|a bite|tacos|pizza|beers?)\b/, 1.5),
    cue(/\b(hang out|meet up|catch up over|come over|come with|join (us|me)|link up)\b/, 1.5),
    cue(
      /\b(are you|you) free (on|this|tonight|tomorrow|next|saturday|sunday|friday|monday|tuesday|wednesday|thursday|later)\b/,
      2.5,
    ),
    cue(/\b(let's|lets|we should) (go|get|grab|do|meet|try|hang|have|plan|see)\b/, 2),
    cue(
      /\b(what are you doing|any plans|plans for) (this|tonight|tomorrow|on|the weekend|saturday|friday|sunday|later)\b/,
      2,
    ),
    cue(/\b(ask (her|him|them) out|go on a date|a date with|take (her|him|them) (out|to))\b/, 2.5),
    cue(/\b(invite|invited|invitation)\b/, 1.5),
    cue(/\b(how about|what about) (we|drinks|coffee|dinner|lunch|saturday|friday|sunday|tomorrow|tonight|next)\b/, 1.5),
    cue(/\b(still on for|still up for|count me in|i'm in)\b/, 1.5),
  ],
  logistics: [
    cue(
      /\b(leaves at|arrives at|be at the|by \d{1,2}(:\d{2})?\b|anywhere to park|should i get the (bus|train|tube))/,
      2,
    ),
    cue(/\b(running late|be there in \d+)\b/, 1.5),
    cue(/\b(can|could) you bring\b/, 3),
    cue(/\bwhat time\b/, 2.5),
    cue(/\bwhere (are|is|should|do|shall) (we|i|it|you)\b/, 2.5),
    cue(/\b(should|can|do|shall) i bring\b/, 3),
    cue(/\b(what|anything) (should|do|can) i bring\b/, 3),
    cue(/\bbring (anything|something|snacks|drinks|food|wine|chips)\b/, 2),
    cue(
      /\b(address|parking|dress code|what to wear|should i wear|entrance|which station|directions|postcode|buzzer|tickets?)\b/,
      2,
    ),
    cue(/\b(running late|on my way|be there in|eta|be a bit late|here now|i'm outside|where are you)\b/, 2),
    cue(/\b(what's the plan|is it still at|still at|moved to|change of plan|how do i get)\b/, 2),
    cue(/\b(how much|cost|split the bill|pay you back|venmo)\b/, 1.5),
    cue(/\b(pick (you|me) up|give (you|me) a lift|a ride)\b/, 1.5),
  ],
  apology: [
    cue(/\b(spaced on|i'm the worst|my fault|that was on me|i was (really )?(short|rude|harsh|mean) (with|to))\b/, 2.5),
    cue(
      /\bsorry (i|for|about) (missed|forgot|bailed|was|didn't|couldn't|wasn't|missing|forgetting|ghosted|went)\b/,
      2.5,
    ),
    cue(/\b(sorry|apologi[sz]e|apologies|my bad|forgive me)\b/, 2),
    cue(/\b(went|gone|been|go) (quiet|silent|mia|awol|off the grid)\b/, 2.5),
    cue(/\b(didn't|did not|never) (reply|text back|answer|get back)\b/, 1.5),
    cue(/\b(ghosted|ghosting) you\b/, 2),
    cue(/\b(i messed up|i shouldn't have|that was out of line|i was out of line|i was wrong|i feel bad about)\b/, 2.5),
    cue(/\b(late reply|slow reply|slow to reply|took me forever|for the late)\b/, 2),
    cue(/\b(i owe you an apology|i'm sorry for|sorry about)\b/, 1),
  ],
  reconnecting: [
    cue(
      /\b(is this still your number|it's me from|from the (summer )?camp|since the wedding|since school|since uni)\b/,
      2.5,
    ),
    cue(/\blong time no (see|talk|speak|chat)\b/, 3),
    cue(/\b(it's been|been) (ages|forever|a while|so long|too long|months|years|a minute)\b/, 2.5),
    cue(/\bhaven't (talked|spoken|heard from you|seen you|caught up|chatted)\b/, 2.5),
    cue(
      /\b(how have you been|how've you been|how you been|hope you've been well|hope you're doing well|hope all is well)\b/,
      2,
    ),
    cue(/\b(thought of you|reminded me of you|made me think of you|saw this and thought)\b/, 1.5),
    cue(/\b(out of the blue|remember me|random message|blast from the past|still alive)\b/, 2),
    cue(/\b(we should catch up|catch up soon|been meaning to (text|message|reach out))\b/, 1.5),
  ],
  compliment: [
    cue(/\b(told me i'm the (funniest|best|cutest|smartest)|photo of you|pic of you)\b/, 2.5),
    cue(/\b(why are you|you're|you are) so (cute|pretty|hot|handsome|sweet|funny|adorable|gorgeous|beautiful)\b/, 3),
    cue(/\byou're (really |so |such )?(a )?(great|amazing|good|easy to talk to|talented|natural|brilliant|fun)\b/, 2.5),
    cue(
      /\byour [\w ]{1,15} (is|are|was|were) (really |so |super )?(good|great|amazing|beautiful|lovely|incredible)\b/,
      2.5,
    ),
    cue(/\b(had such a good time|had a great time|had so much fun|such a good time)\b/, 2),
    cue(/\b(you have|you've got) (great|good|amazing|the best) (taste|style|eyes|energy)\b/, 2.5),
    cue(
      /\byou (look|looked|looking) (so |really |super )?(good|great|amazing|beautiful|gorgeous|stunning|cute|hot|handsome|lovely|nice)\b/,
      3,
    ),
    cue(
      /\b(you're|you are|ur) (so |really |very |too |kinda )?(cute|gorgeous|beautiful|hot|handsome|sweet|funny|adorable|pretty|charming|smart|cool|lovely)\b/,
      2.5,
    ),
    cue(/\b(love|like) your (smile|laugh|style|eyes|hair|outfit|vibe|photos?|pics?|voice)\b/, 2.5),
    cue(
      /\b(can't stop thinking about|thinking about you|miss you|missed you|crush on|into you|made my day|you're trouble)\b/,
      2,
    ),
    cue(/(😍|😘|🥰|😉|😏|💋|😻|🔥)/u, 1.5),
    cue(/\b(flirt|flirting|cutie|handsome|gorgeous)\b/, 1),
  ],
  good_news: [
    cue(/\b(approved|came back clear|all clear|got funded|we got the|i got the|just graduated|graduated)\b/, 2.5),
    cue(/\b(won|passed|finished|completed|nailed|aced|smashed) (my|the|our|a|first|his|her)\b/, 2.5),
    cue(/\b(got into|got in to|made it into|accepted (to|into|at))\b/, 3),
    cue(
      /(?<!didn't |did not |not |never )\b(got|landed) (the|a|my) (job|offer|promotion|role|place|apartment|flat|internship|scholarship|part)\b/,
      3,
    ),
    cue(
      /\b(got (in|accepted|promoted|engaged|married|the keys)|i passed|passed (my|the)|we won|i won|we're engaged|i'm engaged|i'm pregnant|we're pregnant|it's a (boy|girl))\b/,
      3,
    ),
    cue(/\b(guess what|great news|good news|big news|best news|amazing news|some news)\b/, 2.5),
    cue(/\b(i did it|finally did it|so excited|can't believe it|dream come true|over the moon|so happy|so proud)\b/, 2),
    cue(/(🎉|🥳|🍾|🙌)/u, 1.5),
    cue(/\b(finished|submitted|finally) (my|the) (thesis|marathon|exam|course|degree)\b/, 2),
  ],
  bad_news: [
    cue(/\b(going to lose|might lose|about to lose|didn't go as planned|went wrong|bad news from|test results)\b/, 2.5),
    cue(/\b(worst (day|week|month|year|night)|not a good day|terrible news|bad news)\b/, 2.5),
    cue(/\b(bad|rough|awful|terrible|horrible|hard|tough|shit|crap|long) (day|week|night|time|month|year)\b/, 2.5),
    cue(
      /\b(lost my|got fired|laid off|let go|passed away|died|funeral|diagnosed|in (the )?hospital|surgery|miscarriage|broke up|dumped me|breakup|break up)\b/,
      3,
    ),
    cue(
      /\b(stressed|anxious|overwhelmed|depressed|exhausted|burnt out|burned out|struggling|can't cope|falling apart|not okay|not ok|not doing (great|well|good)|feel (awful|terrible|down|low|awful|sick|like shit))\b/,
      2.5,
    ),
    cue(/\b(crying|cried|heartbroken|devastated|gutted|miserable|sick|ill|the flu|covid)\b/, 1.5),
    cue(/(😢|😭|💔|😞|😔|🥺)/u, 1.5),
    cue(/\b(didn't get (the|in|it)|did not get|got rejected|failed (my|the))\b/, 3.5),
  ],
  conflict: [
    cue(
      /\b(you had time|you act like|you acted like|never happened|but not (to|for) (me|answer|reply)|too busy for me)\b/,
      2.5,
    ),
    cue(/\b(nice of you to|thanks for nothing|glad you could finally|oh so now)\b/, 2.5),
    cue(/\b(without asking|didn't ask|don't care|you clearly|every single time)\b/, 2),
    cue(/\b(was|so|that's|that is|it was) (rude|mean|hurtful|out of line|not funny|uncalled for|disrespectful)\b/, 2.5),
    cue(/\b(only one (making|putting|trying|who)|making (all )?the effort|one-sided)\b/, 2.5),
    cue(/\b(mad at me|angry at me|upset with me|pissed at me|annoyed with me|angry with me|mad with me)\b/, 2.5),
    cue(/\byou (always|never|didn't even|don't even|forgot|ignored|stood me up|bailed|flaked|lied|promised)\b/, 2.5),
    cue(
      /\b(why did you|why would you|why didn't you|how could you|what the hell|wtf|seriously\?|are you kidding)\b/,
      2.5,
    ),
    cue(
      /\b(i'm|i am|i was|i feel|i felt|honestly) (really |so |pretty |kinda |a bit )?(upset|annoyed|mad|angry|pissed|hurt|frustrated|disappointed|offended)\b/,
      2.5,
    ),
    cue(
      /\b(not cool|that was rude|so rude|unfair|not fair|fed up|sick of|tired of|had enough|can't believe you|not okay that|that hurt)\b/,
      2.5,
    ),
    cue(
      /\b(you said you would|you said you'd|where were you|left me (hanging|waiting|on read)|third time|again\?|every time)\b/,
      2,
    ),
    cue(/(😡|🙄|😤|🤬)/u, 1.5),
  ],
  rejection: [
    cue(
      /\b(doesn't see a future|don't see a future|not up for dating|leave it here|leave it there|delete the app)\b/,
      3,
    ),
    cue(
      /\b(don't|do not|didn't) (feel|have|see|think there's) (the |a |any |much )?(chemistry|spark|connection|future)\b/,
      3,
    ),
    cue(
      /\byou're (really |so |very )?(great|lovely|sweet|amazing|nice|kind|a great person|a great guy|a great girl) but\b/,
      3,
    ),
    cue(/\b(focus on (myself|me|my)|not ready for (a|anything|something)|don't think so)\b/, 2.5),
    cue(/\b(wants?|want) to (just )?be friends\b/, 3),
    cue(
      /\b(not (really )?(feeling it|interested|ready|looking for|the right time|in a place)|don't see this going|don't think (we're|we are|this is)|not a match|no spark)\b/,
      3,
    ),
    cue(/\b(just (be )?friends|as friends|better as friends|met someone|seeing someone|back with my ex)\b/, 2.5),
    cue(
      /\b(need (some )?(space|time to myself|a break)|take a step back|slow (things|it) down|step back|pull back|cool (things|it) off)\b/,
      2.5,
    ),
    cue(
      /\b(end (things|it)|call it|stop seeing|not working (out)?|it's not you|wish you (all )?the best|good luck with everything|take care of yourself)\b/,
      2.5,
    ),
    cue(
      /\b(i'll pass|going to pass|gonna pass|i'm good thanks|not this time|maybe another time|probably not|i can't make it (and|but))\b/,
      1.5,
    ),
    cue(/\b(busy lately|been busy|super busy|crazy busy|swamped)\b/, 1),
  ],
  boundary: [
    cue(/\b(i told you i don't want|drop it|leave it alone|i'd appreciate it if you (didn't|don't|stopped))\b/, 3),
    cue(/\b(show me what you're wearing|what you're wearing|show me (more|a pic|a photo))\b/, 3),
    cue(/\b(i'd prefer|i would prefer|i prefer) (we|you|not|if you) (don't|didn't|not|wouldn't)\b/, 3),
    cue(/\b(just )?come (to|over to|back to) (my place|mine|my flat|my apartment)\b/, 2.5),
    cue(/\bkeeps? (asking|texting|calling|pushing|borrowing|messaging)\b/, 2.5),
    cue(/\b(want it to stop|make it stop)\b/, 2),
    cue(/\b(please (don't|stop|do not)|stop (texting|calling|asking|messaging)|don't (text|call|message) me)\b/, 3),
    cue(
      /\b(not comfortable|uncomfortable|i'd rather not|i would rather not|not okay with|not ok with|that's too much|too far|crossed a line|boundary|boundaries)\b/,
      3,
    ),
    cue(
      /\b(send (me )?(a )?(pic|pics|photo|nudes|something spicy)|what are you wearing|come over (now|tonight)?\?* ?(just|come on)|just come over)\b/,
      3,
    ),
    cue(/\b(come on|don't be (boring|like that|a prude)|you owe me|why not\?|just this once|stop being)\b/, 2),
    cue(/\b(keep (it|things) (slow|professional|light)|respect (that|my)|not ready to (send|meet|share|go))\b/, 2),
    cue(/\b(i said no|i already said|asked you not to)\b/, 2.5),
  ],
  small_talk: [
    cue(
      /\b(how's|how is|how was) (your |ur |the )?(day|week|weekend|morning|evening|night|shift|work|trip|holiday|vacation|life|school|uni|class)\b/,
      2,
    ),
    cue(
      /\b(what are you up to|what you up to|what's up|whats up|sup|what are you doing|how's it going|how are you|how are things)\b/,
      1.5,
    ),
    cue(
      /\b(watching|binge|netflix|series|episode|podcast|listening to|reading|playlist|song|album|recipe|cooking)\b/,
      1.2,
    ),
    cue(/\b(weather|so hot|so cold|raining|snow|sunny)\b/, 1.2),
    cue(/\b(lol|haha|hahaha|lmao|😂|🤣)/u, 0.6),
    cue(/\b(did you see|have you seen|have you tried|ever been to)\b/, 2),
  ],
};

/**
 * Single words that lean towards a situation, for phrasings the cues above do not know. Each word
 * found adds a little; together they decide only when no phrase cue is sure.
 */
const LEANING_WORDS: Record<CoachSituation, string[]> = {
  invitation: words(
    "join come coming plans plan free tonight weekend want fancy keen down market festival run trip hangout hang invite visit check " +
      "gym roast bbq brunch picnic gig concert cinema party drinks dinner lunch coffee walk hike date entertain bored company",
  ),
  logistics: words(
    "meet meeting time exit gate gates entrance address where which parking park bus train tram ferry port taxi uber drive driving " +
      "late early platform station lift ride tickets booking booked reservation table omw leaves arrive arriving bring cooking pick",
  ),
  apology: words(
    "sorry apologies apologise apologize forgive fault bad flaked snapped mia quiet ghosted disappeared spaced forgot worst regret " +
      "shouldn't rude short overreacted wrong",
  ),
  reconnecting: words(
    "ages forever remember old photos memories years months stranger reconnect touch catch miss nostalgia number camp school uni " +
      "flatmate roommate minute since",
  ),
  compliment: words(
    "cute gorgeous beautiful handsome pretty hot adorable sexy stunning charming sweet smile eyes blush crush wow admire favourite " +
      "funniest smartest kindest talented looking",
  ),
  good_news: words(
    "won win passed promoted promotion engaged pregnant accepted qualified graduated graduation hired officially finally celebrate " +
      "proud thrilled excited approved visa grant funding clear raise bonus results offer signed launched",
  ),
  bad_news: words(
    "awful terrible horrible hospital sick ill scared anxiety anxious panic yelled fired cry crying sad lonely lost died dead grief " +
      "stressed exhausted hurt surgery biopsy diagnosis cuts redundancy lose losing vet accident injured funeral tired depressed",
  ),
  conflict: words(
    "angry annoyed mad furious rude unfair disrespectful careless selfish without asking again seriously excuse excuses blame " +
      "ignored ignoring ignore lent owe priority bothered act pretend finally nice",
  ),
  rejection: words(
    "chemistry spark connection focus myself ready relationship serious step space pass unfortunately future friends delete " +
      "leave dating app break",
  ),
  boundary: words(
    "prefer comfortable uncomfortable stop boundary boundaries pressure private personal respect limit drop appreciate wearing " +
      "shy comment eat weight body calls calling",
  ),
  small_talk: words(
    "today weather song show movie watching listening reading cooking random question lol haha cats dogs game book recommendation " +
      "pigeon morning slept series podcast",
  ),
};

function words(list: string): string[] {
  return list.split(/\s+/).filter(Boolean);
}
const LEANING_WEIGHT = 0.5;
const LEANING_CAP = 1.5;

export function situationScores(text: string): Record<CoachSituation, number> {
  const plain = normalise(text);
  const words = new Set(plain.match(/[a-z']+/g) ?? []);
  const scores = Object.fromEntries(COACH_SITUATIONS.map((s) => [s, 0])) as Record<CoachSituation, number>;
  for (const situation of COACH_SITUATIONS) {
    for (const { pattern, weight } of CUES[situation]) if (pattern.test(plain)) scores[situation] += weight;
    const leaning = LEANING_WORDS[situation].filter((word) => words.has(word)).length * LEANING_WEIGHT;
    scores[situation] += Math.min(LEANING_CAP, leaning);
  }
  return scores;
}

/**
 * Ties go to the earlier situation in this order: the more specific and the more delicate a
 * reading, the more it changes what a good answer is (a boundary outranks small talk).
 */
const PRIORITY: readonly CoachSituation[] = [
  "boundary",
  "rejection",
  "bad_news",
  "conflict",
  "apology",
  "good_news",
  "reconnecting",
  "logistics",
  "invitation",
  "compliment",
  "small_talk",
];

function best(scores: Record<CoachSituation, number>): { situation: CoachSituation; score: number } {
  let top: { situation: CoachSituation; score: number } = { situation: "small_talk", score: 0 };
  for (const situation of PRIORITY) if (scores[situation] > top.score) top = { situation, score: scores[situation] };
  return top;
}

export interface SituationReading {
  situation: CoachSituation;
  tone: CoachTone;
  /** Whose words the reading is about: the contact's last message, or the person's own when there is none. */
  about: "contact" | "user";
  /** The line the reading is of. */
  focus: string;
  /** The person asked the coach what to send ("how should I answer?"). */
  wantsDraft: boolean;
  /** Each situation's score: the classifier's log odds plus the weighted cue rules. */
  scores: Record<CoachSituation, number>;
}

/** How the classifier and the cue rules are combined; chosen by cross-validation on the tuning part (bench:coach). */
export interface Combination {
  /** What a point of cue-rule score is worth against a bit of the classifier's log odds. */
  ruleWeight: number;
  /** A cue-rule score this high decides on its own (Infinity: never). */
  rulesDecideFrom: number;
  /** What the tone rules' reading is worth, in bits, added to the tone classifier's odds for that tone. */
  toneRuleWeight: number;
  /** A tone cue that says so outright ("!", "whatever", 😡) decides the tone on its own. */
  toneCuesDecide: boolean;
}

export const COMBINATION: Combination = {
  ruleWeight: 1.5,
  rulesDecideFrom: Number.POSITIVE_INFINITY,
  toneRuleWeight: 0,
  toneCuesDecide: true,
};

/** Trained once, at module load, from the tuning part only (training-set.json; see training-set.ts). */
export const coachReader: TrainedReader = trainReader(trainingSet as Parameters<typeof trainReader>[0]);

function combined(ruleScores: Record<CoachSituation, number>, odds: Odds, combination: Combination) {
  const scores = Object.fromEntries(
    COACH_SITUATIONS.map((s) => [s, (odds[s] ?? 0) + combination.ruleWeight * ruleScores[s]]),
  ) as Record<CoachSituation, number>;
  const rules = best(ruleScores);
  if (rules.score >= combination.rulesDecideFrom) return { situation: rules.situation, scores };
  let top: CoachSituation = rules.situation;
  // With no evidence at all from either side, the rules' fallback (small talk) stands.
  if (Object.keys(odds).length > 0 || rules.score > 0)
    for (const situation of PRIORITY) if (scores[situation] > scores[top]) top = situation;
  return { situation: top, scores };
}

/** Reads a focus (see focus.ts) with a trained reader; the benchmark cross-validates through this same function. */
export function readFocus(focus: Focus, reader: TrainedReader, combination: Combination = COMBINATION) {
  const odds = reader.read(focus);
  let ruleScores = situationScores(focus.text);
  let situationOdds = odds.situation;
  // A flat line ("ok", "sure") takes its meaning from what was said just before it.
  if (best(ruleScores).score === 0 && focus.text.trim().split(/\s+/).length <= 3) {
    const context = { about: focus.about, text: focus.context };
    if (best(situationScores(context.text)).score > 0) {
      ruleScores = situationScores(context.text);
      situationOdds = reader.read(context).situation;
    }
  }
  const { situation, scores } = combined(ruleScores, situationOdds, combination);
  return { situation, scores, tone: readTone(focus.text, odds.tone, combination) };
}

function readTone(text: string, odds: Odds, combination: Combination): CoachTone {
  const { tone: byRules, outright } = toneByCues(text);
  if (outright && combination.toneCuesDecide) return byRules;
  let top: CoachTone = byRules;
  let topScore = Number.NEGATIVE_INFINITY;
  for (const tone of ZCoachToneSchema.options) {
    const score = (odds[tone] ?? 0) + (tone === byRules ? combination.toneRuleWeight : 0);
    if (score > topScore) [top, topScore] = [tone, score];
  }
  return top;
}

/**
 * Reads the latest exchange: the contact's latest burst of messages, or, when the contact has not
 * spoken, what the person wrote to the coach. The person's own recent words help only when the
 * contact's burst says little ("ok", "sure").
 */
export function readSituation(conversation: SpokenLine[], reader: TrainedReader = coachReader): SituationReading {
  const focus = focusOf(conversation);
  const { situation, scores, tone } = readFocus(focus, reader);
  return { situation, tone, about: focus.about, focus: focus.text, wantsDraft: focus.wantsDraft, scores };
}

const UPSET_CUES =
  /\b(upset|angry|mad|pissed|furious|hurt|annoyed|frustrated|disappointed|wtf|what the hell|can't believe|fed up|sick of|tired of|crying|devastated|heartbroken|gutted|awful|terrible|horrible|stressed|overwhelmed|anxious|rough|laid off|hospital|diagnosed|passed away|didn't get|worst|for nothing|only one|not cool|rude|never ask|please stop|said no|too much|froze)\b|(😡|😤|🤬|😢|💔|😞|😔|🙄)/u;
const COLD_CUES =
  /^(k|ok|okay|fine|sure|whatever|noted|cool|right|if you say so|i guess|maybe|got it|yep|yeah|no)[.!]*$/;
const COLD_PHRASES =
  /\b(whatever|if you say so|i guess|not really|don't bother|i'm good|it's fine\.|not interested|i'll pass|if you want|if u want)\b/;
const WARM_CUES =
  /\b(haha|hahaha|lol|love|aww|yay|can't wait|excited|so good|amazing|miss you|thank you|thanks so much|omg)\b|(😊|😄|😁|🥰|😍|😘|❤|💕|🎉|🥳|😂|🤣|✨|🙌|😉|😏|🔥|🎤|🍕|🎲|☀️|🍻|🙈|💍|🏆|🎭|🥪)/u;

/**
 * The tone of a message: upset, cold, warm or neutral, from cue words and wink-sentiment's
 * lexicon score. Only a clearly tinted score counts: "would you like coffee?" is polite, not warm.
 */
export function toneOf(text: string): CoachTone {
  return toneByCues(text).tone;
}

/** The tone the cue rules read, and whether a cue said so outright rather than the sentiment lexicon leaning one way. */
function toneByCues(text: string): { tone: CoachTone; outright: boolean } {
  const plain = normalise(text);
  if (!plain) return { tone: "neutral", outright: false };
  const warmCue = WARM_CUES.test(plain);
  // 😭 is as often happy tears as sad ones: it is upset only without a happy cue beside it.
  if (UPSET_CUES.test(plain) || (/😭/u.test(plain) && !warmCue)) return { tone: "upset", outright: true };
  const words = plain.split(/\s+/).length;
  // A few words closed with full stops and nothing friendly ("hey. been a while.") read cool.
  const clipped = words <= 6 && /\.\s*$/.test(plain) && !warmCue && !/!/.test(text);
  if (COLD_CUES.test(plain) || COLD_PHRASES.test(plain) || clipped) return { tone: "cold", outright: true };
  if (warmCue || /!/.test(text)) return { tone: "warm", outright: true };
  // "would you like" is politeness, not affection: AFINN scores every "like" as positive.
  const { normalizedScore } = winkSentiment(
    text.replace(/\b(would|if|do|did) (you|u) like\b|\b(feel|looks?) like\b/gi, ""),
  );
  if (normalizedScore >= 1.5) return { tone: "warm", outright: false };
  if (normalizedScore <= -2) return { tone: "upset", outright: false };
  return { tone: "neutral", outright: false };
}
