// Screenshot storage: the local store round-trips bytes under safe keys only, and the environment
// picks the store (S3 is configured here, not exercised: there is no object store on this machine).
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalStorage, StorageConfigError, storageFromEnv } from "./index.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "lockstep-storage-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("local storage", () => {
  it("puts, gets, tells what exists and deletes, leaving no temporary files", async () => {
    const storage = createLocalStorage(root);
    const key = "screenshots/user-1/abc123.png";
    expect(await storage.exists(key)).toBe(false);
    expect(await storage.get(key)).toBeNull();
    await storage.put(key, Buffer.from("image bytes"), "image/png");
    expect(await storage.exists(key)).toBe(true);
    expect((await storage.get(key))?.toString()).toBe("image bytes");
    expect(await readdir(path.join(root, "screenshots", "user-1"))).toEqual(["abc123.png"]);
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
  });

  it("refuses keys that could leave its directory", async () => {
    const storage = createLocalStorage(root);
    for (const key of [
      "../escape.png",
      "screenshots/../../x.png",
      "/etc/passwd",
      "screenshots/a b.png",
      "noextension",
    ]) {
      await expect(storage.put(key, Buffer.from("x"), "image/png"), key).rejects.toThrow(/invalid storage key/);
    }
  });
});

describe("storageFromEnv", () => {
  it("uses local disk by default, under UPLOADS_DIR when set", () => {
    const storage = storageFromEnv({ UPLOADS_DIR: root });
    expect(storage).toMatchObject({ kind: "local", location: root });
    expect(storageFromEnv({ LOCKSTEP_DATA_DIR: root }).kind).toBe("local");
  });

  it("configures an S3-compatible store, and names what is missing", () => {
    expect(
      storageFromEnv({
        SCREENSHOT_STORAGE: "s3",
        S3_BUCKET: "shots",
        S3_ENDPOINT: "http://localhost:9000",
        S3_PREFIX: "lockstep/",
      }),
    ).toMatchObject({
      kind: "s3",
      location: "s3://shots/lockstep/",
    });
    expect(() => storageFromEnv({ SCREENSHOT_STORAGE: "s3" })).toThrow(StorageConfigError);
    expect(() => storageFromEnv({ SCREENSHOT_STORAGE: "s3" })).toThrow(/S3_BUCKET/);
    expect(() => storageFromEnv({ SCREENSHOT_STORAGE: "ftp" })).toThrow(/SCREENSHOT_STORAGE/);
  });
});
