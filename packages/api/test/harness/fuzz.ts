// Property-based fuzzing of one procedure as one kind of caller: no 5xx, no leak, and the refusals its access class promises.
import type { AnyRouter } from "@trpc/server";
import fc from "fast-check";
import type { Actor, ActorKind, ActorSource } from "./actors.ts";
import { inputArbitraries } from "./arbitraries.ts";
import type { Access, DiscoveredProcedure } from "./discovery.ts";
import { cursorsFor, type OwnedData, ROW_KINDS, type RowKind } from "./fixtures.ts";
import { describeOutcome, invoke, type Outcome, previewInput, serverCause } from "./invoke.ts";
import { appCodeOfShape, findLeaks, isServerError, problemsOfErrorShape } from "./leaks.ts";
import { defineOwn, passesInputValidation, type ValueHints } from "./schema.ts";

export interface Finding {
  path: string;
  actor: string;
  problem: string;
  input: string;
}

export interface FuzzReport {
  path: string;
  actor: ActorKind;
  sent: number;
  /** Inputs that passed the procedure's own input validation, i.e. reached its resolver. */
  valid: number;
  codes: Record<string, number>;
  findings: Finding[];
}

// Placeholders the arbitraries may put in a field; each call swaps in its own caller's values, so
// "delete my account" confirmations, "my own id" and "my own session" can be generated before the
// caller exists. Unresolved ones stay as they are: odd strings with a NUL, still worth sending.
export const SELF_ID = "\u0000harness:self-id";
export const SELF_EMAIL = "\u0000harness:self-email";

/** The caller's `index`-th row of `kind` (see OwnedData). */
export function selfRow(kind: RowKind, index: number): string {
  return `\u0000harness:self:${kind}:${index}`;
}

/** A cursor built from the caller's `index`-th session (see cursorsFor). */
export function selfCursor(index: number): string {
  return `\u0000harness:self-cursor:${index}`;
}

/** What each placeholder stands for, for this caller and the rows they own. */
export function selfReplacements(actor: Actor, owned?: OwnedData): Record<string, string> {
  const replacements: Record<string, string> = {
    [SELF_ID]: actor.user?.id ?? "anonymous",
    [SELF_EMAIL]: actor.user?.email ?? "anonymous@example.test",
  };
  if (owned) {
    for (const kind of ROW_KINDS) owned.ids[kind].forEach((id, i) => (replacements[selfRow(kind, i)] = id));
    const session = owned.ids.session[0];
    if (session) cursorsFor(session, owned.createdAtMs).forEach((cursor, i) => (replacements[selfCursor(i)] = cursor));
  }
  return replacements;
}

/** `value` with the placeholders replaced; untouched parts keep their identity and odd prototypes. */
export function substituteSelf(value: unknown, replacements: Record<string, string>): unknown {
  const visit = (node: unknown, depth: number): unknown => {
    if (typeof node === "string") return replacements[node] ?? node;
    if (node === null || typeof node !== "object" || depth > 200) return node;
    if (Array.isArray(node)) {
      let changed = false;
      const copy = node.map((item) => {
        const next = visit(item, depth + 1);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? copy : node;
    }
    let changed = false;
    const entries = Object.keys(node).map((key) => {
      const item = (node as Record<string, unknown>)[key];
      const next = visit(item, depth + 1);
      if (next !== item) changed = true;
      return [key, next] as const;
    });
    if (!changed) return node;
    const copy: Record<string, unknown> = {};
    for (const [key, next] of entries) defineOwn(copy, key, next);
    return copy;
  };
  return visit(value, 0);
}

/** What this caller must be told whatever the input, given the procedure's access class. */
export function expectedRefusal(access: Access, actor: ActorKind): "UNAUTHORIZED" | "FORBIDDEN" | undefined {
  if (access !== "public" && actor === "anonymous") return "UNAUTHORIZED";
  if (access === "admin" && actor === "user") return "FORBIDDEN";
  return undefined;
}

/** Every rule one answer breaks: server errors, malformed or leaky error shapes, leaks in data, missing refusals. */
export function problemsOfOutcome(
  outcome: Outcome,
  context: { input: unknown; requestId: string; mustRefuseWith?: string; upstreamAbsent?: boolean },
): string[] {
  const problems: string[] = [];
  if (outcome.ok) {
    if (context.mustRefuseWith) problems.push(`succeeded, but must answer ${context.mustRefuseWith}`);
    // Only structural leaks in data: stored text (other fuzz inputs) may legitimately say "SELECT".
    for (const leak of findLeaks(outcome.data, { echo: context.input })) {
      if (
        [
          "stack frame",
          "server path",
          "node_modules",
          "source file position",
          "error object",
          "stack property",
        ].includes(leak.rule)
      ) {
        problems.push(`data leaks (${leak.rule}) at ${leak.where}: ${leak.excerpt}`);
      }
    }
    return problems;
  }
  const absent =
    context.upstreamAbsent === true &&
    outcome.code === "SERVICE_UNAVAILABLE" &&
    appCodeOfShape(outcome.shape) === "UPSTREAM_UNAVAILABLE";
  if (isServerError(outcome.shape as { data?: { httpStatus?: unknown } }) && !absent) {
    problems.push(`server error: ${describeOutcome(outcome)}; server-side cause: ${serverCause(outcome)}`);
  }
  if (context.mustRefuseWith && outcome.code !== context.mustRefuseWith) {
    problems.push(
      `answered ${describeOutcome(outcome)}, but must answer ${context.mustRefuseWith} before looking at input`,
    );
  }
  problems.push(...problemsOfErrorShape(outcome.shape, { requestId: context.requestId, input: context.input }));
  return problems;
}

export interface FuzzOptions {
  actors: ActorSource;
  runs: number;
  seed: number;
  /** Offers for id-like, email and cursor fields (other people's rows, placeholders for the caller's own). */
  hints?: ValueHints;
  /** Gives a new caller rows of their own, which the selfRow/selfCursor placeholders then point at. */
  ownRows?: (actor: Actor) => Promise<OwnedData | undefined>;
  /**
   * After a successful mutation: is the caller still usable (not deleted, disabled or demoted)?
   * Without it, every successful mutation costs a new caller.
   */
  stillIntact?: (actor: Actor) => Promise<boolean>;
  /** Stop collecting after this many findings for one procedure and caller; the first ones say enough. */
  maxFindings?: number;
  /**
   * How long to wait for a subscription's first event (default 100 ms): a stream that stays open
   * would otherwise cost the full wait on every valid input. A shorter wait can miss a late error,
   * never invent one.
   */
  subscriptionWaitMs?: number;
}

/**
 * Sends `runs` random inputs to `procedure` as `kind`. A mutation that succeeded may have deleted,
 * disabled or demoted its caller, so then the next run gets a new one; failed calls rolled back.
 */
export async function fuzzProcedure(
  router: AnyRouter,
  procedure: DiscoveredProcedure,
  access: Access,
  kind: ActorKind,
  options: FuzzOptions,
): Promise<FuzzReport> {
  const report: FuzzReport = { path: procedure.path, actor: kind, sent: 0, valid: 0, codes: {}, findings: [] };
  const maxFindings = options.maxFindings ?? 5;
  const { any } = inputArbitraries(procedure, options.hints);
  const mustRefuseWith = expectedRefusal(access, kind);
  const newActor = async () => {
    const actor = await options.actors.actor(kind, { fresh: kind !== "anonymous" });
    return { actor, replacements: selfReplacements(actor, await options.ownRows?.(actor)) };
  };
  let current = await newActor();
  await fc.check(
    fc.asyncProperty(any, async (generated) => {
      const input = substituteSelf(generated, current.replacements);
      try {
        const ctx = options.actors.context(current.actor);
        const outcome = await invoke(router, procedure, ctx, input, {
          subscriptionWaitMs: options.subscriptionWaitMs ?? 100,
        });
        report.sent += 1;
        if (passesInputValidation(procedure, input)) report.valid += 1;
        const code = outcome.ok ? "OK" : outcome.code;
        report.codes[code] = (report.codes[code] ?? 0) + 1;
        const problems = problemsOfOutcome(outcome, {
          input,
          requestId: ctx.requestMeta.requestId,
          upstreamAbsent: ctx.ai === undefined,
          ...(mustRefuseWith ? { mustRefuseWith } : {}),
        });
        for (const problem of problems) {
          if (report.findings.length < maxFindings)
            report.findings.push({ path: procedure.path, actor: kind, problem, input: previewInput(input) });
        }
        if (outcome.ok && procedure.type !== "query" && kind !== "anonymous") {
          const intact = options.stillIntact ? await options.stillIntact(current.actor) : false;
          if (!intact) current = await newActor();
        }
      } catch (error) {
        report.findings.push({
          path: procedure.path,
          actor: kind,
          problem: `harness error: ${String(error)}`,
          input: previewInput(input),
        });
      }
      return true;
    }),
    { numRuns: options.runs, seed: options.seed },
  );
  return report;
}
