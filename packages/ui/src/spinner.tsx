// A small spinning ring with words for screen readers; the words are the point, the ring is decoration.
export function Spinner({ label = "Loading…", className = "" }: { label?: string; className?: string }) {
  return (
    <span
      role="status"
      className={`inline-flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400 ${className}`}
    >
      <span
        aria-hidden="true"
        className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600 dark:border-slate-600 dark:border-t-indigo-400"
      />
      <span>{label}</span>
    </span>
  );
}
