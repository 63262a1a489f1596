// Readers of situation and tone: a multinomial logistic regression (with naive Bayes beside it for the situation) over words, word pairs, word groups and letter triples, trained from labelled conversations.
import { conceptFeatures } from "./concepts.ts";
import { focusOf, type Focus, type SpokenLine } from "./focus.ts";
import { normalise } from "./text.ts";

/** Which features a reader is trained on; the coach's choice is made by cross-validation on the tuning part (bench:coach). */
export interface FeatureOptions {
  /** Adjacent word pairs: "not feeling", "you always". */
  pairs: boolean;
  /** Letter triples inside longer words, so "sorryyy", "apologise" and "apologies" share evidence. */
  letterTriples: boolean;
  /** Word groups (concepts.ts), so "nan" and "grandad" share evidence. */
  concepts: boolean;
  /** The L2 penalty on the regression's weights. */
  l2: number;
  /** Passes over the examples when fitting the regression. */
  epochs: number;
  /**
   * What a naive Bayes reader's log probabilities are worth beside the regression's, for the
   * situation (0: the regression alone). Naive Bayes trusts rare words more, the regression common
   * ones; together they misread less than either.
   */
  naiveBayes: number;
  /** Naive Bayes' additive smoothing. */
  smoothing: number;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  pairs: true,
  letterTriples: false,
  concepts: true,
  l2: 0.0003,
  epochs: 25,
  naiveBayes: 0.3,
  smoothing: 0.05,
};

/** Words that turn what follows them around, up to the end of the clause: "not feeling it", "never replied". */
const NEGATORS = new Set(["not", "no", "never", "cannot", "nothing", "nobody"]);
const NEGATION_REACH = 3;

/** A light stem, so "texts", "texting" and "texted" share evidence: a few English suffixes cut, never below four letters. */
export function stem(word: string): string {
  const base = word.replace(/'s$/, "");
  if (base.length > 5 && base.endsWith("ies")) return `${base.slice(0, -3)}y`;
  if (base.length > 5 && base.endsWith("ing")) return base.slice(0, -3);
  if (base.length > 4 && base.endsWith("ed")) return base.slice(0, -2);
  if (base.length > 3 && base.endsWith("s") && !base.endsWith("ss")) return base.slice(0, -1);
  return base;
}

const TOKEN = /\p{Extended_Pictographic}|[:;]-?[()dpo]|[a-z0-9']+|[?!.,;]/gu;

/**
 * The features of a message, on normalised text (shorthand spelled out, see text.ts): the stems of its
 * words (negated ones marked, so "didn't get the job" is not "got the job"), its emoji and emoticons,
 * question and exclamation marks, and, as the options say, word pairs and letter triples. Whose words
 * they are is a feature too: the person describing a situation to the coach words it differently
 * from the contact living it.
 */
export function featuresOf(text: string, about: "contact" | "user", options: FeatureOptions): string[] {
  const units: string[] = [];
  const features: string[] = [`about:${about}`];
  let negatedFor = 0;
  const plain = normalise(text);
  if (options.concepts) features.push(...conceptFeatures(plain));
  for (const [token] of plain.matchAll(TOKEN)) {
    if (/^[.,;]$/.test(token)) {
      negatedFor = 0;
      continue;
    }
    if (/^[a-z0-9']+$/.test(token)) {
      if (/^\d+$/.test(token)) {
        units.push("<number>");
        continue;
      }
      const word = token.endsWith("n't") ? token.slice(0, -3) : token;
      units.push(negatedFor > 0 ? `not:${stem(word)}` : stem(word));
      negatedFor = Math.max(0, negatedFor - 1);
      if (token.endsWith("n't") || NEGATORS.has(token)) negatedFor = NEGATION_REACH;
      if (options.letterTriples && token.length >= 4) {
        const padded = `<${token}>`;
        for (let i = 0; i + 3 <= padded.length; i++) features.push(`tri:${padded.slice(i, i + 3)}`);
      }
    } else {
      if (token === "?" || token === "!") negatedFor = 0;
      units.push(token);
    }
  }
  features.push(...units);
  if (options.pairs) for (let i = 0; i + 1 < units.length; i++) features.push(`${units[i]} ${units[i + 1]}`);
  return features;
}

/** A conversation labelled with the situation and tone of its latest exchange. */
export interface LabelledExample {
  id: number;
  situation: string;
  tone: string;
  conversation: { author: "user" | "contact"; text: string }[];
}

/** Log2 odds of each label against all the others; empty when the message shares no feature with what was learned. */
export type Odds = Record<string, number>;

export interface TrainedReader {
  /** The situation and tone odds of a focus; its features are worked out once for both. */
  read(focus: Pick<Focus, "about" | "text">): { situation: Odds; tone: Odds };
}

type Classify = (features: string[]) => Odds;
interface Sample {
  features: string[];
  label: string;
}

/** A small seeded generator (mulberry32), so training visits the examples in the same order on every load. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEARNING_RATE = 2;

/**
 * Multinomial logistic regression over the features' presence, each message's features scaled to
 * unit length, fitted by stochastic gradient descent in a seeded order with an L2 penalty. Its
 * output is each label's log probability (natural log), which is what the rules are added to.
 */
export function trainLogistic(samples: Sample[], l2: number, epochs = 80): Classify {
  const labels = [...new Set(samples.map((sample) => sample.label))].sort();
  const width = labels.length;
  // One flat table, a row of label weights per feature: training touches it tens of thousands of times.
  const rowOf = new Map<string, number>();
  const encoded = samples.map(({ features, label }) => {
    const unique = [...new Set(features)];
    for (const feature of unique) if (!rowOf.has(feature)) rowOf.set(feature, rowOf.size * width);
    return { rows: Int32Array.from(unique, (f) => rowOf.get(f) as number), target: labels.indexOf(label) };
  });
  const weights = new Float64Array(rowOf.size * width);
  const bias = new Float64Array(width);
  const out = new Float64Array(width);
  /** Fills `out` with each label's probability for a message made of these rows. */
  const probabilities = (rows: Int32Array): void => {
    const scale = rows.length > 0 ? 1 / Math.sqrt(rows.length) : 0;
    out.set(bias);
    for (const row of rows)
      for (let c = 0; c < width; c++) out[c] = (out[c] as number) + (weights[row + c] as number) * scale;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c++) max = Math.max(max, out[c] as number);
    let sum = 0;
    for (let c = 0; c < width; c++) sum += out[c] = Math.exp((out[c] as number) - max);
    for (let c = 0; c < width; c++) out[c] = (out[c] as number) / sum;
  };
  const random = seededRandom(7);
  const order = encoded.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const rate = LEARNING_RATE / (1 + epoch * 0.2);
    for (const index of order) {
      const { rows, target } = encoded[index] as (typeof encoded)[number];
      probabilities(rows);
      const scale = rows.length > 0 ? 1 / Math.sqrt(rows.length) : 0;
      for (let c = 0; c < width; c++) {
        const gradient = (out[c] as number) - (c === target ? 1 : 0);
        bias[c] = (bias[c] as number) - rate * gradient;
        for (const row of rows) {
          const w = weights[row + c] as number;
          weights[row + c] = w - rate * (gradient * scale + l2 * w);
        }
      }
    }
  }
  return (features) => {
    const known = [...new Set(features)].filter((f) => rowOf.has(f));
    if (known.length === 0) return {};
    probabilities(Int32Array.from(known, (f) => rowOf.get(f) as number));
    return Object.fromEntries(labels.map((label, c) => [label, Math.log(out[c] as number)]));
  };
}

/**
 * Multinomial naive Bayes over the features' presence, with additive smoothing. Its output is each
 * label's log probability (natural log), normalised like the regression's so the two can be added.
 */
export function trainNaiveBayes(samples: Sample[], smoothing: number): Classify {
  const labels = [...new Set(samples.map((sample) => sample.label))].sort();
  const width = labels.length;
  const counts = new Map<string, Float64Array>();
  const totals = new Float64Array(width);
  const documents = new Float64Array(width);
  for (const { features, label } of samples) {
    const c = labels.indexOf(label);
    documents[c] = (documents[c] as number) + 1;
    for (const feature of new Set(features)) {
      let row = counts.get(feature);
      if (!row) counts.set(feature, (row = new Float64Array(width)));
      row[c] = (row[c] as number) + 1;
      totals[c] = (totals[c] as number) + 1;
    }
  }
  const vocabulary = counts.size;
  return (features) => {
    const known = [...new Set(features)].filter((f) => counts.has(f));
    if (known.length === 0) return {};
    const scores = labels.map((_, c) => {
      let score = Math.log((documents[c] as number) / samples.length);
      const denominator = Math.log((totals[c] as number) + smoothing * vocabulary);
      for (const feature of known)
        score += Math.log(((counts.get(feature) as Float64Array)[c] as number) + smoothing) - denominator;
      return score;
    });
    const max = Math.max(...scores);
    const norm = max + Math.log(scores.reduce((sum, score) => sum + Math.exp(score - max), 0));
    return Object.fromEntries(labels.map((label, c) => [label, (scores[c] as number) - norm]));
  };
}

/** The regression's log probabilities plus naive Bayes' at the given weight. */
function ensemble(regression: Classify, bayes: Classify, weight: number): Classify {
  return (features) => {
    const odds = regression(features);
    const extra = bayes(features);
    return Object.fromEntries(
      Object.entries(odds).map(([label, value]) => [label, value + weight * (extra[label] ?? 0)]),
    );
  };
}

/** Trains both readers on the examples' focus (see focus.ts): the same words the coach reads at answer time. */
export function trainReader(examples: LabelledExample[], options: FeatureOptions = DEFAULT_FEATURES): TrainedReader {
  const featured = examples.map((example) => {
    const focus = focusOf(example.conversation as SpokenLine[]);
    return { example, features: featuresOf(focus.text, focus.about, options) };
  });
  const train = (label: (example: LabelledExample) => string): Classify => {
    const samples = featured.map(({ example, features }) => ({ features, label: label(example) }));
    return trainLogistic(samples, options.l2, options.epochs);
  };
  const situationOf = (example: LabelledExample) => example.situation;
  const situation =
    options.naiveBayes > 0
      ? ensemble(
          train(situationOf),
          trainNaiveBayes(
            featured.map(({ example, features }) => ({ features, label: situationOf(example) })),
            options.smoothing,
          ),
          options.naiveBayes,
        )
      : train(situationOf);
  const tone = train((example) => example.tone);
  return {
    read: (focus) => {
      const features = featuresOf(focus.text, focus.about, options);
      return { situation: situation(features), tone: tone(features) };
    },
  };
}

/**
 * Splits examples into k folds by id (deterministic, so the figures can be reproduced) and
 * hands each fold, with the reader trained on the others, to `score`.
 */
export function crossValidate<T>(
  examples: LabelledExample[],
  folds: number,
  options: FeatureOptions,
  score: (reader: TrainedReader, held: LabelledExample[]) => T,
): T[] {
  const results: T[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = examples.filter((example) => example.id % folds !== fold);
    const held = examples.filter((example) => example.id % folds === fold);
    results.push(score(trainReader(train, options), held));
  }
  return results;
}
