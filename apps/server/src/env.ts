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
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Pretty, human-readable logs instead of JSON lines. */
  LOG_PRETTY: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true" || value === "1")),
  /** Largest request body accepted, in bytes; larger ones get 413. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
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
