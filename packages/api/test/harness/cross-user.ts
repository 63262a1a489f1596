// Cross-user isolation: user B calls a procedure with user A's ids in its id-like fields; the answer must be as if the rows did not exist.
import { randomUUID } from "node:crypto";
import type { Database } from "@lockstep/db";
import type { AnyRouter } from "@trpc/server";
import fc from "fast-check";
import type { Actor, ActorSource } from "./actors.ts";
import { inputArbitraries } from "./arbitraries.ts";
import type { DiscoveredProcedure } from "./discovery.ts";
import {
  allIds,
  createOwnedData,
  cursorsFor,
  kindsForField,
  kindsForName,
  kindsForProcedure,
  type OwnedData,
  type RowKind,
  snapshotOwnedRows,
} from "./fixtures.ts";
import type { Finding } from "./fuzz.ts";
import { problemsOfOutcome } from "./fuzz.ts";
import { describeOutcome, invoke, isAbsentUpstream, type Outcome, previewInput } from "./invoke.ts";
import { findIdFields, type IdField, inputJsonSchema, passesInputValidation, setAtPath } from "./schema.ts";

export interface CrossUserReport {
  path: string;
  fields: string[];
  /** Calls with one of A's ids (controls with a never-used id are not counted). */
  attempts: number;
  /** Attempts whose input passed validation, so the resolver had to decide about A's row. */
  reached: number;
  codes: Record<string, number>;
  findings: Finding[];
  /** For creates with a client id: how a clash with A's id and with one's own id were worded. */
  clashes: string[];
}

export interface CrossUserOptions {
  db: Database;
  actors: ActorSource;
  /** User A and the rows they own. */
  owner: OwnedData;
  seed: number;
}

/**
 * Procedures that create a row under an id the client chose (sessions, messages): for those, A's
 * existing id in `id` must be a CONFLICT, worded like any other clash, and leave A's row alone.
 */
export function isCreateWithClientId(path: string, field: IdField): boolean {
  const segments = path.split(".");
  const verb = segments[segments.length - 1] ?? "";
  return (
    field.path.length === 1 &&
    (field.key === "id" || field.key === "clientId") &&
    /^(create|send|edit|add|start|open|new|upsert|import|register|post|submit)/i.test(verb)
  );
}

function codeOf(outcome: Outcome): string {
  return outcome.ok ? "OK" : outcome.code;
}

function messageOf(outcome: Outcome): string {
  if (outcome.ok) return "";
  const message = (outcome.shape as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : "";
}

function serialise(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}

/** Any of A's data in an answer: the fixture's marker word, A's email, or an id of A's other than the one sent. */
export function ownerDataIn(outcome: Outcome, owner: OwnedData, sentIds: readonly string[]): string[] {
  const text = serialise(outcome.ok ? outcome.data : outcome.shape);
  const found: string[] = [];
  if (text.includes(owner.marker)) found.push(`A's text (marker ${owner.marker})`);
  if (owner.email && text.includes(owner.email)) found.push("A's email");
  for (const id of allIds(owner)) if (!sentIds.includes(id) && text.includes(id)) found.push(`A's id ${id}`);
  return found;
}

/** Replaces each sent id with a placeholder, so two answers can be compared whatever id they echo. */
function normalise(text: string, ids: readonly string[]): string {
  let result = text;
  for (const id of ids) result = result.split(id).join("<id>");
  return result;
}

interface Plan {
  field: IdField;
  kind: RowKind;
  /** The id of A's as sent (for cursors, the id inside the cursor). */
  id: string;
  value: unknown;
  control: unknown;
  controlId: string;
  /** Which form the value takes (a bare id, or the n-th cursor shape). */
  shape: number;
  createStyle: boolean;
}

/**
 * Runs every attempt for one procedure as a fresh user B who owns a fixture of their own, so the
 * other id-like fields of an input can point at B's rows and only the target field at A's.
 */
export async function crossUserProcedure(
  router: AnyRouter,
  procedure: DiscoveredProcedure,
  options: CrossUserOptions,
): Promise<CrossUserReport> {
  const schema = inputJsonSchema(procedure);
  const fields = findIdFields(schema);
  const report: CrossUserReport = {
    path: procedure.path,
    fields: fields.map((f) => f.path.join(".")),
    attempts: 0,
    reached: 0,
    codes: {},
    findings: [],
    clashes: [],
  };
  if (fields.length === 0) return report;
  const { owner, db } = options;
  const actor: Actor = await options.actors.actor("user", { fresh: true });
  if (!actor.user) throw new Error("cross-user runs need a signed-in user B");
  const mine = await createOwnedData(db, actor.user.id);
  const samples = fc.sample(inputArbitraries(procedure).valid, { numRuns: 80, seed: options.seed });
  const finding = (problem: string, input: unknown) =>
    report.findings.push({ path: procedure.path, actor: "user B with A's ids", problem, input: previewInput(input) });

  /**
   * A sample with every id-like field but `target` pointing at B's own rows. Fields that name no
   * row B can own (a character, a template: catalogue rows) and cursors are dropped when `drop` is
   * set, so the resolver decides about the target field, not about a made-up reference.
   */
  const ownInput = (sample: unknown, target: IdField | undefined, drop: boolean): unknown => {
    let input = sample;
    for (const field of fields) {
      if (field === target) continue;
      let value: unknown;
      const named =
        field.key === "id" || field.key === "ids"
          ? [...kindsForProcedure(procedure.path), "session" as const]
          : kindsForName(field.key);
      if (field.key === "cursor") value = undefined;
      else if (isCreateWithClientId(procedure.path, field)) value = randomUUID();
      else if (named) value = named.map((kind) => mine.ids[kind][0]).find((x) => x !== undefined) ?? randomUUID();
      else if (drop) value = undefined;
      else continue;
      input = setAtPath(input, field.path, field.isArray && value !== undefined ? [value] : value);
    }
    return input;
  };
  const build = (target: IdField, value: unknown): { input: unknown; valid: boolean } => {
    const injected = target.isArray ? [value] : value;
    let first: unknown;
    for (const drop of [true, false]) {
      for (const sample of samples.length ? samples : [undefined]) {
        const input = setAtPath(ownInput(sample, target, drop), target.path, injected);
        if (first === undefined) first = input;
        if (passesInputValidation(procedure, input)) return { input, valid: true };
      }
    }
    return { input: first, valid: false };
  };

  const plans: Plan[] = [];
  for (const field of fields) {
    const controlId = randomUUID();
    const controlValues =
      field.key === "cursor" ? cursorsFor(controlId, owner.createdAtMs, procedure.path) : [controlId];
    for (const kind of kindsForField(field.key)) {
      for (const id of owner.ids[kind]) {
        const values = field.key === "cursor" ? cursorsFor(id, owner.createdAtMs, procedure.path) : [id];
        values.forEach((value, shape) =>
          plans.push({
            field,
            kind,
            id,
            value,
            control: controlValues[shape],
            controlId,
            shape,
            createStyle:
              isCreateWithClientId(procedure.path, field) && kindsForProcedure(procedure.path).includes(kind),
          }),
        );
      }
    }
  }

  // The clash any caller gets when re-using one of their own ids with a different payload: A's id
  // must be answered with the same words, or the wording tells whose row it is.
  const controls = new Map<string, Outcome>();
  const ownClash = new Map<string, string | null>();
  const clashMessages = new Map<string, Set<string>>();
  const userB = actor.user.id;
  /**
   * Each call finds B's conversation as the first did: no reply worker runs here, so a reply a call
   * asked for is taken as written, and an edit's branch is put back on screen. Otherwise "one reply at
   * a time" or "edit only what is on screen" would answer a later probe differently from its control
   * for a reason that has nothing to do with A's rows. A message B made under an id that is also one
   * of A's (a session's, a user's: different tables) goes, or the next message's parent would echo it.
   */
  const ownersIds = allIds(options.owner);
  const call = async (input: unknown): Promise<Outcome> => {
    const outcome = await invoke(router, procedure, options.actors.context(actor), input);
    await db.pool.query(`DELETE FROM messages WHERE user_id = $1 AND id::text = ANY($2::text[])`, [userB, ownersIds]);
    await db.pool.query(
      `UPDATE messages SET reply_status = NULL, hidden = false
        WHERE user_id = $1 AND (reply_status = 'PENDING' OR hidden)`,
      [userB],
    );
    return outcome;
  };
  const baseContext = options.actors.context(actor);
  /** B creates under a new id, then sends that id again with another payload: the clash's words, or null if none. */
  const ownClashMessage = async (field: IdField): Promise<string | null> => {
    const own = randomUUID();
    const first = build(field, own).input;
    await call(first);
    const second = samples
      .map((sample) => setAtPath(ownInput(sample, field, true), field.path, own))
      .find((candidate) => passesInputValidation(procedure, candidate) && serialise(candidate) !== serialise(first));
    if (second === undefined) return null;
    const clash = await call(second);
    return !clash.ok && clash.code === "CONFLICT" ? normalise(messageOf(clash), [own]) : null;
  };

  let baseline = await snapshotOwnedRows(db, owner.userId);
  for (const plan of plans) {
    const fieldName = plan.field.path.join(".");
    const { input, valid } = build(plan.field, plan.value);
    report.attempts += 1;
    if (valid) report.reached += 1;
    const outcome = await call(input);
    report.codes[codeOf(outcome)] = (report.codes[codeOf(outcome)] ?? 0) + 1;
    const label =
      `${fieldName} = A's ${plan.kind} ${plan.field.key === "cursor" ? `(cursor ${String(plan.value).slice(0, 24)}...)` : ""}`.trim();
    const ctxRequestId = outcome.requestId;

    const upstreamAbsent = isAbsentUpstream(outcome, baseContext);
    for (const problem of problemsOfOutcome(outcome, {
      input,
      requestId: ctxRequestId,
      upstreamAbsent: baseContext.ai === undefined,
    })) {
      finding(`${label}: ${problem}`, input);
    }
    for (const leak of ownerDataIn(outcome, owner, [plan.id])) finding(`${label}: the answer reveals ${leak}`, input);

    if (plan.createStyle) {
      // BAD_REQUEST is fine too: the random fields around A's id may be invalid, and it reveals nothing.
      if (outcome.ok || (outcome.code !== "CONFLICT" && outcome.code !== "BAD_REQUEST")) {
        finding(
          `${label}: creating with another user's existing id must be a CONFLICT, got ${describeOutcome(outcome)}`,
          input,
        );
      } else {
        const words = normalise(messageOf(outcome), [plan.id]);
        const seen = clashMessages.get(fieldName) ?? new Set<string>();
        seen.add(words);
        clashMessages.set(fieldName, seen);
        if (!ownClash.has(fieldName)) ownClash.set(fieldName, await ownClashMessage(plan.field));
        const own = ownClash.get(fieldName);
        if (own !== undefined && own !== null && own !== words) {
          finding(
            `${label}: the clash says ${JSON.stringify(words)}, but a clash with one's own id says ${JSON.stringify(own)}`,
            input,
          );
        }
      }
    } else {
      // One control per field and value shape: what an id nobody has gets does not depend on the id.
      const controlKey = `${fieldName}#${plan.shape}`;
      let control = controls.get(controlKey);
      if (!control) {
        control = await call(build(plan.field, plan.control).input);
        controls.set(controlKey, control);
      }
      // Without an AI runtime, a procedure may refuse before looking anything up; that says nothing
      // about A's row as long as an unknown id gets the very same answer (checked just below).
      if (!outcome.ok && outcome.code !== "NOT_FOUND" && outcome.code !== "BAD_REQUEST" && !upstreamAbsent) {
        finding(
          `${label}: answered ${describeOutcome(outcome)}; another user's row must look absent (NOT_FOUND, or BAD_REQUEST for a malformed id)`,
          input,
        );
      }
      if (outcome.ok && !control.ok) {
        finding(
          `${label}: succeeded with another user's id, while an unknown id gives ${describeOutcome(control)}`,
          input,
        );
      }
      if (codeOf(outcome) !== codeOf(control)) {
        finding(
          `${label}: answered ${describeOutcome(outcome)}, but ${describeOutcome(control)} for an id nobody has: the difference reveals the row exists`,
          input,
        );
      } else if (
        !outcome.ok &&
        normalise(messageOf(outcome), [String(plan.value), plan.id]) !==
          normalise(messageOf(control), [String(plan.control), plan.controlId])
      ) {
        finding(
          `${label}: says ${JSON.stringify(messageOf(outcome))}, but ${JSON.stringify(messageOf(control))} for an id nobody has`,
          input,
        );
      }
    }

    // After every mutation, so a change is pinned to its input; queries are checked once at the end.
    if (procedure.type !== "query") {
      const after = await snapshotOwnedRows(db, owner.userId);
      if (after !== baseline) {
        finding(
          `${label}: A's rows (or rows pointing at them) changed after the call (${describeOutcome(outcome)})`,
          input,
        );
        baseline = after;
      }
    }
  }
  if (procedure.type === "query" && (await snapshotOwnedRows(db, owner.userId)) !== baseline) {
    report.findings.push({
      path: procedure.path,
      actor: "user B with A's ids",
      problem: "A's rows (or rows pointing at them) changed during the queries",
      input: "",
    });
  }
  for (const [field, messages] of clashMessages) {
    report.clashes.push(
      `${field}: A's id -> ${[...messages].map((m) => JSON.stringify(m)).join(" / ")}; own id -> ${JSON.stringify(ownClash.get(field) ?? "(no clash: a replay succeeds)")}`,
    );
    if (messages.size > 1)
      report.findings.push({
        path: procedure.path,
        actor: "user B with A's ids",
        problem: `${field}: clashes with A's ids are worded differently: ${[...messages].map((m) => JSON.stringify(m)).join(" / ")}`,
        input: "",
      });
  }
  return report;
}
