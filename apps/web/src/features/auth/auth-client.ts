// Sign-up, sign-in, sign-out and password changes and resets against Better Auth at /api/auth over
// plain fetch (the cookie does the rest), with each refusal turned into words a person can act on.
import { waitInWords } from "@lockstep/contracts";

export type AuthResult =
  { ok: true } | { ok: false; message: string; field?: "email" | "password" | "name" | "currentPassword" };

interface AuthErrorBody {
  code?: string;
  message?: string;
  /** How long an account lock still lasts (the server's own count, also sent as Retry-After). */
  retryAfterSeconds?: number;
}

/** Maps Better Auth's answer (status and code) to what the person should read. */
export function describeAuthFailure(
  status: number,
  body: AuthErrorBody | null,
  retryAfterSeconds?: number,
): Extract<AuthResult, { ok: false }> {
  const code = body?.code ?? "";
  if (status === 429) {
    const seconds = body?.retryAfterSeconds ?? retryAfterSeconds;
    const wait = seconds && seconds > 0 ? ` Try again in ${waitInWords(seconds)}.` : " Try again later.";
    return {
      ok: false,
      message:
        code === "TOO_MANY_ATTEMPTS"
          ? `Too many failed sign-ins for this account.${wait}`
          : `Too many attempts from this device in a short time.${wait}`,
    };
  }
  if (code === "INVALID_EMAIL_OR_PASSWORD" || (status === 401 && !code)) {
    return { ok: false, message: "Wrong email or password." };
  }
  if (code.startsWith("USER_ALREADY_EXISTS")) {
    return { ok: false, field: "email", message: "An account with this email already exists. Sign in instead." };
  }
  if (code === "PASSWORD_TOO_SHORT")
    return { ok: false, field: "password", message: "The password must be at least 8 characters." };
  if (code === "PASSWORD_TOO_LONG")
    return { ok: false, field: "password", message: "The password must be at most 256 characters." };
  if (code === "INVALID_PASSWORD")
    return { ok: false, field: "currentPassword", message: "That is not your current password." };
  if (code === "INVALID_TOKEN" || code === "USER_NOT_FOUND")
    return { ok: false, message: "This reset link has expired or was already used. Ask for a new one." };
  if (code === "INVALID_EMAIL") return { ok: false, field: "email", message: "That is not a valid email address." };
  if (code === "ACCOUNT_DISABLED") return { ok: false, message: "This account is disabled. Contact support." };
  if (status >= 500) return { ok: false, message: "The server had a problem. Try again in a moment." };
  return { ok: false, message: body?.message || "That did not work. Check what you entered and try again." };
}

async function post(path: string, body: unknown): Promise<AuthResult> {
  let response: Response;
  try {
    response = await fetch(`/api/auth${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, message: "Lockstep cannot be reached. Check your connection, then try again." };
  }
  if (response.ok) return { ok: true };
  const parsed = (await response.json().catch(() => null)) as AuthErrorBody | null;
  const retryAfter = Number(response.headers.get("x-retry-after") ?? response.headers.get("retry-after") ?? "");
  return describeAuthFailure(response.status, parsed, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

export function signUp(input: { name: string; email: string; password: string }): Promise<AuthResult> {
  return post("/sign-up/email", input);
}

export function signIn(input: { email: string; password: string }): Promise<AuthResult> {
  return post("/sign-in/email", input);
}

export function signOut(): Promise<AuthResult> {
  return post("/sign-out", {});
}

/** Needs the current password; every other session of the account is signed out. */
export function changePassword(input: { currentPassword: string; newPassword: string }): Promise<AuthResult> {
  return post("/change-password", { ...input, revokeOtherSessions: true });
}

/** The page a reset link lands on; the server adds ?token= (or ?error=INVALID_TOKEN). */
export const RESET_PASSWORD_PATH = "/reset-password";

/** Mails a reset link when the address has an account; answers the same either way. */
export function requestPasswordReset(email: string): Promise<AuthResult> {
  return post("/request-password-reset", { email, redirectTo: RESET_PASSWORD_PATH });
}

/** Sets a new password with the token of a reset link (it works once); every session is signed out. */
export function resetPassword(input: { token: string; newPassword: string }): Promise<AuthResult> {
  return post("/reset-password", input);
}
