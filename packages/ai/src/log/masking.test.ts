// Masking, table-driven: what must be masked (and as what), and what must survive (dates, versions, UUIDs, order numbers).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALL_MASK_CATEGORIES,
  luhnValid,
  MASK,
  MaskMemo,
  maskingEnabledFromEnv,
  maskText,
  storableText,
  toLogJson,
} from "./masking.ts";

const masked: [label: string, input: string, expected: string][] = [
  // emails
  ["plain email", "write to jane.doe@example.com today", "write to [email] today"],
  ["plus and subdomain", "x <j+tag@mail.co.uk>", "x <[email]>"],
  ["email at the end of a sentence", "it is bob_99@corp-mail.io.", "it is [email]."],
  ["two emails", "a@b.io, c.d@e.org", "[email], [email]"],
  // phones: international
  ["E.164 bare", "call +14155552671 now", "call [phone] now"],
  ["international with spaces", "+44 20 7946 0958", "[phone]"],
  ["international with (0)", "+44 (0)20 7946 0958", "[phone]"],
  ["international with dashes", "+49-30-12345678", "[phone]"],
  ["French international", "tel +33 1 23 45 67 89 ok", "tel [phone] ok"],
  ["NANP international", "+1 (415) 555-2671", "[phone]"],
  ["00 prefix", "0044 20 7946 0958", "[phone]"],
  // phones: national
  ["US parentheses", "my number is (415) 555-2671.", "my number is [phone]."],
  ["US dashes", "415-555-2671", "[phone]"],
  ["US dots", "415.555.2671", "[phone]"],
  ["US spaces", "415 555 2671", "[phone]"],
  ["UK landline", "ring 020 7946 0958", "ring [phone]"],
  ["UK mobile bare", "07700900123", "[phone]"],
  ["UK mobile spaced", "07700 900123", "[phone]"],
  ["German", "030 12345678", "[phone]"],
  ["French pairs", "06 12 34 56 78", "[phone]"],
  ["French dotted", "01.23.45.67.89", "[phone]"],
  ["Australian", "0412 345 678", "[phone]"],
  ["labelled bare number", "phone: 4155552671", "phone: [phone]"],
  ["labelled short", "call me on 555 0134", "call me on [phone]"],
  // cards (Luhn-valid test numbers)
  ["Visa bare", "card 4111111111111111 exp", "card [card] exp"],
  ["Visa spaced", "4111 1111 1111 1111", "[card]"],
  ["Visa dashed", "4111-1111-1111-1111", "[card]"],
  ["Mastercard", "5555 5555 5555 4444", "[card]"],
  ["Mastercard 2-series", "2223003122003222", "[card]"],
  ["Amex 4-6-5", "3782 822463 10005", "[card]"],
  ["Discover", "6011 1111 1111 1117", "[card]"],
  ["Visa 13 digits", "4222222222222", "[card]"],
  ["19 digits", "6011 0009 9013 9424 009 paid", "[card] paid"],
  // secrets
  ["OpenAI key", "key sk-abcdefghijklmnopqrstuvwx1234", "key [secret]"],
  ["OpenAI project key", "sk-proj-AbC123_dEf456-GhI789jKl012", "[secret]"],
  ["Anthropic key", "sk-ant-api03-AAAAbbbbCCCCdddd1234", "[secret]"],
  ["Stripe key", "sk_live_51HcQ2xABCdefGHIjkl", "[secret]"],
  ["GitHub token", "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef1234", "[secret]"],
  ["Slack token", "xoxb-1234567890-abcdefghij", "[secret]"],
  ["AWS access key", "AKIAIOSFODNN7EXAMPLE", "[secret]"],
  // The shortest findings of letters and a sign, and the shortest of letters alone (plain short words are not scanned).
  ["Slack token of letters", "xoxb-abcdefghij", "[secret]"],
  ["AWS access key of letters", "AKIAABCDEFGHIJKLMNOP", "[secret]"],
  ["bearer token of letters", "Bearer abcdefghijklmnopqrst", "Bearer [secret]"],
  ["Bearer header", "Authorization: Bearer eyJhbGciOi.abc123.def", "Authorization: Bearer [secret]"],
  ["bearer lowercase", "bearer abc123def456ghi", "bearer [secret]"],
  [
    "JWT",
    "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "t=[secret]",
  ],
  ["api_key=", "https://x.test/v1?api_key=abc123xyz&q=1", "https://x.test/v1?api_key=[secret]&q=1"],
  ["password:", "password: hunter22", "password: [secret]"],
  ["long hex secret", "secret 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "secret [secret]"],
  ["long base64 secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "[secret]"],
  [
    "data URL",
    "img data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
    "img [data-url]",
  ],
];

const kept: [label: string, input: string][] = [
  ["ISO date", "on 2026-01-15 we met"],
  ["ISO date-time", "at 2026-01-15T10:20:30.123Z"],
  ["date-time with offset", "2026-01-15 10:20:30+01:00"],
  ["day-first date", "15/01/2026"],
  ["dotted date", "15.01.2026"],
  ["US date", "1-15-2026"],
  ["time", "at 10:20:30 sharp"],
  ["version", "upgraded to 10.15.7"],
  ["semver prerelease", "v2.0.0-beta.1"],
  ["four-part version", "1.2.3.4"],
  ["UUID", "session 123e4567-e89b-12d3-a456-426614174000"],
  ["numeric-looking UUID", "41111111-1111-1111-1111-111111111111"],
  ["order number", "Order #1234567890123 shipped"],
  ["order number with letters", "ORD-2026-00012345"],
  ["order id starting 7", "order 7000000000000006"],
  ["Luhn-failing 16 digits", "4111111111111112"],
  ["tracking number", "1Z999AA10123456784"],
  ["invoice", "INV-000123456"],
  ["decimal", "pi is 3.14159265358979"],
  ["small decimal", "p = 0.123456789"],
  ["money", "total 1,234,567.89 EUR"],
  ["French thousands", "1 234 567"],
  ["count list", "0 1 2 3 4 5 6 7 8 9"],
  ["bare 10 digits", "ticket 4155552671"],
  ["year range", "2019-2026"],
  ["IPv4", "from 192.168.100.200"],
  ["port", "localhost:5432"],
  ["plain words", "The bearer instrument is valid"],
  ["basic words", "Basic information about everything"],
  ["max_tokens", "max_tokens=1000"],
  ["file path", "/home/someone/projects/lockstep/packages/ai/src/log/masking.ts"],
  ["camel identifier", "createInteractionLogWithMaskingAndRetention2"],
  ["short hex", "commit 7065eef"],
  ["git sha-like numbers only", "00000000000000000000000000000000000000"],
  ["email-ish without domain", "user@localhost"],
  ["at sign in text", "meet @ 5"],
  ["epoch milliseconds", "created 1767225600000"],
  ["epoch seconds", "ts=1767225600"],
  ["ISBN", "ISBN 978-3-16-148410-0"],
  ["price", "$1,299.99"],
  ["coordinates", "51.5074, -0.1278"],
  ["percent and counts", "98.6% of 12345 calls"],
  ["hex colour", "#1a2b3c"],
  ["short UUID-like id", "req_8f14e45f"],
];

describe("maskText", () => {
  it.each(masked)("masks %s", (_label, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it.each(kept)("keeps %s", (_label, input) => {
    expect(maskText(input)).toBe(input);
  });

  it("masks several kinds in one text and leaves the rest", () => {
    const text =
      "Hi, I'm Ana (ana@example.com, +34 612 345 678). Card 4111 1111 1111 1111, order 2026-0042 on 2026-03-01.";
    expect(maskText(text)).toBe("Hi, I'm Ana ([email], [phone]). Card [card], order 2026-0042 on 2026-03-01.");
  });

  it("never changes text without digits, @ or long tokens", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z ,.!?']{0,200}$/), (text) => {
        expect(maskText(text)).toBe(text);
      }),
    );
  });

  it("is idempotent", () => {
    for (const [, input] of [...masked.map(([l, i]) => [l, i] as const), ...kept]) {
      const once = maskText(input);
      expect(maskText(once)).toBe(once);
    }
  });

  it("stays linear on long inputs", () => {
    const long = [
      "a".repeat(200_000),
      "1".repeat(200_000),
      `${"ab1-".repeat(50_000)}`,
      `${"x.".repeat(100_000)}@`,
      "1 ".repeat(100_000),
    ];
    const started = performance.now();
    for (const text of long) maskText(text);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe("storableText", () => {
  it.each([
    ["NUL", "a\u0000b", "a\uFFFDb"],
    ["lone high surrogate", "x\uD83Dy", "x\uFFFDy"],
    ["lone low surrogate", "x\uDE00y", "x\uFFFDy"],
    ["a real pair stays", "smile \uD83D\uDE00", "smile \uD83D\uDE00"],
    ["a high surrogate before a real pair", "\uD83D\uD83D\uDE00", "\uFFFD\uD83D\uDE00"],
    ["a pair the wrong way round", "\uDE00\uD83D", "\uFFFD\uFFFD"],
    ["NUL and a lone surrogate at the ends", "\u0000é\uD800", "\uFFFDé\uFFFD"],
  ])("%s", (_label, input, expected) => {
    expect(storableText(input)).toBe(expected);
  });

  it("applies to every string and key of a JSON value, masking or not", () => {
    for (const mask of [true, false]) {
      expect(toLogJson({ "k\u0000": ["v\u0000", { deep: "\uD800" }] }, { mask })).toEqual({
        "k\uFFFD": ["v\uFFFD", { deep: "\uFFFD" }],
      });
    }
  });
});

describe("luhnValid", () => {
  it.each([
    ["4111111111111111", true],
    ["79927398713", true],
    ["4111111111111112", false],
    ["12a4", false],
  ])("%s -> %s", (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });
});

describe("toLogJson", () => {
  it("masks strings at any depth and whole values under credential keys", () => {
    const value = {
      model: "gpt-x",
      messages: [{ role: "user", content: "mail me at a@b.io" }],
      headers: { Authorization: "Bearer abc", "x-api-key": "whatever", accept: "json" },
      nested: { deeper: [["4111 1111 1111 1111"]], password: { any: "shape" } },
      count: 3,
      ok: true,
      nothing: null,
    };
    expect(toLogJson(value)).toEqual({
      model: "gpt-x",
      messages: [{ role: "user", content: "mail me at [email]" }],
      headers: { Authorization: MASK.secret, "x-api-key": MASK.secret, accept: "json" },
      nested: { deeper: [[MASK.card]], password: MASK.secret },
      count: 3,
      ok: true,
      nothing: null,
    });
  });

  it("makes anything storable: dates, bigints, cycles, functions, errors, class instances", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    const controller = new AbortController();
    const error = Object.assign(new Error("failed for a@b.io"), { code: "E_X" });
    const out = toLogJson({
      at: new Date("2026-01-02T03:04:05.000Z"),
      big: 12n,
      fn: () => 1,
      undef: undefined,
      nan: Number.NaN,
      cyclic,
      twice: [shared, shared],
      signal: controller.signal,
      error,
      map: new Map([["k", "v"]]),
      bytes: new Uint8Array(4),
    });
    expect(out).toEqual({
      at: "2026-01-02T03:04:05.000Z",
      big: "12",
      nan: null,
      cyclic: { name: "loop", self: "[circular]" },
      twice: [{ x: 1 }, { x: 1 }],
      signal: {},
      error: { name: "Error", message: "failed for [email]", code: "E_X" },
      map: { k: "v" },
      bytes: "[4 bytes]",
    });
  });

  it("with masking off keeps the text but still makes it storable", () => {
    expect(toLogJson({ a: "a@b.io", password: "p", when: new Date(0) }, { mask: false })).toEqual({
      a: "a@b.io",
      password: "p",
      when: "1970-01-01T00:00:00.000Z",
    });
  });

  it("cuts very deep structures", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(toLogJson(deep, { maxDepth: 3 }))).toBe('[[["[depth]"]]]');
  });
});

describe("maskingEnabledFromEnv", () => {
  it.each([
    [undefined, true],
    ["on", true],
    ["off", false],
    ["OFF", false],
    ["0", false],
    ["false", false],
  ])("AI_LOG_MASKING=%s -> %s", (value, expected) => {
    expect(maskingEnabledFromEnv(value === undefined ? {} : { AI_LOG_MASKING: value })).toBe(expected);
  });
  it("refuses any other value instead of silently masking", () => {
    expect(() => maskingEnabledFromEnv({ AI_LOG_MASKING: "sometimes" })).toThrow(
      /AI_LOG_MASKING: must be one of on, .*off/,
    );
  });
});

describe("masking only some categories", () => {
  const text = "mail bob@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, key sk-abcdefghijklmnopqrstuv";
  const none = { email: false, phone: false, card: false, secret: false, dataUrl: false };

  it("masks every category by default and none when all are off", () => {
    expect(maskText(text)).toBe("mail [email], call [phone], card [card], key [secret]");
    expect(maskText(text, none)).toBe(text);
  });

  it("masks each category alone and leaves the others as they were", () => {
    expect(maskText(text, { ...none, email: true })).toBe(
      "mail [email], call +44 20 7946 0958, card 4111 1111 1111 1111, key sk-abcdefghijklmnopqrstuv",
    );
    expect(maskText(text, { ...none, phone: true })).toBe(
      "mail bob@example.com, call [phone], card 4111 1111 1111 1111, key sk-abcdefghijklmnopqrstuv",
    );
    expect(maskText(text, { ...none, card: true })).toBe(
      "mail bob@example.com, call +44 20 7946 0958, card [card], key sk-abcdefghijklmnopqrstuv",
    );
    expect(maskText(text, { ...none, secret: true })).toBe(
      "mail bob@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, key [secret]",
    );
  });

  it("does not let a card that is kept turn into a phone, nor a kept data URL into a secret", () => {
    expect(maskText("card 4111 1111 1111 1111", { ...none, phone: true })).toBe("card 4111 1111 1111 1111");
    const image = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";
    expect(maskText(image, { ...none, secret: true })).toBe(image);
    expect(maskText(image)).toBe("[data-url]");
  });

  it("leaves credential-named keys alone in JSON when secrets are not masked", () => {
    expect(toLogJson({ password: "hunter22", note: "bob@example.com" }, { mask: { ...none, email: true } })).toEqual({
      password: "hunter22",
      note: "[email]",
    });
    expect(toLogJson({ password: "hunter22" }, { mask: { ...none, secret: true } })).toEqual({ password: "[secret]" });
  });
});

describe("MaskMemo", () => {
  const none = { email: false, phone: false, card: false, secret: false, dataUrl: false };
  const turn = (n: number) => `turn ${n}: write to jane${n}@example.com or call +44 20 7946 0958, I said it twice.`;

  it("answers exactly as maskText does, from memory the second time", () => {
    const memo = new MaskMemo();
    for (let n = 0; n < 20; n++) expect(memo.mask(turn(n))).toBe(maskText(turn(n)));
    expect(memo.size).toBe(20);
    // The same texts again (a session's earlier turns in its next call): same answers, nothing new kept.
    for (let n = 0; n < 20; n++) expect(memo.mask(turn(n))).toBe(maskText(turn(n)));
    expect(memo.size).toBe(20);
  });

  it("masks short texts directly and keeps none of them", () => {
    const memo = new MaskMemo();
    expect(memo.mask("a@b.io x")).toBe("[email] x");
    expect(memo.size).toBe(0);
  });

  it("forgets what it remembered once the categories change", () => {
    const memo = new MaskMemo();
    expect(memo.mask(turn(1), { ...none, email: true })).toContain("+44 20 7946 0958");
    expect(memo.mask(turn(1), { ...none, phone: true })).toContain("jane1@example.com");
    expect(memo.mask(turn(1), { ...none, phone: true })).not.toContain("+44 20 7946 0958");
    expect(memo.mask(turn(1), ALL_MASK_CATEGORIES)).toBe(maskText(turn(1)));
    expect(memo.size).toBe(1);
  });

  it("forgets the least recently used texts first, within its size", () => {
    const memo = new MaskMemo(turn(10).length * 4);
    for (const n of [10, 11, 12, 13]) memo.mask(turn(n));
    memo.mask(turn(10)); // used again: now the most recent
    memo.mask(turn(14)); // over the size: turn 11, the least recently used, goes
    expect(memo.size).toBe(4);
    expect(memo.remembers(turn(11))).toBe(false);
    for (const n of [10, 12, 13, 14]) expect(memo.remembers(turn(n))).toBe(true);
  });

  it("lets toLogJson take values converted already, by identity, but never under a credential's name", () => {
    const messages = [{ role: "user", content: turn(1) }];
    const converted = new Map([[messages as object, [{ role: "user", content: "converted" }]]]);
    expect(toLogJson({ messages, copy: [...messages] }, { converted })).toEqual({
      messages: [{ role: "user", content: "converted" }],
      copy: [{ role: "user", content: maskText(turn(1)) }],
    });
    expect(toLogJson({ token: messages }, { converted })).toEqual({ token: "[secret]" });
  });

  it("is used by toLogJson for every string it masks", () => {
    const memo = new MaskMemo();
    const request = { messages: [0, 1, 2].map((n) => ({ role: "user", content: turn(n) })) };
    expect(toLogJson(request, { memo })).toEqual(toLogJson(request));
    expect(memo.size).toBe(3);
  });
});
