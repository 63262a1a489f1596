// Groups of words that mean the same kind of thing (family, illness, praise, ...), so the coach's classifier shares evidence between words it saw and words it did not.

/**
 * Each group's words, as they appear in normalised text (see text.ts). A message with "nan" gains the
 * same `c:family` feature as one with "grandad", so a reader taught on one recognises the other.
 * These are general English, not phrases lifted from the labelled conversations; cross-validation on
 * the tuning part is what kept them (bench:coach).
 */
const GROUPS: Record<string, string> = {
  family:
    "mum mom mam mother dad father nan nana gran grandma granny grandad grandpa grandparent uncle aunt auntie brother " +
    "sister sis bro cousin son daughter kid kids baby babies wife husband parent parents nephew niece family stepdad stepmom",
  health:
    "hospital sick ill illness cancer tumour tumor surgery operation covid flu doctor gp a&e icu diagnosis diagnosed scan " +
    "biopsy injured injury broke broken fever pain chemo therapy vet dementia stroke attack",
  death: "died dead death passed funeral grief rip lost loss",
  achievement:
    "passed won win winning got accepted promoted promotion offer hired graduated graduation qualified approved published " +
    "signed landed finished completed nailed aced made podium first record",
  celebration:
    "🎉 🥳 🍾 🙌 🏆 💍 🎓 🚀 congrats celebrate celebrating officially finally excited thrilled ecstatic proud",
  sadness:
    "sad anxious anxiety stressed stress depressed depression low awful terrible gutted devastated panic cry crying cried " +
    "heartbroken miserable lonely struggling overwhelmed exhausted worst rough hard tough 😢 😭 💔 😞 😔",
  anger:
    "angry mad annoyed furious pissed unbelievable seriously rude unfair disrespectful embarrassed humiliated 😡 😤 🤬 🙄 wtf",
  blame: "you always never again promised promise lied lie said would even",
  romance:
    "date dating dates relationship romantic romantically spark chemistry attracted attraction feelings ex crush boyfriend " +
    "girlfriend partner single",
  ending: "end ending ended over done stop stopping quit finish break breakup split leave leaving",
  distance: "space distance step back away break slow pause platonic friends friend",
  food:
    "coffee drink drinks dinner lunch brunch breakfast pizza tacos beer beers wine pub bar food bite curry sushi ramen burger " +
    "bbq picnic cake snacks",
  event:
    "party bbq gig concert wedding birthday bday housewarming festival match game quiz film movie cinema show exhibition " +
    "reunion trip holiday club",
  when: "monday tuesday wednesday thursday friday saturday sunday tonight tomorrow weekend later week morning evening afternoon night tonite",
  travel:
    "station bus train tube tram taxi uber cab car parking park address venue gate platform airport flight lift ride drive " +
    "driving traffic map pin location postcode door buzzer code",
  money: "£ $ money owe pay paid cost price split bill venmo transfer tickets ticket deposit share budget",
  looks:
    "cute pretty hot gorgeous beautiful handsome smile eyes hair outfit look looked looking dress jacket style haircut photo " +
    "pic sexy stunning",
  praise:
    "amazing great talented brilliant kind funny good well natural best favourite impressive incredible awesome genius smart proud",
  sorry: "sorry soz sry apologies apologise apologize apology bad fault forgive shouldn't regret",
  silence: "quiet mia silence ghost ghosted disappeared radio vanished busy distant replied reply text back",
  gap: "ages years months year long while since remember stranger old touch forever back",
  push: "come on why not just please pls send pic pics photo photos show wearing video",
  refusal:
    "don't dont stop not okay comfortable uncomfortable rather prefer private personal boundary boundaries respect appreciate",
  pastimes:
    "show series watch watching watched netflix song songs music album book books podcast game games weather rain sunny sun " +
    "cold hot episode trailer season",
  pets: "dog dogs cat cats puppy kitten parrot plant pet pets",
  wellbeing: "how's how hows how are you doing day week weekend going up",
  laughter: "lol haha hahaha lmao 😂 🤣 😆 hehe",
  flirting: "😍 😘 🥰 😉 😏 💋 😻 🔥 🙈 😳 🥹 ❤️ ❤ 💕",
  misfortune:
    "evicted eviction flooded flood burgled burglary robbed stolen mugged fined redundant redundancy laid fired sacked " +
    "crashed bankrupt debt debts cheating cheated bullied bullying dumped unemployed leak leaking towed",
  recovery: "success successful recovered recovering recovery awake stable smoothly perfectly survived discharged",
  affection: "💛 💙 💜 🧡 🤍 💖 💗 💞 ☺️ 😊 🥺 adore cheer lovely sweetest",
  pressure: "pushy push pushing pressure pressuring guilt guilty insist insisting nagging forcing",
  question: "?",
  asking: "what should i say reply answer respond text how do i",
};

const GROUPS_OF = new Map<string, string[]>();
for (const [group, list] of Object.entries(GROUPS))
  for (const word of list.split(/\s+/)) GROUPS_OF.set(word, [...(GROUPS_OF.get(word) ?? []), group]);

const TOKEN = /\p{Extended_Pictographic}|[a-z0-9'£$&]+|\?/gu;

/** The `c:<group>` features of normalised text: each group once, however many of its words appear. */
export function conceptFeatures(plain: string): string[] {
  const found = new Set<string>();
  for (const [token] of plain.matchAll(TOKEN)) for (const group of GROUPS_OF.get(token) ?? []) found.add(`c:${group}`);
  return [...found];
}
