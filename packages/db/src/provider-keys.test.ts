// Provider keys at rest: sealed text never holds the key, two seals of one key differ, and only the
// same secret opens it; a changed byte or another secret is refused, never opened to garbage.
import { describe, expect, it } from "vitest";
import { createKeyBox } from "./provider-keys.ts";

const SECRET = "a-provider-key-secret-of-enough-length";
const KEY = "sk-proj-THEKEY-0123456789";

describe("createKeyBox", () => {
  it("seals a key so that the stored text does not contain it, and opens it again", () => {
    const box = createKeyBox(SECRET);
    const sealed = box.seal(KEY);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("THEKEY");
    expect(box.open(sealed)).toBe(KEY);
  });

  it("uses a fresh IV for every seal", () => {
    const box = createKeyBox(SECRET);
    expect(box.seal(KEY)).not.toBe(box.seal(KEY));
  });

  it("refuses another secret and tampered text", () => {
    const sealed = createKeyBox(SECRET).seal(KEY);
    expect(() => createKeyBox(`${SECRET}-other`).open(sealed)).toThrow();
    const [v, iv, tag, body] = sealed.split(".") as [string, string, string, string];
    const flipped = body.startsWith("A") ? `B${body.slice(1)}` : `A${body.slice(1)}`;
    expect(() => createKeyBox(SECRET).open([v, iv, tag, flipped].join("."))).toThrow();
    expect(() => createKeyBox(SECRET).open("not sealed")).toThrow();
  });

  it("refuses a secret shorter than 32 characters", () => {
    expect(() => createKeyBox("short")).toThrow(/at least 32/);
  });
});
