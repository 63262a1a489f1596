// Engagement use cases: a person's stats with each character, read exactly as the database
// triggers keep them (update_engagement_on_session_end, count_engagement_messages), never recounted.
import type { TEngagementWithCharacterDto } from "@lockstep/contracts";
import { findEngagement, listEngagements } from "@lockstep/db";
import { AppError } from "../errors.ts";
import type { UserScope } from "../scopes.ts";

export function listMyEngagements(scope: UserScope): Promise<TEngagementWithCharacterDto[]> {
  return scope.run((tx) => listEngagements(tx, scope.userId));
}

export async function getMyEngagement(scope: UserScope, characterId: string): Promise<TEngagementWithCharacterDto> {
  const engagement = await scope.run((tx) => findEngagement(tx, scope.userId, characterId));
  if (!engagement) throw new AppError("NOT_FOUND", "You have not met this character yet.", { characterId });
  return engagement;
}
