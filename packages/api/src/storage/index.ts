// Picks the screenshot storage from the environment: S3-compatible when SCREENSHOT_STORAGE=s3
// (with S3_BUCKET and friends), otherwise local disk under UPLOADS_DIR or `<data dir>/uploads`.
import path from "node:path";
import { dataDir } from "@lockstep/db";
import { z } from "zod";
import { createLocalStorage } from "./local.ts";
import { createS3Storage } from "./s3.ts";
import type { BlobStorage } from "./types.ts";

export { createLocalStorage } from "./local.ts";
export { createS3Storage, type S3StorageConfig } from "./s3.ts";
export { assertKey, type BlobStorage } from "./types.ts";

const optional = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const ZStorageEnvSchema = z
  .object({
    SCREENSHOT_STORAGE: z.enum(["local", "s3"]).default("local"),
    UPLOADS_DIR: optional,
    S3_BUCKET: optional,
    S3_REGION: optional,
    S3_ENDPOINT: optional.pipe(z.url({ message: "must be a URL like http://localhost:9000" }).optional()),
    S3_FORCE_PATH_STYLE: z.enum(["true", "false", "1", "0"]).optional(),
    S3_ACCESS_KEY_ID: optional,
    S3_SECRET_ACCESS_KEY: optional,
    S3_PREFIX: optional,
  })
  .superRefine((env, ctx) => {
    if (env.SCREENSHOT_STORAGE === "s3" && !env.S3_BUCKET)
      ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when SCREENSHOT_STORAGE=s3" });
  });

export class StorageConfigError extends Error {
  override name = "StorageConfigError";
}

export function storageFromEnv(env: NodeJS.ProcessEnv = process.env): BlobStorage {
  const parsed = ZStorageEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new StorageConfigError(`invalid screenshot storage configuration:\n${lines.join("\n")}`);
  }
  const config = parsed.data;
  if (config.SCREENSHOT_STORAGE === "s3") {
    return createS3Storage({
      bucket: config.S3_BUCKET ?? "",
      region: config.S3_REGION ?? "us-east-1",
      endpoint: config.S3_ENDPOINT,
      forcePathStyle:
        config.S3_FORCE_PATH_STYLE === undefined
          ? undefined
          : config.S3_FORCE_PATH_STYLE === "true" || config.S3_FORCE_PATH_STYLE === "1",
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      prefix: config.S3_PREFIX,
    });
  }
  return createLocalStorage(config.UPLOADS_DIR ?? path.join(dataDir(), "uploads"));
}
