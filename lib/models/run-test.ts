import type { DuckDBConnection } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { loadLensConfig, type LensConfig } from "../config/lens-config.ts";
import { openWarehouse } from "../warehouse/open.ts";
import { queryRows } from "../warehouse/query.ts";
import { objectType } from "./build-model.ts";
import { contractChecks, type Check } from "./checks.ts";
import { selectModels } from "./graph.ts";
import type { Model } from "./model.ts";
import { readProject } from "./project.ts";
import { newRunId } from "./state.ts";
import { carryFingerprints, fileStamp } from "./fingerprint-cache.ts";

/** What `lens test` may be told. */
export interface TestOptions {
  sqlDir?: string;
  config?: LensConfig;
  /** `--select` values, as for build. */
  select?: string[];
  /** A model without a contract is a failure, not a warning. */
  strict?: boolean;
  /** How many offending rows to keep per failure (default 5). */
  sampleSize?: number;
  log?: (line: string) => void;
}

/** The outcome of one check. */
export interface CheckResult {
  model: string;
  check: string;
  status: "pass" | "fail" | "error" | "warn";
  /** How many rows the check returned (0 when it passed). */
  failing_rows: number;
  /** Up to `sampleSize` offending rows, or the error. */
  sample: Record<string, unknown>[];
  message?: string;
}

/** Everything one test run found. */
export interface TestReport {
  runId: string;
  results: CheckResult[];
  failures: CheckResult[];
  ok: boolean;
}

/** `lens test` on a warehouse file: run every check and append the results to `lens_test_results`. */
export async function test(warehousePath: string, options: TestOptions = {}): Promise<TestReport> {
  // Opening for writing would create an empty file; say what to do instead.
  if (warehousePath !== ":memory:" && !existsSync(warehousePath)) {
    throw new Error(`warehouse ${warehousePath} does not exist; run lens build (or lens run) first`);
  }
  const w = await openWarehouse(warehousePath);
  // Taken while holding the write lock: test results are all this run writes, so the loaded tables'
  // fingerprints recorded for the file before it stay valid after it.
  const before = fileStamp(warehousePath);
  try {
    return await testInto(w.db, options);
  } finally {
    w.close();
    await carryFingerprints(warehousePath, before);
  }
}

/**
 * Run every contract check of the selected models in `db`: primary key unique and not null, column
 * not_null / unique / accepted_values / relationships, contract columns that the table lacks, and
 * the free SQL assertions. Records each result in `lens_test_results`.
 */
export async function testInto(db: DuckDBConnection, options: TestOptions = {}): Promise<TestReport> {
  const config = options.config ?? loadLensConfig();
  const log = options.log ?? (() => {});
  const sampleSize = options.sampleSize ?? 5;
  const runId = newRunId();
  const project = await readProject(db, options.sqlDir ?? "sql", { config });
  const selected = selectModels(project, options.select);
  const results: CheckResult[] = [];
  for (const m of project.filter((p) => selected.has(p.name))) {
    for (const r of await testModel(db, m, sampleSize, options.strict ?? false)) {
      results.push(r);
      if (r.status !== "pass") log(formatResult(r));
    }
  }
  await saveResults(db, runId, results);
  const failures = results.filter((r) => r.status === "fail" || r.status === "error");
  return { runId, results, failures, ok: failures.length === 0 };
}

async function testModel(db: DuckDBConnection, m: Model, sampleSize: number, strict: boolean): Promise<CheckResult[]> {
  const base = { model: m.name, failing_rows: 0, sample: [] };
  if ((await objectType(db, m.name)) === undefined) {
    return [{ ...base, check: "built", status: "error", message: `${m.name} is not in the warehouse; run lens build first` }];
  }
  if (!m.contract) {
    return [{ ...base, check: "contract", status: strict ? "fail" : "warn", message: `${m.file} has no contract ${m.contractFile}` }];
  }
  const results: CheckResult[] = [];
  const actual = new Set(
    (await queryRows<{ column_name: string }>(
      db,
      "select column_name from information_schema.columns where table_catalog = current_database() and table_schema = 'main' and table_name = $1",
      [m.name],
    )).map((r) => r.column_name),
  );
  const declared = [...new Set([...Object.keys(m.contract.columns), ...m.contract.primary_key])];
  const missing = declared.filter((c) => !actual.has(c));
  results.push({
    ...base,
    check: "contract_columns",
    status: missing.length ? "fail" : "pass",
    failing_rows: missing.length,
    sample: missing.slice(0, sampleSize).map((column) => ({ column, problem: `in ${m.contractFile} but not in the table` })),
    message: missing.length ? `${m.contractFile} lists columns ${m.name} does not have (renamed or removed?): ${missing.join(", ")}` : undefined,
  });
  for (const c of contractChecks(m)) results.push(await runCheck(db, c, sampleSize));
  return results;
}

/** Run one check: count its rows and keep a sample. A check that cannot run is an error, not a pass. */
export async function runCheck(db: DuckDBConnection, c: Check, sampleSize: number): Promise<CheckResult> {
  try {
    const count = await queryRows<{ n: number }>(db, `select count(*) as n from (\n${c.sql}\n) as failures`, c.params);
    const n = count[0].n;
    const sample = n > 0 ? await queryRows(db, `select * from (\n${c.sql}\n) as failures limit ${sampleSize}`, c.params) : [];
    return { model: c.model, check: c.check, status: n > 0 ? "fail" : "pass", failing_rows: n, sample };
  } catch (error) {
    return { model: c.model, check: c.check, status: "error", failing_rows: 0, sample: [], message: (error as Error).message };
  }
}

/** A failure as the CLI prints it: model, check, count, message and sample rows. */
export function formatResult(r: CheckResult): string {
  const head =
    r.status === "warn"
      ? `WARN  ${r.model}: ${r.message}`
      : r.status === "error"
        ? `ERROR ${r.model} ${r.check}: ${r.message}`
        : r.failing_rows === 0
          ? `FAIL  ${r.model} ${r.check}: ${r.message}`
          : `FAIL  ${r.model} ${r.check}: ${r.failing_rows} row${r.failing_rows === 1 ? "" : "s"}${r.message ? ` (${r.message})` : ""}`;
  const rows = r.sample.map((row) => `        ${clip(JSON.stringify(row), 400)}`);
  return [head, ...rows].join("\n");
}

// Wide rows would bury the report; the whole sample is kept in lens_test_results.
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

async function saveResults(db: DuckDBConnection, runId: string, results: CheckResult[]): Promise<void> {
  await db.run(`create table if not exists lens_test_results (
    run_id varchar not null, model varchar not null, "check" varchar not null, status varchar not null,
    failing_rows bigint not null, sample varchar, ran_at timestamptz not null default current_timestamp
  )`);
  // One commit for the whole run, not one (and one WAL sync) per check.
  await db.run("begin transaction");
  try {
    for (const r of results) {
      const sample = r.status === "error" || r.status === "warn" ? JSON.stringify({ message: r.message }) : JSON.stringify(r.sample);
      await db.run(
        `insert into lens_test_results (run_id, model, "check", status, failing_rows, sample) values ($1, $2, $3, $4, $5, $6)`,
        [runId, r.model, r.check, r.status, r.failing_rows, sample],
      );
    }
    await db.run("commit");
  } catch (error) {
    await db.run("rollback");
    throw error;
  }
}
