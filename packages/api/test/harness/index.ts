// The procedure harness: discovery, callers, inputs, fixtures and checks that walk every procedure of a router, for any test to reuse.
export {
  ACTOR_KINDS,
  type Actor,
  type ActorKind,
  type ActorSource,
  contextFor,
  databaseActors,
  type ExtraContext,
  harnessServerInfo,
  harnessPerson,
  offlineActors,
  stillIntact,
} from "./actors.ts";
export { hostileString, hostileValue, inputArbitraries, mutate, MUTATIONS } from "./arbitraries.ts";
export { crossUserProcedure, type CrossUserReport, isCreateWithClientId, ownerDataIn } from "./cross-user.ts";
export {
  type Access,
  accessOf,
  type Classification,
  classifyAll,
  classifyProcedure,
  type DiscoveredProcedure,
  discoverProcedures,
  formatClassificationTable,
  probeInputs,
  PUBLIC_PROCEDURES,
} from "./discovery.ts";
export {
  allIds,
  createOwnedData,
  cursorsFor,
  kindsForField,
  type OwnedData,
  ROW_KINDS,
  type RowKind,
  snapshotOwnedRows,
} from "./fixtures.ts";
export {
  expectedRefusal,
  type Finding,
  fuzzProcedure,
  type FuzzReport,
  problemsOfOutcome,
  SELF_EMAIL,
  SELF_ID,
} from "./fuzz.ts";
export { describeOutcome, invoke, isAbsentUpstream, type Outcome, previewInput, serverCause } from "./invoke.ts";
export { appCodeOfShape, findLeaks, isServerError, type Leak, problemsOfErrorShape } from "./leaks.ts";
export {
  findIdFields,
  inputJsonSchema,
  isIdLikeKey,
  passesInputValidation,
  setAtPath,
  valueArbitrary,
} from "./schema.ts";
