// The coach's markdown: formatting renders, raw HTML and script URLs never reach the page, links open
// safely, and the text splits into blocks that parse the same alone as together.
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { Markdown, safeUrl, splitBlocks } from "./markdown.tsx";

afterEach(cleanup);

describe("Markdown", () => {
  it("renders emphasis, quotes, lists and code with a copy button", () => {
    const { container } = render(
      <Markdown text={"**bold** and `x`\n\n> quoted\n\n- one\n- two\n\n```js\nconst a = 1;\n\nconst b = 2;\n```"} />,
    );
    expect(container.querySelector("strong")?.textContent).toBe("bold");
    expect(container.querySelector("blockquote")?.textContent?.trim()).toBe("quoted");
    expect(container.querySelectorAll("li")).toHaveLength(2);
    expect(container.querySelector("pre code")?.textContent).toContain("const b = 2;");
    expect(container.querySelector("[data-code-block] button")?.textContent).toBe("Copy");
  });

  it("drops raw HTML and javascript: links, and opens links in a new tab without an opener", () => {
    const { container } = render(
      <Markdown
        text={
          '<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>\n\n[click](javascript:alert(1)) [site](https://example.com)'
        }
      />,
    );
    expect(container.querySelector("img, script")).toBeNull();
    const links = [...container.querySelectorAll("a")];
    expect(links.map((link) => link.getAttribute("href"))).toEqual(["https://example.com"]);
    expect(links[0]?.getAttribute("target")).toBe("_blank");
    expect(links[0]?.getAttribute("rel")).toContain("noopener");
    expect(container.textContent).toContain("click");
  });
});

describe("safeUrl", () => {
  it("keeps web and mail links and drops script and data URLs", () => {
    expect(safeUrl("https://a.example/x")).toBe("https://a.example/x");
    expect(safeUrl("mailto:a@b.c")).toBe("mailto:a@b.c");
    expect(safeUrl("/relative")).toBe("/relative");
    expect(safeUrl("javascript:alert(1)")).toBe("");
    expect(safeUrl("JaVaScRiPt:alert(1)")).toBe("");
    expect(safeUrl("data:text/html,x")).toBe("");
    expect(safeUrl("vbscript:x")).toBe("");
  });
});

describe("splitBlocks", () => {
  it("splits at blank lines but keeps a fenced block with blank lines whole", () => {
    expect(splitBlocks("a\nb\n\nc\n\n\n```\nx\n\ny\n```\nafter")).toEqual(["a\nb", "c", "```\nx\n\ny\n```\nafter"]);
  });

  it("keeps the finished blocks identical as the text grows", () => {
    const full = "First paragraph.\n\nSecond one grows";
    expect(splitBlocks(full.slice(0, 20))[0]).toBe(splitBlocks(full)[0]);
  });
});
