// loadConfig: defaults for an empty environment, every group's values, and one error naming every bad variable.
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, DEFAULT_OPENAI_BASE_URL, loadConfig, loadConfigGroup } from "./index.ts";

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a configuration error");
}

describe("loadConfig", () => {
  it("fills defaults for an empty environment (embedded database, built-in AI, local storage)", () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({ port: 3000, host: "127.0.0.1", logLevel: "info", bodyLimitBytes: 1048576 });
    expect(config.server.logPretty).toBeUndefined();
    expect(config.server.seedOnStart).toBeUndefined();
    expect(config.server.trustProxy).toBeUndefined();
    expect(config.database).toEqual({ url: undefined, dataDir: undefined, poolMax: 10 });
    expect(config.auth).toEqual({
      secret: undefined,
      publicUrl: undefined,
      trustedOrigins: [],
      smtpUrl: undefined,
      mailFrom: "Lockstep <no-reply@lockstep.local>",
      lockoutSeconds: 900,
      resetExpiresSeconds: 3600,
    });
    expect(config.ai).toEqual({ kind: "builtin" });
    expect(config.aiLog).toEqual({ masking: true, retentionDays: 90 });
    expect(config.ocr).toEqual({ workers: undefined, visionModel: null });
    expect(config.storage).toEqual({ kind: "local", uploadsDir: undefined });
  });

  it("treats an empty DATABASE_URL (and any blank variable) as unset", () => {
    expect(loadConfig({ DATABASE_URL: "" }).database.url).toBeUndefined();
    expect(loadConfig({ PORT: " ", AI_LOG_RETENTION_DAYS: "", OCR_WORKERS: "" })).toMatchObject({
      server: { port: 3000 },
      aiLog: { retentionDays: 90 },
      ocr: { workers: undefined, visionModel: null },
    });
  });

  it("returns a frozen config, groups and lists included", () => {
    const config = loadConfig({ TRUSTED_ORIGINS: "https://a.example.com" });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.auth.trustedOrigins)).toBe(true);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ BODY_LIMIT_BYTES: "-1" }, "BODY_LIMIT_BYTES"],
    [{ LOG_PRETTY: "yes please" }, "LOG_PRETTY"],
    [{ SEED_ON_START: "maybe" }, "SEED_ON_START"],
    [{ ROLE: "both" }, "ROLE"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL"],
    [{ BETTER_AUTH_SECRET: "short" }, "BETTER_AUTH_SECRET"],
    [{ PUBLIC_URL: "chat.example.com" }, "PUBLIC_URL"],
    [{ TRUSTED_ORIGINS: "https://ok.example.com, not a url" }, "TRUSTED_ORIGINS"],
    [{ SMTP_URL: "https://mail.example.com" }, "SMTP_URL"],
    [{ SIGN_IN_LOCKOUT_SECONDS: "0" }, "SIGN_IN_LOCKOUT_SECONDS"],
    [{ PASSWORD_RESET_EXPIRES_SECONDS: "0" }, "PASSWORD_RESET_EXPIRES_SECONDS"],
    [{ OPENAI_BASE_URL: "ftp://example.com/v1" }, "OPENAI_BASE_URL"],
    [{ OPENAI_API_KEY: "k", OPENAI_EMBEDDING_MODEL: "e" }, "OPENAI_CHAT_MODEL"],
    [{ AI_RETRY_ATTEMPTS: "0" }, "AI_RETRY_ATTEMPTS"],
    [{ AI_LOG_MASKING: "sometimes" }, "AI_LOG_MASKING"],
    [{ AI_LOG_RETENTION_DAYS: "1.5" }, "AI_LOG_RETENTION_DAYS"],
    [{ AI_LOG_RETENTION_DAYS: "0" }, "AI_LOG_RETENTION_DAYS"],
    [{ OCR_WORKERS: "lots" }, "OCR_WORKERS"],
    [{ OCR_WORKERS: "0" }, "OCR_WORKERS"],
    [{ OCR_WORKERS: "64" }, "OCR_WORKERS"],
    [{ SCREENSHOT_STORAGE: "ftp" }, "SCREENSHOT_STORAGE"],
    [{ SCREENSHOT_STORAGE: "s3" }, "S3_BUCKET"],
    [{ SCREENSHOT_STORAGE: "s3", S3_BUCKET: "b", S3_ENDPOINT: "minio" }, "S3_ENDPOINT"],
  ])("refuses %o, naming %s", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^  ${variable}: `, "m"));
    expect(configError(env).issues.map((issue) => issue.variable)).toContain(variable);
  });

  it("says what is allowed", () => {
    expect(configError({ LOG_LEVEL: "loud" }).message).toContain(
      "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent",
    );
    expect(configError({ OCR_WORKERS: "lots" }).message).toContain("OCR_WORKERS: must be a whole number from 1 to 16");
    expect(configError({ AI_LOG_MASKING: "sometimes" }).message).toContain(
      "AI_LOG_MASKING: must be one of on, true, 1, yes, enabled, off, false, 0, no, disabled",
    );
  });

  it("names every bad variable in one error, from every group, and never prints a value", () => {
    const error = configError({
      PORT: "eighty",
      OPENAI_API_KEY: "sk-very-secret",
      OPENAI_BASE_URL: "nope",
      OCR_WORKERS: "-2",
      AI_LOG_MASKING: "maybe",
      SCREENSHOT_STORAGE: "s3",
    });
    expect(error.message.split("\n")[0]).toBe("invalid configuration:");
    expect(error.issues.map((issue) => issue.variable)).toEqual(
      expect.arrayContaining(["PORT", "OPENAI_BASE_URL", "OCR_WORKERS", "AI_LOG_MASKING", "S3_BUCKET"]),
    );
    expect(error.message).not.toContain("sk-very-secret");
  });
});

describe("each group", () => {
  it("server: parses flags, numbers and the proxy list", () => {
    const { server } = loadConfig({
      PORT: "8080",
      HOST: "0.0.0.0",
      LOG_LEVEL: "debug",
      LOG_PRETTY: "1",
      BODY_LIMIT_BYTES: "2048",
      TRUST_PROXY: "10.0.0.1, 10.0.0.0/8",
      SEED_ON_START: "false",
      ROLE: "worker",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(server).toEqual({
      role: "worker",
      redisUrl: "redis://127.0.0.1:6379",
      port: 8080,
      host: "0.0.0.0",
      logLevel: "debug",
      logPretty: true,
      bodyLimitBytes: 2048,
      trustProxy: ["10.0.0.1", "10.0.0.0/8"],
      seedOnStart: false,
    });
    expect(loadConfig({}).server).toMatchObject({ role: "all", redisUrl: undefined });
    expect(loadConfig({ TRUST_PROXY: "true" }).server.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "false" }).server.trustProxy).toBeUndefined();
  });

  it("database: the URL, the data directory and the pool size", () => {
    expect(
      loadConfig({ DATABASE_URL: "postgresql://u@h/db", LOCKSTEP_DATA_DIR: "/srv/lockstep", DATABASE_POOL_MAX: "24" })
        .database,
    ).toEqual({ url: "postgresql://u@h/db", dataDir: "/srv/lockstep", poolMax: 24 });
    expect(configError({ DATABASE_POOL_MAX: "0" }).message).toContain(
      "DATABASE_POOL_MAX: must be a whole number from 1 to 500",
    );
  });

  it("auth: secret, public URL, trusted origins, mail and the sign-in lock", () => {
    const secret = "x".repeat(32);
    expect(
      loadConfig({
        BETTER_AUTH_SECRET: secret,
        PUBLIC_URL: "https://chat.example.com",
        TRUSTED_ORIGINS: "https://a.example.com, https://b.example.com",
        SMTP_URL: "smtps://user:pw@mail.example.com:465",
        MAIL_FROM: "Coach <coach@example.com>",
        SIGN_IN_LOCKOUT_SECONDS: "30",
        PASSWORD_RESET_EXPIRES_SECONDS: "600",
      }).auth,
    ).toEqual({
      secret,
      publicUrl: "https://chat.example.com",
      trustedOrigins: ["https://a.example.com", "https://b.example.com"],
      smtpUrl: "smtps://user:pw@mail.example.com:465",
      mailFrom: "Coach <coach@example.com>",
      lockoutSeconds: 30,
      resetExpiresSeconds: 600,
    });
  });

  it("ai: an OpenAI-compatible endpoint with its resilience settings; unset ones stay unset", () => {
    expect(
      loadConfig({
        OPENAI_API_KEY: "sk-x",
        OPENAI_CHAT_MODEL: "c",
        OPENAI_EMBEDDING_MODEL: "e",
        OPENAI_EMBEDDING_DIMENSIONS: "768",
        AI_RETRY_ATTEMPTS: "2",
      }).ai,
    ).toEqual({
      kind: "openai_compatible",
      baseURL: DEFAULT_OPENAI_BASE_URL,
      apiKey: "sk-x",
      chatModel: "c",
      embeddingModel: "e",
      embeddingDimensions: 768,
      resilience: {
        firstTokenTimeoutMs: undefined,
        totalTimeoutMs: undefined,
        maxAttempts: 2,
        breakerThreshold: undefined,
        halfOpenAfterMs: undefined,
      },
    });
    const error = configError({
      OPENAI_BASE_URL: "http://localhost:11434/v1",
      OPENAI_CHAT_MODEL: "c",
      OPENAI_EMBEDDING_MODEL: "e",
      AI_TIMEOUT_FIRST_TOKEN_MS: "9000",
      AI_TIMEOUT_TOTAL_MS: "5000",
    });
    expect(error.issues).toEqual([
      { variable: "AI_TIMEOUT_FIRST_TOKEN_MS", message: "must not exceed AI_TIMEOUT_TOTAL_MS (5000)" },
    ]);
  });

  it.each([
    ["off", false],
    ["OFF", false],
    ["disabled", false],
    ["0", false],
    ["on", true],
    ["Yes", true],
  ])("aiLog: AI_LOG_MASKING=%s -> masking %s", (value, masking) => {
    expect(loadConfig({ AI_LOG_MASKING: value }).aiLog.masking).toBe(masking);
  });

  it("aiLog: retention days, trimmed", () => {
    expect(loadConfig({ AI_LOG_RETENTION_DAYS: " 30 " }).aiLog.retentionDays).toBe(30);
  });

  it("ocr: the vision model", () => {
    expect(loadConfig({}).ocr.visionModel).toBeNull();
    expect(loadConfig({ OPENAI_VISION_MODEL: " llava " }).ocr.visionModel).toBe("llava");
  });

  it("ocr: the worker count", () => {
    expect(loadConfig({ OCR_WORKERS: "3" }).ocr.workers).toBe(3);
    expect(loadConfig({ OCR_WORKERS: "16" }).ocr.workers).toBe(16);
  });

  it("storage: local directory, or S3 with its defaults", () => {
    expect(loadConfig({ UPLOADS_DIR: "/srv/uploads" }).storage).toEqual({ kind: "local", uploadsDir: "/srv/uploads" });
    expect(
      loadConfig({
        SCREENSHOT_STORAGE: "s3",
        S3_BUCKET: "shots",
        S3_ENDPOINT: "http://localhost:9000",
        S3_FORCE_PATH_STYLE: "true",
      }).storage,
    ).toEqual({
      kind: "s3",
      bucket: "shots",
      region: "us-east-1",
      endpoint: "http://localhost:9000",
      forcePathStyle: true,
      accessKeyId: undefined,
      secretAccessKey: undefined,
      prefix: undefined,
    });
  });

  it("cli: where the command was typed", () => {
    expect(loadConfig({ INIT_CWD: "/home/op" }).cli).toEqual({ invokedFrom: "/home/op" });
  });

  it("one group alone ignores the others' problems", () => {
    expect(loadConfigGroup("aiLog", { PORT: "eighty", AI_LOG_MASKING: "off" })).toEqual({
      masking: false,
      retentionDays: 90,
    });
    expect(() => loadConfigGroup("aiLog", { AI_LOG_MASKING: "maybe" })).toThrow(/AI_LOG_MASKING/);
  });

  it("declares each variable once", () => {
    expect(new Set(CONFIG_VARIABLES).size).toBe(CONFIG_VARIABLES.length);
    expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(["PORT", "DATABASE_URL", "OCR_WORKERS", "S3_BUCKET"]));
  });
});
