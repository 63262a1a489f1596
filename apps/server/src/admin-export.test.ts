// CSV quoting of the interaction export (RFC 4180, plus defused spreadsheet formulas) and its query-string parsing.
import { describe, expect, it } from "vitest";
import { csvField, csvRecord, parseExportQuery } from "./admin-export.ts";

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rlf", '"cr\rlf"'],
    ["", ""],
    ["=1+2", "'=1+2"],
    ["+44 20", "'+44 20"],
    ["-rm", "'-rm"],
    ["@cmd", "'@cmd"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])("%j -> %j", (input, output) => {
    expect(csvField(input)).toBe(output);
  });

  it("writes numbers as they are (negative ones too) and null as an empty field", () => {
    expect(csvField(-5)).toBe("-5");
    expect(csvField(1.5)).toBe("1.5");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  it("ends every record with CRLF", () => {
    expect(csvRecord(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
  });
});

describe("parseExportQuery", () => {
  it("takes the list's filters with numbers parsed and csv by default", () => {
    expect(parseExportQuery({ from: "1000", to: "2000", model: "m", status: "error" })).toEqual({
      ok: true,
      format: "csv",
      filters: { from: 1000, to: 2000, model: "m", status: "error" },
    });
  });

  it("names every bad field", () => {
    const parsed = parseExportQuery({ format: "xls", from: "-1", model: ["a", "b"], nope: "1" });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.fieldErrors).sort()).toEqual(["format", "from", "model", "nope"]);
  });
});
