// Collapsible, searchable JSON of a logged request or response: branches open and close with the
// keyboard, a search opens the branches that hold a match and marks it, and values the log masked
// (e.g. "[email]") are shown as masked rather than passing for real text.
import { type ReactNode, useId, useMemo, useState } from "react";
import { inputClass } from "./ui.tsx";

/** The placeholders the interaction log writes in place of personal data and credentials. */
export const MASK_TOKEN = /\[(?:email|phone|card|secret|data-url)\]/g;

type Path = string;
const child = (path: Path, key: string | number) => `${path}/${String(key)}`;

function isBranch(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null;
}

function entriesOf(value: Record<string, unknown> | unknown[]): [string | number, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
}

function leafText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export interface JsonSearch {
  /** Keys and leaf values that contain the query (case-insensitive). */
  matches: number;
  /** Paths of branches that hold a match somewhere below them: the ones a search opens. */
  open: Set<Path>;
  /** Paths of the matching keys or leaves themselves. */
  hits: Set<Path>;
}

/** Finds the query in keys and leaf values; an empty query finds nothing. */
export function searchJson(value: unknown, query: string): JsonSearch {
  const needle = query.trim().toLowerCase();
  const result: JsonSearch = { matches: 0, open: new Set(), hits: new Set() };
  if (!needle) return result;
  const walk = (node: unknown, path: Path, key: string | number | null): boolean => {
    let found = false;
    if (key !== null && String(key).toLowerCase().includes(needle)) {
      result.hits.add(path);
      result.matches += 1;
      found = true;
    }
    if (isBranch(node)) {
      let below = false;
      for (const [k, v] of entriesOf(node)) below = walk(v, child(path, k), k) || below;
      if (below) result.open.add(path);
      return found || below;
    }
    if (leafText(node).toLowerCase().includes(needle)) {
      if (!result.hits.has(path)) result.matches += 1;
      result.hits.add(path);
      return true;
    }
    return found;
  };
  walk(value, "", null);
  return result;
}

/** Splits text into plain runs, search hits and masked placeholders. */
export function highlight(text: string, query: string): ReactNode[] {
  const needle = query.trim().toLowerCase();
  const parts: ReactNode[] = [];
  let index = 0;
  for (const masked of text.split(/(\[(?:email|phone|card|secret|data-url)\])/)) {
    if (/^\[(?:email|phone|card|secret|data-url)\]$/.test(masked)) {
      parts.push(
        <span
          key={index++}
          title="Masked by the interaction log before it was stored"
          className="rounded bg-amber-100 px-1 text-amber-900 ring-1 ring-amber-400 ring-inset dark:bg-amber-900/60 dark:text-amber-100"
          data-masked="true"
        >
          <span className="sr-only">masked value </span>
          {masked}
        </span>,
      );
      continue;
    }
    if (!needle) {
      if (masked) parts.push(masked);
      continue;
    }
    const lower = masked.toLowerCase();
    let at = 0;
    for (let found = lower.indexOf(needle); found !== -1; found = lower.indexOf(needle, at)) {
      if (found > at) parts.push(masked.slice(at, found));
      parts.push(
        <mark key={index++} className="rounded bg-yellow-200 text-slate-900 dark:bg-yellow-500/70">
          {masked.slice(found, found + needle.length)}
        </mark>,
      );
      at = found + needle.length;
    }
    if (at < masked.length) parts.push(masked.slice(at));
  }
  return parts;
}

export function JsonViewer({
  value,
  label,
  defaultDepth = 3,
}: {
  value: unknown;
  label: string;
  defaultDepth?: number;
}) {
  const [query, setQuery] = useState("");
  // Branches the operator toggled by hand: true = open, false = closed; they win over the defaults.
  const [toggled, setToggled] = useState<Map<Path, boolean>>(new Map());
  const search = useMemo(() => searchJson(value, query), [value, query]);
  const searchId = useId();
  const maskedCount = useMemo(() => (JSON.stringify(value) ?? "").match(MASK_TOKEN)?.length ?? 0, [value]);

  const isOpen = (path: Path, depth: number) => {
    const manual = toggled.get(path);
    if (manual !== undefined) return manual;
    // A search with no match keeps the tree as it was, rather than folding it shut.
    if (query.trim() && search.matches > 0) return search.open.has(path);
    return depth < defaultDepth;
  };
  const toggle = (path: Path, open: boolean) => setToggled((previous) => new Map(previous).set(path, !open));
  const setAll = (open: boolean) => {
    const next = new Map<Path, boolean>();
    const walk = (node: unknown, path: Path) => {
      if (!isBranch(node)) return;
      next.set(path, open);
      for (const [k, v] of entriesOf(node)) walk(v, child(path, k));
    };
    walk(value, "");
    setToggled(next);
  };

  const renderNode = (node: unknown, path: Path, key: string | number | null, depth: number): ReactNode => {
    const keyLabel =
      key === null ? null : (
        <span
          className={`text-indigo-700 dark:text-indigo-300 ${search.hits.has(path) && String(key).toLowerCase().includes(query.trim().toLowerCase()) ? "bg-yellow-200 text-slate-900 dark:bg-yellow-500/70" : ""}`}
        >
          {typeof key === "number" ? key : `"${key}"`}
          {": "}
        </span>
      );
    if (!isBranch(node)) {
      const text = leafText(node);
      const tone =
        typeof node === "string"
          ? "text-emerald-800 dark:text-emerald-300"
          : node === null
            ? "text-slate-500 dark:text-slate-400"
            : "text-sky-800 dark:text-sky-300";
      return (
        <div key={path} className="pl-4" data-json-path={path}>
          {keyLabel}
          <span className={`break-all whitespace-pre-wrap ${tone}`}>
            {typeof node === "string" ? <>"{highlight(text, query)}"</> : highlight(text, query)}
          </span>
        </div>
      );
    }
    const entries = entriesOf(node);
    const open = isOpen(path, depth);
    const [openChar, closeChar] = Array.isArray(node) ? ["[", "]"] : ["{", "}"];
    const summary = Array.isArray(node)
      ? `${entries.length} item${entries.length === 1 ? "" : "s"}`
      : `${entries.length} key${entries.length === 1 ? "" : "s"}`;
    return (
      <div key={path} className={depth === 0 ? "" : "pl-4"}>
        <button
          type="button"
          aria-expanded={open}
          onClick={() => toggle(path, open)}
          className="rounded text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-slate-800"
        >
          <span aria-hidden="true" className="inline-block w-3 text-slate-400">
            {open ? "▾" : "▸"}
          </span>
          {keyLabel}
          {openChar}
          {!open && (
            <span className="text-slate-500 dark:text-slate-400">
              {" "}
              {summary} {closeChar}
            </span>
          )}
          <span className="sr-only">{open ? ", collapse" : `, ${summary}, expand`}</span>
        </button>
        {open && (
          <>
            {entries.map(([k, v]) => renderNode(v, child(path, k), k, depth + 1))}
            <div className="pl-4 text-slate-500 dark:text-slate-400">{closeChar}</div>
          </>
        )}
      </div>
    );
  };

  return (
    <div className="rounded-lg border border-slate-200 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 p-2 dark:border-slate-800">
        <label htmlFor={searchId} className="sr-only">
          Search {label}
        </label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setToggled(new Map());
          }}
          placeholder={`Search ${label}`}
          className={`${inputClass} max-w-xs`}
        />
        <span role="status" aria-live="polite" className="text-xs text-slate-500 dark:text-slate-400">
          {query.trim() ? `${search.matches} match${search.matches === 1 ? "" : "es"}` : ""}
        </span>
        {maskedCount > 0 && (
          <span className="text-xs text-amber-800 dark:text-amber-200">
            {maskedCount} masked value{maskedCount === 1 ? "" : "s"}
          </span>
        )}
        <span className="ml-auto flex gap-1">
          <button
            type="button"
            onClick={() => setAll(true)}
            className="rounded px-2 py-1 text-xs hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            Expand all<span className="sr-only"> of {label}</span>
          </button>
          <button
            type="button"
            onClick={() => setAll(false)}
            className="rounded px-2 py-1 text-xs hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            Collapse all<span className="sr-only"> of {label}</span>
          </button>
        </span>
      </div>
      <div className="max-h-[28rem] overflow-auto p-2 font-mono text-xs leading-5" aria-label={label} role="region">
        {value === null || value === undefined ? (
          <span className="text-slate-500 dark:text-slate-400">null</span>
        ) : (
          renderNode(value, "", null, 0)
        )}
      </div>
    </div>
  );
}
