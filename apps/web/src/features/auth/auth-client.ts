// Sign-up, sign-in and sign-out against Better Auth at /api/auth over plain fetch (the cookie does the
// rest), with each refusal turned into words a person can act on.
export type AuthResult = { ok: true } | { ok: false; message: string; field?: "email" | "password" | "name" };

interface AuthErrorBody {
  code?: string;
  message?: string;
}

/** Maps Better Auth's answer (status and code) to what the person should read. */
export function describeAuthFailure(
  status: number,
  body: AuthErrorBody | null,
  retryAfterSeconds?: number,
): Extract<AuthResult, { ok: false }> {
  const code = body?.code ?? "";
  if (status === 429) {
    const wait =
      retryAfterSeconds && retryAfterSeconds > 0
        ? ` Try again in ${Math.ceil(retryAfterSeconds)} seconds.`
        : " Try again later.";
    return {
      ok: false,
      message:
        code === "TOO_MANY_ATTEMPTS"
          ? "Too many failed sign-ins for this account. Try again later."
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
