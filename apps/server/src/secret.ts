// The session-signing secret: from BETTER_AUTH_SECRET, or generated once and kept (mode 0600) in
// the data directory, so sessions survive a restart without anyone having to configure one.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@lockstep/db";

export async function resolveAuthSecret(
  configured: string | undefined,
  directory: string = dataDir(),
): Promise<string> {
  return resolveSecret(configured, directory, "auth-secret");
}

/** The key that encrypts provider API keys at rest: PROVIDER_KEY_SECRET, or generated and kept like the auth secret. */
export async function resolveProviderKeySecret(
  configured: string | undefined,
  directory: string = dataDir(),
): Promise<string> {
  return resolveSecret(configured, directory, "provider-key-secret");
}

async function resolveSecret(configured: string | undefined, directory: string, name: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(directory, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(directory, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process wrote it first; use theirs.
    if (error.code !== "EEXIST") throw error;
  });
  return (await readFile(file, "utf8")).trim();
}
