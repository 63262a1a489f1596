// Screenshots on local disk (the default: `<data dir>/uploads`). Writes go to a temporary file
// first and are renamed into place, so a crash never leaves half an image under a real key.
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { assertKey, type BlobStorage } from "./types.ts";

export function createLocalStorage(root: string): BlobStorage {
  const resolved = path.resolve(root);
  const fileOf = (key: string) => {
    assertKey(key);
    return path.join(resolved, ...key.split("/"));
  };
  return {
    kind: "local",
    location: resolved,
    async put(key, data) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${randomUUID()}.tmp`;
      await writeFile(temporary, data, { mode: 0o600 });
      await rename(temporary, file);
    },
    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async exists(key) {
      try {
        return (await stat(fileOf(key))).isFile();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw error;
      }
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}
