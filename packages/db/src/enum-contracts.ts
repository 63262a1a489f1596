// Compile-time proof that every Prisma enum equals the database side of its contract: changing a
// value in schema.prisma or in packages/contracts without the other fails `pnpm typecheck`.
import type * as Contracts from "@lockstep/contracts";
import type * as PrismaEnums from "./generated/prisma/enums.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type EnumContractsAgree = [
  Assert<Equal<PrismaEnums.Role, Contracts.TRoleDb>>,
  Assert<Equal<PrismaEnums.SessionType, Contracts.TSessionTypeDb>>,
  Assert<Equal<PrismaEnums.SessionStatus, Contracts.TSessionStatusDb>>,
  Assert<Equal<PrismaEnums.MessageAuthor, Contracts.TMessageAuthorDb>>,
  Assert<Equal<PrismaEnums.MessageSentiment, Contracts.TMessageSentimentDb>>,
  Assert<Equal<PrismaEnums.InteractionType, Contracts.TInteractionTypeDb>>,
  Assert<Equal<PrismaEnums.AiInteractionStatus, Contracts.TAiInteractionStatusDb>>,
  Assert<Equal<PrismaEnums.AiOperation, Contracts.TAiOperationDb>>,
  Assert<Equal<PrismaEnums.DataSource, Contracts.TDataSourceDb>>,
  Assert<Equal<PrismaEnums.MemoryKind, Contracts.TMemoryKindDb>>,
  Assert<Equal<PrismaEnums.ProviderKind, Contracts.TProviderKindDb>>,
];
