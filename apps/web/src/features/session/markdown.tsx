// Renders the coach's markdown safely: react-markdown never passes raw HTML through, links open in a new
// tab without access to this page, and any URL that is not http(s), mailto or a relative one is dropped.
// The text is split into top-level blocks, each memoised on its own text, so a reply that grows token by
// token re-renders only its last block and the finished ones above it stay as they are (no flicker).
import { memo, useMemo, useState } from "react";
import ReactMarkdown, { type Components, defaultUrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";

/** Keeps only URLs that cannot run script; defaultUrlTransform already drops javascript: and data:. */
export function safeUrl(url: string): string {
  const cleaned = defaultUrlTransform(url);
  if (!cleaned) return "";
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "http" || scheme === "https" || scheme === "mailto" ? cleaned : "";
}

/**
 * Splits markdown into top-level blocks at blank lines, keeping a fenced code block (which may hold
 * blank lines) whole, so each block parses the same alone as in the whole text.
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (const line of text.split("\n")) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    }
    if (fence === null && line.trim() === "" && current.length > 0) {
      blocks.push(current.join("\n"));
      current = [];
    } else if (fence !== null || line.trim() !== "" || current.length > 0) {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current.join("\n"));
  return blocks;
}

function CodeBlock({ children, code }: { children: React.ReactNode; code: string }) {
  const [copied, setCopied] = useState<"idle" | "done" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied("done");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied("idle"), 2000);
  };
  return (
    <div className="group relative my-2" data-code-block>
      <pre className="overflow-x-auto rounded-lg bg-slate-900 p-3 pr-16 text-[13px] leading-snug text-slate-100 dark:bg-black/60">
        {children}
      </pre>
      <button
        type="button"
        onClick={() => void copy()}
        className="absolute top-1.5 right-1.5 rounded-md bg-slate-700 px-2 py-0.5 text-xs font-medium text-white hover:bg-slate-600 focus-visible:outline-2 focus-visible:outline-indigo-400"
        aria-label="Copy code"
      >
        {copied === "done" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
      </button>
    </div>
  );
}

/** The text of a hast node, for the code block's copy button. */
function textOf(node: unknown): string {
  if (!node || typeof node !== "object") return "";
  const value = (node as { value?: unknown }).value;
  if (typeof value === "string") return value;
  const children = (node as { children?: unknown[] }).children;
  return Array.isArray(children) ? children.map(textOf).join("") : "";
}

const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="font-medium text-indigo-700 underline dark:text-indigo-300"
      >
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  pre: ({ node, children }) => <CodeBlock code={textOf(node).replace(/\n$/, "")}>{children}</CodeBlock>,
  code: ({ className, children }) =>
    className?.startsWith("language-") || String(children).includes("\n") ? (
      <code className={className}>{children}</code>
    ) : (
      <code className="rounded bg-black/5 px-1 py-0.5 text-[0.9em] dark:bg-white/10">{children}</code>
    ),
  img: ({ alt }) => <span>{alt ? `[image: ${alt}]` : "[image]"}</span>,
  table: ({ children }) => (
    <div className="my-2 overflow-x-auto">
      <table className="border-collapse text-sm [&_td]:border [&_td]:border-slate-300 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-slate-300 [&_th]:px-2 [&_th]:py-1 dark:[&_td]:border-slate-600 dark:[&_th]:border-slate-600">
        {children}
      </table>
    </div>
  ),
};

const remarkPlugins = [remarkGfm];

const Block = memo(function Block({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components} urlTransform={safeUrl} skipHtml>
      {text}
    </ReactMarkdown>
  );
});

/** Markdown as the coach wrote it; person-written text is never passed here. */
export const Markdown = memo(function Markdown({ text, className = "" }: { text: string; className?: string }) {
  const blocks = useMemo(() => splitBlocks(text), [text]);
  return (
    <div
      className={`markdown space-y-2 break-words [&_blockquote]:border-l-4 [&_blockquote]:border-indigo-200 [&_blockquote]:pl-3 [&_blockquote]:italic [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_ul]:list-disc ${className}`}
      data-markdown
    >
      {blocks.map((block, index) => (
        <Block key={index} text={block} />
      ))}
    </div>
  );
});
