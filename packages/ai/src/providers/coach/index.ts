// The built-in coach's reading of a conversation and its vocabulary, for the provider, the tests and the benchmark.
export {
  readConversation,
  composeCoachReply,
  composeCoachSuggestions,
  type CoachReading,
  type CoachSuggestion,
} from "./compose.ts";
export { extractDetails, type Details } from "./details.ts";
export { starterChunks, chunkForIntent } from "./knowledge.ts";
export { MOVES, MOVES_FOR_USER, TAGS_FOR_SITUATION, type CoachTag, type Move } from "./moves.ts";
export {
  crossValidate,
  DEFAULT_FEATURES,
  featuresOf,
  trainReader,
  type FeatureOptions,
  type LabelledExample,
  type TrainedReader,
} from "./classifier.ts";
export { focusOf, type Focus } from "./focus.ts";
export { isHeldOut, trainingSetOf } from "./training-set.ts";
export {
  COMBINATION,
  coachReader,
  readFocus,
  type Combination,
  readSituation,
  toneOf,
  asksForDraft,
  COACH_SITUATIONS,
  ZCoachSituationSchema,
  ZCoachToneSchema,
  type CoachSituation,
  type CoachTone,
  type SpokenLine,
} from "./situation.ts";
