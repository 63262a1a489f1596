// Picks the screenshot storage the configuration names: S3-compatible when SCREENSHOT_STORAGE=s3
// (with S3_BUCKET and friends), otherwise local disk under UPLOADS_DIR or `<data dir>/uploads`.
import path from "node:path";
import { ConfigError, loadConfigGroup, type TEnvironment, type TStorageConfig } from "@lockstep/config";
import { dataDir } from "@lockstep/db";
import { createLocalStorage } from "./local.ts";
import { createS3Storage } from "./s3.ts";
import type { BlobStorage } from "./types.ts";

export { createLocalStorage } from "./local.ts";
export { createS3Storage, type S3StorageConfig } from "./s3.ts";
export { assertKey, type BlobStorage } from "./types.ts";

export class StorageConfigError extends Error {
  override name = "StorageConfigError";
}

/** The storage `config` names; local storage defaults to `uploads` under `dataDirectory` (the resolved data dir). */
export function storageFromConfig(config: TStorageConfig, dataDirectory: string): BlobStorage {
  if (config.kind === "s3") {
    return createS3Storage({
      bucket: config.bucket,
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      prefix: config.prefix,
    });
  }
  return createLocalStorage(config.uploadsDir ?? path.join(dataDirectory, "uploads"));
}

/** The storage a set of variables describes (tests, tools); throws StorageConfigError naming each bad variable. */
export function storageFromEnv(env: TEnvironment): BlobStorage {
  try {
    return storageFromConfig(loadConfigGroup("storage", env), dataDir(loadConfigGroup("database", env).dataDir));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.issues.map((issue) => `  ${issue.variable}: ${issue.message}`);
    throw new StorageConfigError(`invalid screenshot storage configuration:\n${lines.join("\n")}`);
  }
}
