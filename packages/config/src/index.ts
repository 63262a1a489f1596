// Lockstep's one configuration module: reads the environment once, validates every group, and hands
// out a typed, frozen config (server-only; the server and the CLIs load it before anything else runs).
import type { z } from "zod";
import { CONFIG_GROUPS } from "./groups.ts";

export {
  AI_LOG_RETENTION_DAYS_DEFAULT,
  CONFIG_GROUPS,
  CONFIG_VARIABLES,
  DEFAULT_OPENAI_BASE_URL,
  LOG_LEVELS,
  OCR_WORKERS_MAX,
} from "./groups.ts";

type Groups = typeof CONFIG_GROUPS;
export type TConfigGroup = keyof Groups;

export type TServerConfig = z.output<Groups["server"]>;
export type TDatabaseConfig = z.output<Groups["database"]>;
export type TAuthConfig = z.output<Groups["auth"]>;
export type TAiProviderConfig = z.output<Groups["ai"]>;
export type TAiLogConfig = z.output<Groups["aiLog"]>;
export type TOcrConfig = z.output<Groups["ocr"]>;
export type TStorageConfig = z.output<Groups["storage"]>;
export type TCliConfig = z.output<Groups["cli"]>;

export type TConfig = { readonly [K in TConfigGroup]: DeepReadonly<z.output<Groups[K]>> };

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type TEnvironment = Readonly<Record<string, string | undefined>>;

export interface ConfigIssue {
  /** The environment variable to fix. */
  variable: string;
  /** What is wrong and what is allowed (never the value: it may be a secret). */
  message: string;
}

/** Every bad variable at once, so an operator fixes them in one go rather than one start at a time. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join("\n")}`);
  }
}

/** `VAR=` (or only spaces) means unset, as in a .env file; other values are passed on untouched. */
function present(env: TEnvironment): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) out[name] = value?.trim() ? value : undefined;
  return out;
}

type Parsed<K extends TConfigGroup> = { ok: true; value: z.output<Groups[K]> } | { ok: false; issues: ConfigIssue[] };

function parseGroup<K extends TConfigGroup>(group: K, env: Record<string, string | undefined>): Parsed<K> {
  const result = CONFIG_GROUPS[group].safeParse(env);
  if (result.success) return { ok: true, value: result.data as z.output<Groups[K]> };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? group),
      message: issue.message,
    })),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The whole configuration from `env` (default: this process's environment), frozen; throws one
 * ConfigError naming every bad variable and what it allows.
 */
export function loadConfig(env: TEnvironment = process.env): TConfig {
  const values = present(env);
  const config: Partial<Record<TConfigGroup, unknown>> = {};
  const issues: ConfigIssue[] = [];
  for (const group of Object.keys(CONFIG_GROUPS) as TConfigGroup[]) {
    const parsed = parseGroup(group, values);
    if (parsed.ok) config[group] = parsed.value;
    else issues.push(...parsed.issues);
  }
  if (issues.length) throw new ConfigError(issues);
  return deepFreeze(config as TConfig);
}

/** One group from `env`, for code and tests that need only that slice; throws ConfigError like loadConfig. */
export function loadConfigGroup<K extends TConfigGroup>(group: K, env: TEnvironment): TConfig[K] {
  const parsed = parseGroup(group, present(env));
  if (!parsed.ok) throw new ConfigError(parsed.issues);
  return deepFreeze(parsed.value) as TConfig[K];
}
