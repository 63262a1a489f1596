// The knowledge file report: a failed validation says nothing was written and names each error's
// chunk and field; a valid one lists its counts and every chunk's fate.
import type { TKnowledgeIngestReport } from "@lockstep/contracts";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { errorPlace, IngestReport } from "./ingest-report.tsx";

afterEach(cleanup);

const base: TKnowledgeIngestReport = {
  ok: true,
  dryRun: true,
  created: 0,
  updated: 0,
  unchanged: 0,
  deactivated: 0,
  embedded: 0,
  errors: [],
  changes: [],
};

describe("IngestReport", () => {
  it("names every error's chunk and field and says nothing was written", () => {
    render(
      <IngestReport
        report={{
          ...base,
          ok: false,
          errors: [
            {
              index: 1,
              chunkId: "opener_two",
              path: "tags.goal.0",
              message: "goal must be one of: attraction, comfort, commitment, closing",
            },
            { index: -1, chunkId: null, path: "", message: "the file must be an array of chunks" },
          ],
        }}
      />,
    );
    expect(screen.getByRole("region", { name: "Validation report" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe(
      "2 errors found: nothing was written. Fix the file and upload it again.",
    );
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "chunk 2 (opener_two), tags.goal.0: goal must be one of: attraction, comfort, commitment, closing",
      "file: the file must be an array of chunks",
    ]);
  });

  it("reports a valid file's counts as a dry run, and an ingestion's as written", () => {
    const changes = [
      { chunkId: "a_one", action: "created" as const, fromVersion: null, toVersion: "1.0.0" },
      { chunkId: "b_two", action: "updated" as const, fromVersion: "1.0.0", toVersion: "1.1.0" },
    ];
    const { rerender, container } = render(<IngestReport report={{ ...base, created: 1, updated: 1, changes }} />);
    expect(screen.getByRole("status").textContent).toBe(
      "The file is valid: 1 new, 1 updated, 0 unchanged, 0 deactivated (nothing written yet).",
    );
    expect(container.textContent).toContain("b_two: updated (1.0.0 → 1.1.0)");
    rerender(<IngestReport report={{ ...base, dryRun: false, created: 1, updated: 1, embedded: 2, changes }} />);
    expect(screen.getByRole("region", { name: "Ingestion report" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe(
      "Ingested: 1 new, 1 updated, 0 unchanged, 0 deactivated; 2 embedded.",
    );
  });

  it("places errors: whole file, a chunk without an id, a field path", () => {
    expect(errorPlace({ index: -1, chunkId: null, path: "chunks", message: "" })).toBe("file, chunks");
    expect(errorPlace({ index: 0, chunkId: null, path: "metadata.chunk_id", message: "" })).toBe(
      "chunk 1, metadata.chunk_id",
    );
  });
});
