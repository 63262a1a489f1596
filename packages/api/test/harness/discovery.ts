// Finds every procedure of a router and classifies it public / protected / admin by how it answers, never by a hand-kept list.
import type { AnyProcedure, AnyRouter } from "@trpc/server";
import { type ActorSource, ACTOR_KINDS, type ActorKind } from "./actors.ts";
import { describeOutcome, invoke, isAbsentUpstream, type Outcome, previewInput, serverCause } from "./invoke.ts";
import { isServerError, problemsOfErrorShape } from "./leaks.ts";

/**
 * The procedures meant to answer people who are not signed in. Adding a name here is the conscious
 * step a new public procedure needs; anything else must refuse an anonymous caller.
 */
export const PUBLIC_PROCEDURES: ReadonlySet<string> = new Set([
  // Load balancers and the status pages call it before anyone signs in.
  "health",
  // The web app asks "who am I?" on every load; the answer for a stranger is null, not an error.
  "auth.me",
  // The catalogue of coaches, browsed before signing up (runs as lockstep_app).
  "character.list",
  "character.get",
]);

export type ProcedureType = "query" | "mutation" | "subscription";
export type Access = "public" | "protected" | "admin";

export interface DiscoveredProcedure {
  path: string;
  type: ProcedureType;
  /** The parsers given to `.input()`, in order (tRPC merges them). */
  inputs: readonly unknown[];
  procedure: AnyProcedure;
}

interface LazyLoader {
  load(): Promise<void>;
}

/** Every procedure, lazy sub-routers loaded first so they are walked too. Sorted by path. */
export async function discoverProcedures(router: AnyRouter): Promise<DiscoveredProcedure[]> {
  const def = router._def as { lazy?: Record<string, LazyLoader>; procedures: Record<string, AnyProcedure> };
  // Loading one lazy router can reveal more lazy routers inside it, hence the loop.
  for (let round = 0; round < 50; round++) {
    const pending = Object.values(def.lazy ?? {});
    if (pending.length === 0) break;
    await Promise.all(pending.map((loader) => loader.load()));
  }
  return Object.entries(def.procedures)
    .map(([path, procedure]) => {
      const procDef = procedure._def as { type: ProcedureType; inputs?: unknown[] };
      return { path, type: procDef.type, inputs: procDef.inputs ?? [], procedure };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Inputs no schema should accept, each of a different shape. Authentication runs before input
 * validation, so a protected procedure must answer all of them with UNAUTHORIZED, whatever they are.
 */
export function probeInputs(): unknown[] {
  let deep: unknown = "bottom";
  for (let i = 0; i < 64; i++) deep = i % 2 ? [deep] : { nested: deep };
  return [
    undefined,
    null,
    Number.NaN,
    "\u0000\ud800' OR 1=1 --",
    [1, "two", { three: 3 }],
    JSON.parse('{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"isAdmin": true}}}') as unknown,
    deep,
  ];
}

export interface Classification {
  path: string;
  type: ProcedureType;
  access: Access;
  allowListed: boolean;
  /** The codes each actor got for the probe inputs, for the printed table. */
  answers: Record<ActorKind, string[]>;
  /** Reasons this procedure breaks the access rules; empty when it keeps them. */
  problems: string[];
}

function codeOf(outcome: Outcome): string {
  return outcome.ok ? "OK" : outcome.code;
}

/**
 * Calls the procedure with the probe inputs as anonymous, as a plain user and as an admin, and
 * decides what it is from the answers: UNAUTHORIZED for a stranger means at least protected,
 * FORBIDDEN for a plain user means admin. Users are fresh for mutations, which may destroy them.
 */
export async function classifyProcedure(
  router: AnyRouter,
  procedure: DiscoveredProcedure,
  actors: ActorSource,
  allowList: ReadonlySet<string> = PUBLIC_PROCEDURES,
): Promise<Classification> {
  const problems: string[] = [];
  const answers: Record<ActorKind, string[]> = { anonymous: [], user: [], admin: [] };
  const probes = probeInputs();
  const ask = async (kind: ActorKind, input: unknown): Promise<Outcome> => {
    const actor = await actors.actor(kind, { fresh: procedure.type !== "query" });
    const ctx = actors.context(actor);
    const outcome = await invoke(router, procedure, ctx, input);
    answers[kind].push(codeOf(outcome));
    if (!outcome.ok) {
      if (isServerError(outcome.shape as { data?: { httpStatus?: unknown } }) && !isAbsentUpstream(outcome, ctx)) {
        problems.push(
          `${kind} with ${previewInput(input, 80)} got a server error: ${describeOutcome(outcome)}; server-side cause: ${serverCause(outcome)}`,
        );
      }
      for (const problem of problemsOfErrorShape(outcome.shape, { requestId: ctx.requestMeta.requestId, input })) {
        problems.push(`${kind} with ${previewInput(input, 80)}: ${problem}`);
      }
    }
    return outcome;
  };

  const anonymous: Outcome[] = [];
  for (const input of probes) anonymous.push(await ask("anonymous", input));
  const refusedStranger = anonymous.filter((o) => !o.ok && o.code === "UNAUTHORIZED").length;
  const allowListed = allowList.has(procedure.path);

  let access: Access;
  if (refusedStranger === anonymous.length) {
    // Signed in at least; a plain user refused with FORBIDDEN every time means operators only.
    // Only the garbage probes here: `undefined` could reach a resolver that takes no input.
    const userAnswers: Outcome[] = [];
    for (const input of probes.slice(1)) userAnswers.push(await ask("user", input));
    const forbidden = userAnswers.filter((o) => !o.ok && o.code === "FORBIDDEN").length;
    access = forbidden === userAnswers.length ? "admin" : "protected";
    if (forbidden > 0 && forbidden < userAnswers.length) {
      problems.push(
        `a plain user got FORBIDDEN for ${forbidden} of ${userAnswers.length} probes: the role check must come before input validation`,
      );
    }
    if (access === "admin") {
      for (const input of probes.slice(1)) {
        const outcome = await ask("admin", input);
        if (!outcome.ok && (outcome.code === "UNAUTHORIZED" || outcome.code === "FORBIDDEN")) {
          problems.push(
            `an admin is refused (${describeOutcome(outcome)}) with ${previewInput(input, 80)}: nobody can call it`,
          );
        }
      }
    }
  } else {
    access = "public";
    if (!allowListed) {
      const answered = anonymous.map((o, i) => `${previewInput(probes[i], 40)} -> ${describeOutcome(o)}`).join("; ");
      problems.push(
        `answers an anonymous caller without UNAUTHORIZED but is not in PUBLIC_PROCEDURES: protect it, or list it there on purpose (${answered})`,
      );
    } else if (refusedStranger > 0) {
      problems.push(`public, yet refuses a stranger for ${refusedStranger} of ${anonymous.length} probes`);
    }
  }
  return { path: procedure.path, type: procedure.type, access, allowListed, answers, problems };
}

/**
 * The access class alone, in two calls (a stranger, then a plain user, with an input no schema
 * accepts), for tests that need it to choose expectations; `classifyProcedure` is the full check.
 */
export async function accessOf(
  router: AnyRouter,
  procedure: DiscoveredProcedure,
  actors: ActorSource,
): Promise<Access> {
  const garbage = probeInputs()[5];
  const stranger = await invoke(router, procedure, actors.context(await actors.actor("anonymous")), garbage);
  if (stranger.ok || stranger.code !== "UNAUTHORIZED") return "public";
  const user = await actors.actor("user", { fresh: procedure.type !== "query" });
  const plain = await invoke(router, procedure, actors.context(user), garbage);
  return !plain.ok && plain.code === "FORBIDDEN" ? "admin" : "protected";
}

export async function classifyAll(
  router: AnyRouter,
  procedures: readonly DiscoveredProcedure[],
  actors: ActorSource,
  allowList: ReadonlySet<string> = PUBLIC_PROCEDURES,
): Promise<Classification[]> {
  const results: Classification[] = [];
  for (const procedure of procedures) results.push(await classifyProcedure(router, procedure, actors, allowList));
  return results;
}

/** The classification as a fixed-width table for the test log. */
export function formatClassificationTable(rows: readonly Classification[], extra: Record<string, string> = {}): string {
  const summarise = (codes: string[]) => {
    const counts = new Map<string, number>();
    for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
    return [...counts].map(([code, n]) => (n > 1 ? `${code}x${n}` : code)).join(",") || "-";
  };
  const header = ["procedure", "type", "access", "allow-listed", ...ACTOR_KINDS.map((k) => `${k} probes`), "notes"];
  const body = rows.map((r) => [
    r.path,
    r.type,
    r.access,
    r.allowListed ? "yes" : "",
    ...ACTOR_KINDS.map((k) => summarise(r.answers[k])),
    [extra[r.path] ?? "", r.problems.length ? `${r.problems.length} PROBLEM(S)` : ""].filter(Boolean).join("; "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
