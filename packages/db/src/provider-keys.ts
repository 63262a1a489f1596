// Provider API keys at rest: AES-256-GCM with a 256-bit key derived from PROVIDER_KEY_SECRET (or
// the secret generated in the data directory), so a database dump alone does not reveal them.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";

export interface KeyBox {
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url; a fresh IV every time. */
  seal(plain: string): string;
  /** Throws when the text was sealed with another secret or tampered with. */
  open(sealed: string): string;
}

export function createKeyBox(secret: string): KeyBox {
  if (secret.length < 32) throw new Error("the provider key secret must be at least 32 characters");
  // A fixed-purpose hash of the secret, so any long string works and the auth secret is never reused as is.
  const key = createHash("sha256").update(`lockstep provider keys\0${secret}`).digest();
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("not a sealed provider key");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}
