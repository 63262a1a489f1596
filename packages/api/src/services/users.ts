// A person's own account: profile changes and deleting the account with everything in it, read
// and written as that person.
import type { TDeleteAccountInput, TUpdateProfileInput } from "@lockstep/contracts";
import { countAccountFootprint, deleteUserAccount, findUserDto, updateUserProfile } from "@lockstep/db";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";

// The row can only be missing if the account was deleted after this request's session was read.
const accountGone = () => new AppError("NOT_FOUND", "This account no longer exists.");

/** The signed-in person's own row, read as them (RLS); null if it went since the session was read. */
export function findOwnUser(scope: UserScope) {
  return scope.read((tx) => findUserDto(tx, scope.userId));
}

export async function updateProfile(scope: UserScope, input: TUpdateProfileInput) {
  const updated = await scope.run((tx) => updateUserProfile(tx, scope.userId, input));
  if (!updated) throw accountGone();
  return updated;
}

export function deleteAccount(scope: UserScope, input: TDeleteAccountInput) {
  // One transaction: the check, the counts and the delete see the same rows, and a failure
  // anywhere leaves the account whole.
  return scope.run(async (tx) => {
    const user = await findUserDto(tx, scope.userId);
    if (!user) throw accountGone();
    if (input.confirmEmail.toLowerCase() !== user.email.toLowerCase()) {
      throw new AppError("BAD_INPUT", "confirmEmail: does not match this account's email address.", {
        field: "confirmEmail",
      });
    }
    const counts = await countAccountFootprint(tx, user.id);
    const { deleted } = await deleteUserAccount(tx, user.id);
    if (!counts || !deleted) throw accountGone();
    return { deleted: true as const, counts };
  });
}
