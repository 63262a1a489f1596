// Password hashing shared by the seed and the auth layer: argon2id with OWASP's minimum (19 MiB,
// t=2, p=1), stored as a PHC string so the parameters travel with the hash.
import { hash, verify } from "@node-rs/argon2";

const ARGON2ID = 2;
export const PASSWORD_HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}
