// Runtime drift test: the enums Prisma generated from schema.prisma and the contracts' database
// values are the same sets, in both directions, with nothing missing on either side.
import { DATABASE_ENUMS } from "@lockstep/contracts";
import { describe, expect, it } from "vitest";
import * as PrismaEnums from "./generated/prisma/enums.ts";

const prismaEnums = PrismaEnums as unknown as Record<string, Record<string, string>>;

describe("Prisma enums and contracts", () => {
  it("every Prisma enum has a contract", () => {
    const contractNames = DATABASE_ENUMS.map((contract) => contract.prismaName).sort();
    expect(Object.keys(prismaEnums).sort()).toEqual(contractNames);
  });

  it.each(DATABASE_ENUMS.map((contract) => [contract.prismaName, contract] as const))(
    "%s has the same values in schema.prisma and in contracts",
    (name, contract) => {
      const generated = prismaEnums[name];
      expect(generated, `schema.prisma has no enum ${name}`).toBeDefined();
      expect(Object.values(generated ?? {})).toEqual([...contract.dbValues]);
    },
  );
});
