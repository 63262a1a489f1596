// Server configuration, read once from the environment and validated; a bad value stops the
// server with a message naming the variable.
import { z } from "zod";

const ZPortSchema = z.coerce.number().int().min(0).max(65_535);

export const ZServerEnvSchema = z.object({
  PORT: ZPortSchema.default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** PostgreSQL connection string; when unset the embedded database (PGlite) is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Redis for what several server processes share (live session events, sign-in failure counts). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** web answers HTTP and streams, worker runs the queue's jobs (model calls, OCR), all does both. */
  ROLE: z.enum(["web", "worker", "all"]).default("all"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Pretty, human-readable logs instead of JSON lines. */
  LOG_PRETTY: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true" || value === "1")),
  /** Largest request body accepted, in bytes; larger ones get 413. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Signs session cookies (32+ characters). Unset: one is generated once and kept in the data dir. */
  BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** The public URL people open (https makes cookies Secure). */
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
  /** Comma-separated origins, besides the app's own, allowed to call the API with cookies. */
  TRUSTED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ message: "each origin must be a URL like https://app.example.com" }))),
  /** Proxies whose X-Forwarded-For is believed: "true" (any) or comma-separated addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value): boolean | string[] | undefined => {
      if (value === undefined || value === "" || value === "false") return undefined;
      if (value === "true") return true;
      return value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
    }),
  /** Seed the demo data on start (the default in embedded mode). */
  SEED_ON_START: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true" || value === "1")),
});

export type ServerEnv = z.infer<typeof ZServerEnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const result = ZServerEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
