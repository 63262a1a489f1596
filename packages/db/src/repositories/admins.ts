// Making the first (or another) operator from the console: promote an existing account or create one with a generated password, audited.
import { randomInt, randomUUID } from "node:crypto";
import { ZEmailSchema, type TUserDto } from "@lockstep/contracts";
import type { Database } from "../connection.ts";
import { hashPassword } from "../seed/passwords.ts";
import { recordAudit } from "./audit.ts";
import { toUserDto, userDtoSelect } from "./users.ts";

// No 0/O, 1/l/I: the password is read off a terminal and typed once.
const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
export const GENERATED_PASSWORD_LENGTH = 20;

/** 20 characters from a 57-symbol alphabet, ~117 bits, drawn with crypto.randomInt (no modulo bias). */
export function generatePassword(length: number = GENERATED_PASSWORD_LENGTH): string {
  let password = "";
  for (let i = 0; i < length; i++) password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return password;
}

/** The address as stored (trimmed, lowercased), or null when it is not an email address. */
export function normaliseAdminEmail(raw: string): string | null {
  const parsed = ZEmailSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export class InvalidAdminEmailError extends Error {
  override readonly name = "InvalidAdminEmailError";
  constructor(readonly email: string) {
    super(`"${email}" is not an email address (expected name@example.com)`);
  }
}

export type AdminCreateResult =
  { outcome: "created"; user: TUserDto; password: string } | { outcome: "promoted"; user: TUserDto; wasAdmin: boolean };

/**
 * Runs as the owner (the console has no signed-in operator, and lockstep_admin may not insert users
 * or credentials). An existing account keeps its name, password and disabled state and only gains
 * the ADMIN role; a new one gets a credential account shaped as Better Auth writes them (accountId =
 * user id, providerId "credential"). Either way one audit row with no actor records it.
 */
export async function createOrPromoteAdmin(
  db: Database,
  input: { email: string; name?: string | undefined },
): Promise<AdminCreateResult> {
  const email = normaliseAdminEmail(input.email);
  if (!email) throw new InvalidAdminEmailError(input.email);
  // Hashing is slow on purpose: do it before the transaction, and only when it might be needed.
  const existingId = (await db.prisma.user.findUnique({ where: { email }, select: { id: true } }))?.id;
  const password = existingId ? null : generatePassword();
  const passwordHash = password ? await hashPassword(password) : null;

  return db.prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: userDtoSelect });
    if (existing) {
      const before = toUserDto(existing);
      const after =
        before.role === "admin"
          ? before
          : toUserDto(
              await tx.user.update({ where: { id: existing.id }, data: { role: "ADMIN" }, select: userDtoSelect }),
            );
      await recordAudit(tx, {
        actorId: null,
        action: "admin.promote",
        entityType: "user",
        entityId: after.id,
        before,
        after,
      });
      return { outcome: "promoted", user: after, wasAdmin: before.role === "admin" };
    }
    // Created between the check above and here: start again so the account gets a password hash.
    if (!password || !passwordHash)
      throw new Error(`the account ${email} vanished while being promoted; run the command again`);
    const id = randomUUID();
    const created = await tx.user.create({
      data: {
        id,
        email,
        name: input.name?.trim() || email.split("@")[0] || email,
        role: "ADMIN",
        accounts: { create: { id: randomUUID(), accountId: id, providerId: "credential", password: passwordHash } },
      },
      select: userDtoSelect,
    });
    const user = toUserDto(created);
    await recordAudit(tx, {
      actorId: null,
      action: "admin.create",
      entityType: "user",
      entityId: id,
      before: null,
      after: user,
    });
    return { outcome: "created", user, password };
  });
}
