// A knowledge file's validation or ingestion report, as an operator reads it: whether anything was
// (or would be) written, every error naming its chunk and field, and what happens to each chunk.
import type { TKnowledgeIngestReport } from "@lockstep/contracts";

/** Where an error sits: the chunk (by position and id) and the field path inside it. */
export function errorPlace(error: TKnowledgeIngestReport["errors"][number]): string {
  if (error.index < 0) return error.path ? `file, ${error.path}` : "file";
  const chunk = `chunk ${error.index + 1}${error.chunkId ? ` (${error.chunkId})` : ""}`;
  return error.path ? `${chunk}, ${error.path}` : chunk;
}

export function reportHeadline(report: TKnowledgeIngestReport): string {
  if (!report.ok) {
    const n = report.errors.length;
    return `${n} error${n === 1 ? "" : "s"} found: nothing was written. Fix the file and upload it again.`;
  }
  const counts = `${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deactivated} deactivated`;
  return report.dryRun
    ? `The file is valid: ${counts} (nothing written yet).`
    : `Ingested: ${counts}; ${report.embedded} embedded.`;
}

export function IngestReport({ report }: { report: TKnowledgeIngestReport }) {
  const tone = report.ok
    ? "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-100"
    : "border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-100";
  return (
    <section
      aria-label={report.dryRun ? "Validation report" : "Ingestion report"}
      data-report-ok={report.ok}
      className={`rounded-lg border p-4 text-sm ${tone}`}
    >
      <h3 className="font-semibold">{report.dryRun ? "Validation report" : "Ingestion report"}</h3>
      <p role="status" className="mt-1">
        {reportHeadline(report)}
      </p>
      {report.errors.length > 0 && (
        <ul className="mt-3 grid gap-1" aria-label="Errors">
          {report.errors.map((error, index) => (
            <li key={index} className="rounded bg-white/70 px-2 py-1 dark:bg-black/20">
              <span className="font-mono text-xs">{errorPlace(error)}</span>: {error.message}
            </li>
          ))}
        </ul>
      )}
      {report.ok && report.changes.length > 0 && (
        <details className="mt-3">
          <summary className="cursor-pointer font-medium">
            {report.changes.length} chunk{report.changes.length === 1 ? "" : "s"} in the file
          </summary>
          <ul className="mt-2 grid gap-0.5 font-mono text-xs">
            {report.changes.map((change) => (
              <li key={change.chunkId}>
                {change.chunkId}: {change.action}
                {change.fromVersion && change.fromVersion !== change.toVersion
                  ? ` (${change.fromVersion} → ${change.toVersion})`
                  : ` (${change.toVersion})`}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
