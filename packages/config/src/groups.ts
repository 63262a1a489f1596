// Every environment variable Lockstep reads, declared once with its default and allowed values, in groups.
//
// Each group is a zod object keyed by the variable names (so an issue's path is the variable an
// operator has to fix) that transforms into the typed slice the code uses. A variable set to an
// empty or blank string counts as unset, as `VAR=` in a .env file means.
import { z } from "zod";

/** Used when only OPENAI_API_KEY is set: the protocol's home, as the SDK itself defaults to. */
export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const AI_LOG_RETENTION_DAYS_DEFAULT = 90;
export const OCR_WORKERS_MAX = 16;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const FLAGS = ["true", "false", "1", "0"] as const;
const MASKING_ON = ["on", "true", "1", "yes", "enabled"] as const;
const MASKING_OFF = ["off", "false", "0", "no", "disabled"] as const;

const text = z.string().trim().min(1).optional();

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(", ")}` });
}

const flag = oneOf(FLAGS)
  .optional()
  .transform((value) => (value === undefined ? undefined : value === "true" || value === "1"));

/** A whole number in [min, max]; the message says the range, never the value (it may be a secret's neighbour). */
function wholeNumber(min: number, max: number) {
  const allowed = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, allowed)
    .transform(Number)
    .pipe(z.number().int().min(min, allowed).max(max, allowed));
}

const httpUrl = (example: string) =>
  z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https?$/, error: `must be an http(s) URL, e.g. ${example}` }));

const commaList = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);

export const ZServerConfigSchema = z
  .object({
    PORT: wholeNumber(0, 65_535).default(3000),
    HOST: text.default("127.0.0.1"),
    LOG_LEVEL: oneOf(LOG_LEVELS).default("info"),
    /** Pretty, human-readable logs instead of JSON lines (default: when stdout is a terminal). */
    LOG_PRETTY: flag,
    /** Largest request body accepted, in bytes; larger ones get 413. */
    BODY_LIMIT_BYTES: wholeNumber(1, 2 ** 31 - 1).default(1024 * 1024),
    /** Proxies whose X-Forwarded-For is believed: "true" (any) or comma-separated addresses/CIDRs. */
    TRUST_PROXY: z.string().optional(),
    /** Seed the demo data on start (default: in embedded mode). */
    SEED_ON_START: flag,
    /** web answers HTTP and streams; worker runs the queue's jobs (model calls, OCR); all does both. */
    ROLE: oneOf(["web", "worker", "all"] as const).default("all"),
    /** Redis for what several server processes share (live session events, sign-in failure counts). */
    REDIS_URL: z
      .string()
      .trim()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
  })
  .transform((env) => ({
    role: env.ROLE,
    redisUrl: env.REDIS_URL,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    logPretty: env.LOG_PRETTY,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    trustProxy:
      env.TRUST_PROXY === undefined || env.TRUST_PROXY === "false"
        ? undefined
        : env.TRUST_PROXY === "true"
          ? true
          : commaList(env.TRUST_PROXY),
    seedOnStart: env.SEED_ON_START,
  }));

export const ZDatabaseConfigSchema = z
  .object({
    /** PostgreSQL connection string; when unset the embedded database (PGlite) is used. */
    DATABASE_URL: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    /** Embedded-mode state (PGlite data, uploads, the generated auth secret); default `<repo>/.data`. */
    LOCKSTEP_DATA_DIR: text,
    /** Connections this process keeps to PostgreSQL for requests (the job queue has a few of its own). */
    DATABASE_POOL_MAX: wholeNumber(1, 500).default(10),
  })
  .transform((env) => ({ url: env.DATABASE_URL, dataDir: env.LOCKSTEP_DATA_DIR, poolMax: env.DATABASE_POOL_MAX }));

export const ZAuthConfigSchema = z
  .object({
    /** Signs session cookies. Unset: one is generated once and kept in the data directory. */
    BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Encrypts provider API keys saved in the admin tool. Unset: generated once and kept in the data directory. */
    PROVIDER_KEY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** The public URL people open (https makes cookies Secure). */
    PUBLIC_URL: httpUrl("https://chat.example.com").optional(),
    /** Comma-separated origins, besides the app's own, allowed to call the API with cookies. */
    TRUSTED_ORIGINS: z
      .string()
      .optional()
      .transform(commaList)
      .pipe(z.array(z.url({ error: "each origin must be a URL like https://app.example.com" }))),
    /** Where e-mail (password reset links) goes: smtp(s)://user:pass@host:port. Unset: the log and the admin's outbox. */
    SMTP_URL: z
      .string()
      .trim()
      .pipe(
        z.url({
          protocol: /^smtps?$/,
          error: "must be an smtp(s) URL, e.g. smtps://user:password@mail.example.com:465",
        }),
      )
      .optional(),
    /** The From address of that e-mail. */
    MAIL_FROM: text.default("Lockstep <no-reply@lockstep.local>"),
    /** How long an account stays locked after too many failed sign-ins (and the window they are counted in). */
    SIGN_IN_LOCKOUT_SECONDS: wholeNumber(1, 86_400).default(15 * 60),
    /** How long a password reset link works (it works once). */
    PASSWORD_RESET_EXPIRES_SECONDS: wholeNumber(1, 7 * 86_400).default(60 * 60),
  })
  .transform((env) => ({
    secret: env.BETTER_AUTH_SECRET,
    providerKeySecret: env.PROVIDER_KEY_SECRET,
    publicUrl: env.PUBLIC_URL,
    trustedOrigins: env.TRUSTED_ORIGINS,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    lockoutSeconds: env.SIGN_IN_LOCKOUT_SECONDS,
    resetExpiresSeconds: env.PASSWORD_RESET_EXPIRES_SECONDS,
  }));

const ZAiEnvSchema = z.object({
  OPENAI_BASE_URL: httpUrl("http://localhost:11434/v1").optional(),
  OPENAI_API_KEY: text,
  OPENAI_CHAT_MODEL: text,
  OPENAI_EMBEDDING_MODEL: text,
  OPENAI_EMBEDDING_DIMENSIONS: wholeNumber(1, 65_536).optional(),
  AI_TIMEOUT_FIRST_TOKEN_MS: wholeNumber(1, 3_600_000).optional(),
  AI_TIMEOUT_TOTAL_MS: wholeNumber(1, 3_600_000).optional(),
  AI_RETRY_ATTEMPTS: wholeNumber(1, 20).optional(),
  AI_BREAKER_THRESHOLD: wholeNumber(1, 1000).optional(),
  AI_BREAKER_HALF_OPEN_MS: wholeNumber(1, 3_600_000).optional(),
});

export const ZAiProviderConfigSchema = ZAiEnvSchema.superRefine((env, ctx) => {
  if (env.OPENAI_BASE_URL === undefined && env.OPENAI_API_KEY === undefined) return;
  for (const variable of ["OPENAI_CHAT_MODEL", "OPENAI_EMBEDDING_MODEL"] as const) {
    if (env[variable] === undefined)
      ctx.addIssue({
        code: "custom",
        path: [variable],
        message: "is required when OPENAI_BASE_URL or OPENAI_API_KEY is set",
      });
  }
  const { AI_TIMEOUT_FIRST_TOKEN_MS: first, AI_TIMEOUT_TOTAL_MS: total } = env;
  if (first !== undefined && total !== undefined && first > total)
    ctx.addIssue({
      code: "custom",
      path: ["AI_TIMEOUT_FIRST_TOKEN_MS"],
      message: `must not exceed AI_TIMEOUT_TOTAL_MS (${total})`,
    });
}).transform((env) =>
  env.OPENAI_BASE_URL === undefined && env.OPENAI_API_KEY === undefined
    ? ({ kind: "builtin" } as const)
    : {
        kind: "openai_compatible" as const,
        baseURL: env.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL,
        apiKey: env.OPENAI_API_KEY ?? null,
        // Present: the refinement above refuses the configuration without them.
        chatModel: env.OPENAI_CHAT_MODEL ?? "",
        embeddingModel: env.OPENAI_EMBEDDING_MODEL ?? "",
        embeddingDimensions: env.OPENAI_EMBEDDING_DIMENSIONS,
        /** Unset fields take the resilience layer's defaults. */
        resilience: {
          firstTokenTimeoutMs: env.AI_TIMEOUT_FIRST_TOKEN_MS,
          totalTimeoutMs: env.AI_TIMEOUT_TOTAL_MS,
          maxAttempts: env.AI_RETRY_ATTEMPTS,
          breakerThreshold: env.AI_BREAKER_THRESHOLD,
          halfOpenAfterMs: env.AI_BREAKER_HALF_OPEN_MS,
        },
      },
);

export const ZAiLogConfigSchema = z
  .object({
    /** Masking of personal data and credentials in the interaction log; on unless switched off. */
    AI_LOG_MASKING: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(oneOf([...MASKING_ON, ...MASKING_OFF]))
      .optional(),
    /** Days the interaction log is kept when operators have saved no setting of their own. */
    AI_LOG_RETENTION_DAYS: wholeNumber(1, 36_500).default(AI_LOG_RETENTION_DAYS_DEFAULT),
  })
  .transform((env) => ({
    masking: !(MASKING_OFF as readonly string[]).includes(env.AI_LOG_MASKING ?? "on"),
    retentionDays: env.AI_LOG_RETENTION_DAYS,
  }));

export const ZOcrConfigSchema = z
  .object({
    /** Tesseract worker threads; default one per core (at most 4). */
    OCR_WORKERS: wholeNumber(1, OCR_WORKERS_MAX).optional(),
    /**
     * A vision-capable model on the OpenAI-compatible endpoint (OPENAI_BASE_URL, OPENAI_API_KEY):
     * screenshots also go to it, and lines where it and OCR disagree are flagged for the person.
     * Without an OpenAI-compatible endpoint it is not used.
     */
    OPENAI_VISION_MODEL: text,
  })
  .transform((env) => ({ workers: env.OCR_WORKERS, visionModel: env.OPENAI_VISION_MODEL ?? null }));

export const ZStorageConfigSchema = z
  .object({
    SCREENSHOT_STORAGE: oneOf(["local", "s3"]).default("local"),
    /** Local storage directory; default `<data dir>/uploads`. */
    UPLOADS_DIR: text,
    S3_BUCKET: text,
    S3_REGION: text.default("us-east-1"),
    S3_ENDPOINT: httpUrl("http://localhost:9000").optional(),
    S3_FORCE_PATH_STYLE: flag,
    S3_ACCESS_KEY_ID: text,
    S3_SECRET_ACCESS_KEY: text,
    S3_PREFIX: text,
  })
  .superRefine((env, ctx) => {
    if (env.SCREENSHOT_STORAGE === "s3" && !env.S3_BUCKET)
      ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when SCREENSHOT_STORAGE=s3" });
  })
  .transform((env) =>
    env.SCREENSHOT_STORAGE === "s3"
      ? {
          kind: "s3" as const,
          bucket: env.S3_BUCKET ?? "",
          region: env.S3_REGION,
          endpoint: env.S3_ENDPOINT,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          prefix: env.S3_PREFIX,
        }
      : { kind: "local" as const, uploadsDir: env.UPLOADS_DIR },
  );

export const ZCliConfigSchema = z
  .object({
    /** Set by pnpm to the directory a command was typed in, so relative file arguments mean what the operator meant. */
    INIT_CWD: text,
  })
  .transform((env) => ({ invokedFrom: env.INIT_CWD }));

/** The groups, in the order their problems are reported. */
export const CONFIG_GROUPS = {
  server: ZServerConfigSchema,
  database: ZDatabaseConfigSchema,
  auth: ZAuthConfigSchema,
  ai: ZAiProviderConfigSchema,
  aiLog: ZAiLogConfigSchema,
  ocr: ZOcrConfigSchema,
  storage: ZStorageConfigSchema,
  cli: ZCliConfigSchema,
} as const;

/** Every variable name any group reads (for documentation and tests). */
export const CONFIG_VARIABLES: readonly string[] = [
  ...Object.keys(ZServerConfigSchema.in.shape),
  ...Object.keys(ZDatabaseConfigSchema.in.shape),
  ...Object.keys(ZAuthConfigSchema.in.shape),
  ...Object.keys(ZAiEnvSchema.shape),
  ...Object.keys(ZAiLogConfigSchema.in.shape),
  ...Object.keys(ZOcrConfigSchema.in.shape),
  ...Object.keys(ZStorageConfigSchema.in.shape),
  ...Object.keys(ZCliConfigSchema.in.shape),
];
