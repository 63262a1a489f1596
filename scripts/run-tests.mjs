#!/usr/bin/env node
// The whole test suite, as `npm test` and CI run it: type check, lint, build, then every package's
// tests — those that touch the database on embedded PGlite, and again on PostgreSQL when
// DATABASE_URL is set — then the browser tests. Ends with one summary line of all counts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const resultsDir = path.join(root, "test-results", "vitest");
const postgresUrl = process.env.DATABASE_URL || null;
const failures = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Browser tests that failed once and passed on their retry: green, but named in the summary. */
const passedOnRetry = [];

function step(title, command, args, env = process.env) {
  console.log(`\n━━ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`${ok ? "✔" : "✖"} ${title} (${seconds}s)`);
  if (!ok) failures.push(title);
  return ok;
}

function workspacePackages() {
  const found = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(path.join(root, group))) {
      const file = path.join(root, group, name, "package.json");
      if (existsSync(file))
        found.push({ dir: path.join(root, group, name), manifest: JSON.parse(readFileSync(file, "utf8")) });
    }
  }
  return found;
}

function usesDatabase({ manifest }) {
  const deps = { ...manifest.dependencies, ...manifest.devDependencies };
  return manifest.name === "@lockstep/db" || "@lockstep/db" in deps;
}

function runVitest(pkg, runtime) {
  const label = `${pkg.manifest.name} tests${runtime ? ` on ${runtime}` : ""}`;
  const outputFile = path.join(
    resultsDir,
    `${pkg.manifest.name.replace(/\W+/g, "_")}${runtime ? `.${runtime}` : ""}.json`,
  );
  const env = { ...process.env };
  if (runtime === "pglite") delete env.DATABASE_URL;
  if (runtime === "postgres") env.DATABASE_URL = postgresUrl;
  const vitest = path.join(pkg.dir, "node_modules", ".bin", "vitest");
  step(
    label,
    vitest,
    ["run", "--root", pkg.dir, "--reporter=default", "--reporter=json", `--outputFile=${outputFile}`],
    env,
  );
  countReport(outputFile);
}

/** Adds a vitest JSON report to the totals; a run that crashed before reporting counts as a failure,
 * never as zero tests. */
function countReport(outputFile) {
  if (!existsSync(outputFile)) {
    totals.failed += 1;
    return;
  }
  const report = JSON.parse(readFileSync(outputFile, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      // A passed test that still carries failure messages failed an earlier attempt.
      if (test.status === "passed" && test.failureMessages?.length) {
        const reason = String(test.failureMessages[0]).split("\n")[0];
        passedOnRetry.push(`${path.relative(root, file.name)} > ${test.fullName}: ${reason}`);
      }
    }
  }
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const pnpm = "pnpm";
step("type check", pnpm, ["run", "typecheck"]);
step("lint", pnpm, ["run", "lint"]);
step("format check", pnpm, ["run", "format:check"]);
const built = step("build", pnpm, ["run", "build"]);

for (const pkg of workspacePackages()) {
  if (!pkg.manifest.scripts?.test) continue;
  if (!usesDatabase(pkg)) runVitest(pkg, null);
  else {
    runVitest(pkg, "pglite");
    if (postgresUrl) runVitest(pkg, "postgres");
  }
}

if (built) {
  const browserReady = step("chromium present", "bash", [path.join(root, "scripts", "ensure-chromium.sh")]);
  for (const pkg of workspacePackages()) {
    if (!pkg.manifest.scripts?.["test:e2e"] || !browserReady) continue;
    const outputFile = path.join(resultsDir, `${pkg.manifest.name.replace(/\W+/g, "_")}.e2e.json`);
    const vitest = path.join(pkg.dir, "node_modules", ".bin", "vitest");
    const env = { ...process.env };
    delete env.DATABASE_URL;
    step(
      `${pkg.manifest.name} browser tests`,
      vitest,
      [
        "run",
        "--root",
        pkg.dir,
        "--config",
        "vitest.e2e.config.ts",
        // A browser test that fails gets one more try: a full run takes half an hour on a 2-core
        // machine. One that passes only on its retry is listed in the summary, never hidden.
        "--retry=1",
        "--reporter=default",
        "--reporter=json",
        `--outputFile=${outputFile}`,
      ],
      env,
    );
    countReport(outputFile);
  }
}

console.log("");
if (passedOnRetry.length) {
  console.log(`Passed only on a retry (flaky; each is a race worth finding):`);
  for (const line of passedOnRetry) console.log(`  ${line}`);
}
if (failures.length) console.log(`Failed steps: ${failures.join("; ")}`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length || totals.failed ? 1 : 0);
