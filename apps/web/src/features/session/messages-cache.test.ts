// Edits to the cached history keep time order and leave untouched messages as the same objects.
import { describe, expect, it } from "vitest";
import { dropFrom, flattenPages, type MessagePages, upsertMessages } from "./messages-cache.ts";
import { messageDto } from "../../../test/test-api.tsx";

const at = (id: string, timestamp: number, text = id) => messageDto({ id, timestamp, text });

function pages(...pagesNewestFirst: ReturnType<typeof at>[][]): MessagePages {
  return {
    pages: pagesNewestFirst.map((items) => ({ items, nextCursor: null })),
    pageParams: pagesNewestFirst.map(() => null),
  };
}

describe("messages cache", () => {
  it("reads pages (newest first) in time order", () => {
    expect(flattenPages(pages([at("c", 3), at("d", 4)], [at("a", 1), at("b", 2)])).map((m) => m.id)).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
  });

  it("puts a late-confirmed send before the reply that streamed in first", () => {
    const reply = at("reply", 20);
    const data = upsertMessages(pages([at("a", 1), reply]), [at("mine", 10)]);
    expect(flattenPages(data).map((m) => m.id)).toEqual(["a", "mine", "reply"]);
  });

  it("replaces a message in place and keeps the others as the same objects", () => {
    const first = at("a", 1);
    const second = at("b", 2);
    const data = upsertMessages(pages([second], [first]), [at("a", 1, "edited"), at("b", 2, "again")]);
    const flat = flattenPages(data);
    expect(flat.map((m) => m.text)).toEqual(["edited", "again"]);
    const only = flattenPages(upsertMessages(pages([second], [first]), [at("b", 2, "x")]));
    expect(only[0]).toBe(first);
  });

  it("adds a message once even if it comes twice", () => {
    const data = upsertMessages(pages([at("a", 1)]), [at("n", 5), at("n", 5)]);
    expect(flattenPages(upsertMessages(data, [at("n", 5)])).map((m) => m.id)).toEqual(["a", "n"]);
  });

  it("clears the pending reply of the message a coach reply answers, and leaves the others as they were", () => {
    const mine = messageDto({ id: "mine", timestamp: 1, replyStatus: "pending" });
    const other = messageDto({ id: "other", timestamp: 0, replyStatus: "pending" });
    const reply = messageDto({ id: "reply", timestamp: 2, author: "ai", parentId: "mine" });
    const flat = flattenPages(upsertMessages(pages([other, mine]), [reply]));
    expect(flat.map((m) => [m.id, m.replyStatus])).toEqual([
      ["other", "pending"],
      ["mine", null],
      ["reply", null],
    ]);
    expect(flat[0]).toBe(other);
  });

  it("keeps a send answered when its confirmation, still saying pending, arrives after the reply", () => {
    const reply = messageDto({ id: "reply", timestamp: 2, author: "ai", parentId: "mine" });
    const late = messageDto({ id: "mine", timestamp: 1, replyStatus: "pending" });
    const flat = flattenPages(upsertMessages(pages([reply]), [late]));
    expect(flat.map((m) => [m.id, m.replyStatus])).toEqual([
      ["mine", null],
      ["reply", null],
    ]);
    // A message no reply answers yet stays owed one.
    const owed = flattenPages(
      upsertMessages(pages([reply]), [messageDto({ id: "new", timestamp: 3, replyStatus: "pending" })]),
    );
    expect(owed.find((m) => m.id === "new")?.replyStatus).toBe("pending");
  });

  it("drops a replaced message and what followed it, keeping what came before as the same objects", () => {
    const a = at("a", 1);
    const data = dropFrom(pages([at("c", 3), at("d", 4)], [a, at("b", 2)]), "b");
    const flat = flattenPages(data);
    expect(flat.map((m) => m.id)).toEqual(["a"]);
    expect(flat[0]).toBe(a);
  });
});
