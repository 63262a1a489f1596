// The account input schemas: what they trim and normalise, and which field they blame for bad input.
import { describe, expect, it } from "vitest";
import {
  ZAdminUserListInputSchema,
  ZDeleteAccountInputSchema,
  ZEmailSchema,
  ZUpdateProfileInputSchema,
} from "./users.ts";

function fieldsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("ZUpdateProfileInputSchema", () => {
  it("trims, and keeps null as 'remove the image'", () => {
    expect(ZUpdateProfileInputSchema.parse({ name: "  Ada  ", image: " https://a.example/x.png " })).toEqual({
      name: "Ada",
      image: "https://a.example/x.png",
    });
    expect(ZUpdateProfileInputSchema.parse({ image: null })).toEqual({ image: null });
  });

  it.each([
    [{ name: "" }, "name"],
    [{ name: "   " }, "name"],
    [{ name: "x".repeat(81) }, "name"],
    [{ image: "http://a.example/x.png" }, "image"],
    [{ image: "data:image/png;base64,AAAA" }, "image"],
    [{ image: "" }, "image"],
  ])("refuses %j, naming %s", (input, field) => {
    expect(fieldsOf(ZUpdateProfileInputSchema.safeParse(input))).toEqual([field]);
  });

  it("accepts 80 characters and refuses an empty change", () => {
    expect(ZUpdateProfileInputSchema.safeParse({ name: "x".repeat(80) }).success).toBe(true);
    const empty = ZUpdateProfileInputSchema.safeParse({});
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.message).toBe("give a name or an image to change");
  });
});

describe("other account inputs", () => {
  it("requires a non-blank confirmEmail", () => {
    expect(fieldsOf(ZDeleteAccountInputSchema.safeParse({ confirmEmail: "  " }))).toEqual(["confirmEmail"]);
  });

  it("lowercases and trims emails, and refuses what is not one", () => {
    expect(ZEmailSchema.parse("  Boss@Example.COM ")).toBe("boss@example.com");
    for (const bad of ["boss", "boss@", "@example.com", "a@b"]) expect(ZEmailSchema.safeParse(bad).success).toBe(false);
  });

  it("pages the admin user list with the shared defaults", () => {
    expect(ZAdminUserListInputSchema.parse({})).toEqual({ limit: 20 });
    expect(ZAdminUserListInputSchema.parse({ query: "  ann ", role: "admin", disabled: false, cursor: null })).toEqual({
      query: "ann",
      role: "admin",
      disabled: false,
      cursor: null,
      limit: 20,
    });
    expect(fieldsOf(ZAdminUserListInputSchema.safeParse({ role: "ADMIN" }))).toEqual(["role"]);
  });
});
