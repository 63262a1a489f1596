// Masks personal data and credentials in what the interaction log stores (prompts, payloads, errors) with visible markers.
//
// The log keeps prompts and payloads for debugging and analytics, which needs their shape, not the
// email address, phone number, card number or API key someone pasted into a chat. Each finding is
// replaced by a marker ([email], [phone], [card], [secret]) so an operator can still see that
// something was there. Detectors prefer missing an odd format to eating dates, versions, UUIDs
// and order numbers, which the log needs to stay readable.
import { loadConfigGroup, type TEnvironment } from "@lockstep/config";
import type { LogJson } from "@lockstep/db";

export const MASK = {
  email: "[email]",
  phone: "[phone]",
  card: "[card]",
  secret: "[secret]",
  dataUrl: "[data-url]",
} as const;

/** Which kinds of finding are masked; operators switch each one in admin.data.updateSettings. */
export interface MaskCategories {
  email: boolean;
  phone: boolean;
  card: boolean;
  secret: boolean;
  dataUrl: boolean;
}

export const ALL_MASK_CATEGORIES: Readonly<MaskCategories> = Object.freeze({
  email: true,
  phone: true,
  card: true,
  secret: true,
  dataUrl: true,
});

/**
 * Masking is on unless AI_LOG_MASKING says off (also: 0, false, no, disabled); any other value is a
 * configuration error, not "on". For a set of variables; the server passes its loaded config instead.
 */
export function maskingEnabledFromEnv(env: TEnvironment): boolean {
  return loadConfigGroup("aiLog", env).masking;
}

// ------------------------------------------------------------------ detectors

// Embedded images (OCR requests) are large and say nothing an operator needs; they go first so
// their base64 is not reported as a secret.
const DATA_URL = /\bdata:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[A-Za-z0-9+/=_-]+/g;

// Each pattern below starts where a run of its characters starts (a lookbehind or \b), so a long
// string is scanned in linear time rather than retried from every position.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b/g;

/** Credentials recognisable by their prefix; each runs before the generic long-string rules. */
const PREFIXED_SECRETS: RegExp[] = [
  // OpenAI and compatible gateways (sk-..., sk-proj-...), Anthropic (sk-ant-...).
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  // Stripe-style live/test keys.
  /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g,
  // GitHub tokens.
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  // Slack tokens.
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
  // JSON Web Tokens: header.payload.signature, the first two base64url JSON objects.
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g,
];

/** "Bearer <token>" / "Basic <token>" keeps the scheme, so the log still says what kind of auth it was. */
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi;

/** "the bearer instrument" is prose: a credential has a digit or punctuation, or is long. */
function looksLikeCredential(token: string): boolean {
  return /\d/.test(token) || /[._~+/=-]/.test(token) || token.length >= 20;
}

/** `api_key=...`, `password: ...` in free text: keep the name, mask the value. */
const NAMED_SECRET =
  /\b((?:api[_-]?key|apikey|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token|auth[_-]?token|token|password|passwd|pwd)\s*[:=]\s*["']?)([^\s"',;&]{6,})/gi;

/** Long hex (API secrets, signing keys) with letters and digits; UUIDs never match (their dashes break the run). */
const LONG_HEX = /\b[0-9a-fA-F]{32,}\b/g;

/** Long base64/base64url runs, masked only when they look random (see looksRandom). */
const LONG_BASE64 = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/_=-])/g;

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Keys mix upper and lower case and digits and spread over the alphabet; file paths and
 * identifiers of the same length repeat letters and separators (entropy well under 4.5 bits).
 */
function looksRandom(text: string): boolean {
  return /[a-z]/.test(text) && /[A-Z]/.test(text) && /\d/.test(text) && entropy(text) >= 4.5;
}

// Shapes that contain digit runs but are never phones or cards. They are set aside before the
// number detectors run and put back afterwards.
const PROTECTED: { pattern: RegExp; unless?: (match: string) => boolean }[] = [
  // UUIDs
  { pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g },
  // ISO dates and date-times: 2026-01-15, 2026-01-15T10:20:30.123Z, 2026-01-15 10:20:30+01:00
  { pattern: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g },
  // Day-first and month-first dates: 15/01/2026, 15.01.2026, 1-15-2026
  { pattern: /\b\d{1,2}[./-]\d{1,2}[./-]\d{4}\b/g },
  // Times: 10:20, 10:20:30
  { pattern: /\b\d{1,2}:\d{2}(?::\d{2})?\b/g },
  // Version numbers (1.2.3, v10.15.7, 2.0.0-beta.1); dotted phones (415.555.2671, 01.23.45.67.89)
  // share the shape and are left to the phone detector.
  { pattern: /\bv?\d+(?:\.\d+){2,}(?:-[0-9A-Za-z.]+)?\b/g, unless: (match) => isPhone(match) },
  // IPv4 addresses
  { pattern: /(?<!\d\.)\b\d{1,3}(?:\.\d{1,3}){3}\b(?!\.\d)/g, unless: (match) => isPhone(match) },
];

// Private-use characters cannot occur in the detectors' patterns, so a placeholder is never
// matched or split by them.
const HOLD_OPEN = "\uE000";
const HOLD_CLOSE = "\uE001";
const HOLD = /\uE000([a-z]+)\uE001/g;

function holdKey(index: number): string {
  let key = "";
  let n = index;
  do {
    key = String.fromCharCode(97 + (n % 26)) + key;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return key;
}

// Card numbers: 13-19 digits, single spaces or dashes between groups; the first digit is that of
// a card network (2-6: Mastercard, Amex, Visa, Discover, UnionPay, JCB, Maestro) and the Luhn
// check must pass, so most order and reference numbers are left alone.
const CARD_CANDIDATE = /(?<![\w.]|\d[ -])[2-6]\d(?:[ -]?\d){11,17}(?![\w]|[ -]\d|[.,]\d)/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function isCard(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, "");
  if (digits.length < 13 || digits.length > 19) return false;
  // One kind of separator, as people and forms write them; "4111 1111-1111 1111" is not a card.
  if (/ /.test(candidate) && /-/.test(candidate)) return false;
  return luhnValid(digits);
}

// Phone candidates: an optional +country, an optional (area), then digit groups joined by one
// space, dash or dot. Whether a candidate is a phone is decided by isPhone, not by the pattern.
const PHONE_CANDIDATE = /(?<![\w+.\-/(]|\d[ .-])(?:\+ ?|\()?\d+(?:(?:[ .-]|\) ?| ?\()\d+)*(?![\w/]|[ .,-]?\d)/g;

const NANP = /^(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}$/;

function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "");
  const groups = candidate.split(/[^\d]+/).filter(Boolean);
  // A plain decimal (0.123456789) or a lone run of digits is a number, not a phone, unless it is
  // international (+...) or starts with a trunk 0 and has a phone's length.
  if (/^\d+\.\d+$/.test(candidate)) return false;
  if (candidate.startsWith("+")) return digits.length >= 8 && digits.length <= 15;
  if (candidate.startsWith("00")) return digits.length >= 10 && digits.length <= 15 && groups.length >= 2;
  if (NANP.test(candidate)) return true;
  if (/^\(?0/.test(candidate)) {
    // National numbers with a trunk prefix: 020 7946 0958, 030 12345678, 06 12 34 56 78, 07700900123.
    if (digits.length < 9 || digits.length > 11) return false;
    // Groups of one digit are counts or lists ("0 1 2 3 4"), not a dialled number.
    return groups.every((group, index) => group.length >= 2 || (index === 0 && group === "0"));
  }
  return false;
}

/** "phone: 4155552671", "call me on 555 0134": a number introduced as a phone is one, whatever its shape. */
const LABELLED_PHONE =
  /\b((?:phone|tel|telephone|mobile|cell|whatsapp|call me(?: at| on)?|text me(?: at| on)?)(?:\s*(?:no\.?|number|#))?\s*[:.]?\s*)(\+?\d[\d ().-]{5,18}\d)\b/gi;

// ------------------------------------------------------------------ strings

/**
 * Letters and spaces only, under 20 characters: no detector can match. The findings made of letters
 * alone are 20 characters or more (an AWS key id; a bearer token, 27); every other one needs a digit
 * or a sign (@ : = - _ . / ~ +). Chat roles and most JSON values the log walks are such words, and
 * a call's request holds dozens of them.
 */
function isPlainShortWords(text: string): boolean {
  return text.length < 20 && PLAIN_WORDS.test(text);
}
const PLAIN_WORDS = /^[A-Za-z ]*$/;

/**
 * Masks one string; returns it unchanged (same value) when nothing was found. `only` names the
 * categories to mask (default: all); a category left out is kept as it was, and what it would have
 * matched is set aside so another detector does not mask it under another name.
 */
export function maskText(text: string, only: Readonly<MaskCategories> = ALL_MASK_CATEGORIES): string {
  if (text.length < 6 || isPlainShortWords(text)) return text;
  // Set aside what must survive the detectors: kept-as-is categories first, then the shapes below.
  const held: string[] = [];
  const hold = (match: string) => {
    held.push(match);
    return `${HOLD_OPEN}${holdKey(held.length - 1)}${HOLD_CLOSE}`;
  };
  let out = text.replace(DATA_URL, (match) => (only.dataUrl ? MASK.dataUrl : hold(match)));
  // Every address has an "@"; looking for one first spares most texts the costliest scan.
  if (out.includes("@")) out = out.replace(EMAIL, (match) => (only.email ? MASK.email : hold(match)));
  if (only.secret) {
    for (const pattern of PREFIXED_SECRETS) out = out.replace(pattern, MASK.secret);
    out = out.replace(AUTH_SCHEME, (match, scheme: string, space: string, token: string) =>
      looksLikeCredential(token) ? `${scheme}${space}${MASK.secret}` : match,
    );
    out = out.replace(NAMED_SECRET, (_m, name: string) => `${name}${MASK.secret}`);
  }
  out = out.replace(LABELLED_PHONE, (match, label: string) => (only.phone ? `${label}${MASK.phone}` : hold(match)));

  for (const { pattern, unless } of PROTECTED) {
    out = out.replace(pattern, (match) => (unless?.(match) ? match : hold(match)));
  }
  if (only.secret) {
    out = out.replace(LONG_HEX, (match) => (/[a-f]/i.test(match) && /\d/.test(match) ? MASK.secret : match));
    out = out.replace(LONG_BASE64, (match) => (looksRandom(match) ? MASK.secret : match));
  }
  out = out.replace(CARD_CANDIDATE, (match) => (isCard(match) ? (only.card ? MASK.card : hold(match)) : match));
  if (only.phone) out = out.replace(PHONE_CANDIDATE, (match) => (isPhone(match.trim()) ? MASK.phone : match));
  if (held.length) {
    out = out.replace(HOLD, (_m, key: string) => {
      let index = 0;
      for (const ch of key) index = index * 26 + (ch.charCodeAt(0) - 96);
      return held[index - 1] ?? "";
    });
  }
  return out;
}

/**
 * Remembers what recently masked texts became. A session's earlier turns and its system prompt
 * come back in every call it makes, and masking them again is most of what logging a call costs
 * the server. Texts shorter than `minLength` (a few words, scanned about as fast as looked up) or
 * longer than a quarter of `maxChars` (one would push out most of the rest) are masked directly;
 * the least recently used texts are forgotten once the remembered ones exceed `maxChars` in all.
 */
export class MaskMemo {
  private readonly masked = new Map<string, string>();
  private chars = 0;
  private categoriesKey = "";

  constructor(
    private readonly maxChars = 2_000_000,
    private readonly minLength = 16,
  ) {}

  mask(text: string, only: Readonly<MaskCategories> = ALL_MASK_CATEGORIES): string {
    if (text.length < this.minLength || text.length > this.maxChars / 4) return maskText(text, only);
    const key = categoriesKey(only);
    if (key !== this.categoriesKey) {
      // Other settings mask differently: what was remembered no longer applies.
      this.masked.clear();
      this.chars = 0;
      this.categoriesKey = key;
    }
    const known = this.masked.get(text);
    if (known !== undefined) {
      // Map keeps insertion order: taking the entry out and back in marks it the most recently used.
      this.masked.delete(text);
      this.masked.set(text, known);
      return known;
    }
    const result = maskText(text, only);
    this.masked.set(text, result);
    this.chars += text.length;
    for (const oldest of this.masked.keys()) {
      if (this.chars <= this.maxChars) break;
      this.masked.delete(oldest);
      this.chars -= oldest.length;
    }
    return result;
  }

  /** How many texts are remembered (for tests). */
  get size(): number {
    return this.masked.size;
  }

  /** Whether this text's masking is remembered (for tests). */
  remembers(text: string): boolean {
    return this.masked.has(text);
  }
}

function categoriesKey(only: Readonly<MaskCategories>): string {
  return `${+only.email}${+only.phone}${+only.card}${+only.secret}${+only.dataUrl}`;
}

// ------------------------------------------------------------------ JSON values

/**
 * PostgreSQL text and JSONB cannot hold NUL characters or unpaired UTF-16 surrogates, and one of
 * them in a prompt would make the whole row fail to insert; they become U+FFFD instead.
 */
export function storableText(text: string): string {
  const withoutNul = text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
  // The engine's own check and repair (U+FFFD for each lone surrogate) scan a prompt in a few
  // microseconds; a regular expression with lookarounds took ten times as long on non-ASCII text.
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}

/** Keys whose value is a credential whatever it looks like (headers, config objects). */
const SECRET_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|secret|client[-_]?secret|password|passwd|pwd|token|access[-_]?token|refresh[-_]?token|id[-_]?token|auth[-_]?token|private[-_]?key|session[-_]?token)$/i;

export interface ToLogJsonOptions {
  /**
   * Mask strings (default true: every category); or only the categories given. Off still makes the
   * value storable (cycles, dates, functions).
   */
  mask?: boolean | Readonly<MaskCategories>;
  /** Deeper structures are cut with "[depth]" (default 32); JSONB itself refuses very deep nesting. */
  maxDepth?: number;
  /** Reuses what texts seen before were masked into (the interaction log keeps one). */
  memo?: MaskMemo;
  /**
   * Values already turned into log JSON with these same options, by identity: the log masks a
   * prompt's messages once for its prompt text and hands them over for the request that holds them.
   */
  converted?: ReadonlyMap<object, LogJson>;
}

/**
 * Turns anything a caller hands the log (a request object, an SDK response, an error) into JSON
 * that JSONB accepts, masking every string on the way: Dates become ISO strings, bigints strings,
 * functions, symbols and undefined are dropped, cycles become "[circular]", and class instances
 * that are not plain data (AbortSignal, zod schemas) contribute only their own enumerable fields.
 */
export function toLogJson(value: unknown, options: ToLogJsonOptions = {}): LogJson | undefined {
  const categories =
    options.mask === false
      ? null
      : options.mask === true || options.mask === undefined
        ? ALL_MASK_CATEGORIES
        : options.mask;
  // A credential-named key hides its value only when secrets are masked.
  const secretKeys = categories?.secret ?? false;
  const memo = options.memo;
  const maskString = (text: string) =>
    categories ? (memo ? memo.mask(text, categories) : maskText(text, categories)) : text;
  const maxDepth = options.maxDepth ?? 32;
  const seen = new WeakSet<object>();
  const walk = (input: unknown, depth: number, key: string | null): LogJson | undefined => {
    if (input === null) return null;
    switch (typeof input) {
      case "string":
        if (secretKeys && key !== null && SECRET_KEY.test(key) && input.length > 0) return MASK.secret;
        return storableText(maskString(input));
      case "number":
        return Number.isFinite(input) ? input : null;
      case "boolean":
        return input;
      case "bigint":
        return input.toString();
      case "undefined":
      case "function":
      case "symbol":
        return undefined;
    }
    const object = input as object;
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
    if (secretKeys && key !== null && SECRET_KEY.test(key)) return MASK.secret;
    const done = options.converted?.get(object);
    if (done !== undefined) return done;
    if (depth >= maxDepth) return "[depth]";
    if (seen.has(object)) return "[circular]";
    seen.add(object);
    try {
      if (Array.isArray(object)) return object.map((item) => walk(item, depth + 1, null) ?? null);
      if (object instanceof Error) {
        // Message and name only: a stack names server files and is no use in an interaction log.
        const err: Record<string, LogJson> = {
          name: storableText(object.name),
          message: storableText(maskString(object.message)),
        };
        const code = (object as { code?: unknown }).code;
        if (typeof code === "string" || typeof code === "number") err.code = code;
        return err;
      }
      if (object instanceof Map) return walk(Object.fromEntries(object), depth, key);
      if (object instanceof Set) return walk([...object], depth, key);
      if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return `[${object.byteLength} bytes]`;
      const toJSON = (object as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") return walk((toJSON as () => unknown).call(object), depth, key);
      const out: Record<string, LogJson> = {};
      for (const [k, v] of Object.entries(object)) {
        const mapped = walk(v, depth + 1, k);
        if (mapped !== undefined) out[storableText(k)] = mapped;
      }
      return out;
    } finally {
      seen.delete(object);
    }
  };
  return walk(value, 0, null);
}
