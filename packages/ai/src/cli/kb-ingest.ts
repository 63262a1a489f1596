// `pnpm kb:ingest <file> [--dry-run] [--deactivate-missing] [--source NAME]`: ingests a knowledge source file into the configured database, embedding with the configured provider.
// It lives in the AI package, not in db, because it needs a provider for the embeddings and db must not depend on ai.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { TKnowledgeIngestReport } from "@lockstep/contracts";
import { ConfigError, loadConfig, type TConfig } from "@lockstep/config";
import { type Database, inKnowledgeOwnerTransaction, openDatabaseFromConfig, recordAudit } from "@lockstep/db";
import { ingestKnowledgeFile } from "../knowledge/ingest.ts";
import type { KnowledgeWriteScope } from "../knowledge/scope.ts";
import { createInteractionLog } from "../log/interaction-log.ts";
import { AiConfigError, providerFromConfig } from "../providers/config.ts";

const USAGE = "usage: pnpm kb:ingest <file.json> [--dry-run] [--deactivate-missing] [--source NAME]";

/**
 * The owner's transactions, as the other console commands (seed, admin:create) use, with the
 * change audited like an operator's but with no actor, since nobody signed in ran it.
 */
function consoleScope(db: Database, file: string): KnowledgeWriteScope {
  return {
    read: (work) => inKnowledgeOwnerTransaction(db, work),
    change: (work) =>
      inKnowledgeOwnerTransaction(db, async (tx) => {
        const { result, before, after } = await work(tx);
        await recordAudit(tx, {
          actorId: null,
          action: "kb.ingest",
          entityType: "knowledge_chunk",
          entityId: null,
          before,
          after: { file, ...(after as object) },
        });
        return result;
      }),
  };
}

function formatIngestReport(report: TKnowledgeIngestReport, file: string): string {
  const lines: string[] = [];
  if (!report.ok) {
    lines.push(`${file}: nothing was written; ${report.errors.length} problem(s):`);
    for (const error of report.errors) {
      const where = error.index < 0 ? "(file)" : `chunk ${error.index}${error.chunkId ? ` [${error.chunkId}]` : ""}`;
      lines.push(`  ${where} ${error.path || "(chunk)"}: ${error.message}`);
    }
    return lines.join("\n");
  }
  lines.push(
    `${file}${report.dryRun ? " (dry run, nothing written)" : ""}: ` +
      `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deactivated} deactivated; ` +
      `${report.embedded} embedding(s) ${report.dryRun ? "to compute" : "computed"}`,
  );
  for (const change of report.changes) {
    if (change.action === "unchanged") continue;
    const versions =
      change.fromVersion && change.fromVersion !== change.toVersion
        ? `${change.fromVersion} -> ${change.toVersion}`
        : change.toVersion;
    lines.push(`  ${change.action.padEnd(11)} ${change.chunkId} ${versions}`);
  }
  return lines.join("\n");
}

const OPTIONS = {
  "dry-run": { type: "boolean" },
  "deactivate-missing": { type: "boolean" },
  source: { type: "string" },
} as const;

/** The configuration, loaded before anything is read or opened; undefined after printing what is wrong. */
function configOrReport(): TConfig | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return undefined;
  }
}

async function main(): Promise<number> {
  const config = configOrReport();
  if (!config) return 2;
  let parsed;
  try {
    parsed = parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) {
    console.error(USAGE);
    return 2;
  }
  // pnpm runs the script in packages/ai; a relative path means relative to where it was typed.
  const target = path.resolve(config.cli.invokedFrom ?? process.cwd(), file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(target, "utf8"));
  } catch (error) {
    console.error(`${target}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }

  let provider;
  try {
    provider = providerFromConfig(config.ai);
  } catch (error) {
    if (!(error instanceof AiConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  const db = await openDatabaseFromConfig(config.database);
  try {
    const dryRun = parsed.values["dry-run"] ?? false;
    const report = await ingestKnowledgeFile(consoleScope(db, path.basename(target)), provider, json, {
      dryRun,
      deactivateMissing: parsed.values["deactivate-missing"] ?? false,
      source: parsed.values.source,
      // Every model call is logged, console ones included.
      logging: dryRun
        ? undefined
        : {
            log: createInteractionLog(db, { maskingAllowed: config.aiLog.masking }),
            context: { userId: null, sessionId: null, ip: null, dataSource: "admin" },
          },
    });
    console.log(`database: ${db.location}; embeddings: ${provider.name} (${provider.embeddingModel})`);
    const output = formatIngestReport(report, path.basename(target));
    if (report.ok) console.log(output);
    else console.error(output);
    return report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
