import type { DuckDBConnection } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { loadLensConfig, type LensConfig } from "../config/lens-config.ts";
import { openWarehouse } from "../warehouse/open.ts";
import { queryRows } from "../warehouse/query.ts";
import { tallyChecks } from "./batched-checks.ts";
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
  /** Connections to the same database that test one model each at the same time (default: only `db`). */
  connections?: DuckDBConnection[];
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
  const config = options.config ?? loadLensConfig();
  const w = await openWarehouse(warehousePath, { memoryLimit: config.memory_limit });
  // Taken while holding the write lock: test results are all this run writes, so the loaded tables'
  // fingerprints recorded for the file before it stay valid after it.
  const before = fileStamp(warehousePath);
  const more: DuckDBConnection[] = [];
  try {
    // One model per core, each query single-threaded: measured at l, this costs ~12% less CPU than one
    // model at a time on every core (the big distinct counts skip merging per-thread hash tables).
    const [{ threads }] = await queryRows<{ threads: number }>(w.db, "select current_setting('threads') as threads");
    await w.db.run("set threads = 1");
    for (let i = 1; i < threads; i++) more.push(await w.instance.connect());
    return await testInto(w.db, { ...options, config, connections: [w.db, ...more] });
  } finally {
    for (const c of more) c.closeSync();
    w.close();
    await carryFingerprints(warehousePath, before);
  }
}

/**
 * Run every contract check of the selected models in `db`: primary key unique and not null, column
 * not_null / unique / accepted_values / relationships, contract columns that the table lacks, and
 * the free SQL assertions. Records each result in `lens_test_results`, in project order. The cheap
 * checks of a model share one scan (see tallyChecks); with `options.connections`, several models are
 * tested at once.
 */
export async function testInto(db: DuckDBConnection, options: TestOptions = {}): Promise<TestReport> {
  const config = options.config ?? loadLensConfig();
  const log = options.log ?? (() => {});
  const sampleSize = options.sampleSize ?? 5;
  const runId = newRunId();
  const project = await readProject(db, options.sqlDir ?? "sql", { config });
  const selected = selectModels(project, options.select);
  const models = project.filter((p) => selected.has(p.name));
  const { columns, rows } = await readCatalog(db);
  const queue = longestFirst(models, rows);
  const byModel = new Map<string, CheckResult[]>();
  const workers = (options.connections ?? [db]).map(async (c) => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      byModel.set(m.name, await testModel(c, m, columns.get(m.name), sampleSize, options.strict ?? false));
    }
  });
  // Let every worker finish its query before reporting a failure: the caller closes the connections.
  const failed = (await Promise.allSettled(workers)).find((w) => w.status === "rejected");
  if (failed) throw failed.reason;
  const results = models.flatMap((m) => byModel.get(m.name) ?? []);
  for (const r of results) if (r.status !== "pass") log(formatResult(r));
  await saveResults(db, runId, results);
  const failures = results.filter((r) => r.status === "fail" || r.status === "error");
  return { runId, results, failures, ok: failures.length === 0 };
}

/** The columns of every table and view in the warehouse, and the tables' row counts (estimated). */
async function readCatalog(db: DuckDBConnection): Promise<{ columns: Map<string, Set<string>>; rows: Map<string, number> }> {
  // One catalog read for the whole run: two information_schema queries per model cost ~0.5 s at l.
  const inMain = "database_name = current_database() and schema_name = 'main'";
  const names = await queryRows<{ name: string; column: string }>(
    db,
    `select table_name as name, column_name as column from duckdb_columns() where ${inMain}`,
  );
  const columns = new Map<string, Set<string>>();
  for (const r of names) columns.set(r.name, (columns.get(r.name) ?? new Set()).add(r.column));
  const sizes = await queryRows<{ name: string; n: number }>(db, `select table_name as name, estimated_size as n from duckdb_tables() where ${inMain}`);
  return { columns, rows: new Map(sizes.map((r) => [r.name, r.n])) };
}

/**
 * Models in the order to start them when several run at once, so that no long one starts last and
 * leaves a core idle: views first (each scan recomputes them, and they are the fan-outs and the
 * 10M-row staging views), then tables by size.
 */
function longestFirst(models: Model[], rows: Map<string, number>): Model[] {
  const weight = (m: Model) => rows.get(m.name) ?? Number.MAX_SAFE_INTEGER;
  return [...models].sort((a, b) => weight(b) - weight(a));
}

/** `actual`: the model's columns in the warehouse, undefined when it is not there. */
async function testModel(
  db: DuckDBConnection,
  m: Model,
  actual: Set<string> | undefined,
  sampleSize: number,
  strict: boolean,
): Promise<CheckResult[]> {
  const base = { model: m.name, failing_rows: 0, sample: [] };
  if (actual === undefined) {
    return [{ ...base, check: "built", status: "error", message: `${m.name} is not in the warehouse; run lens build first` }];
  }
  if (!m.contract) {
    return [{ ...base, check: "contract", status: strict ? "fail" : "warn", message: `${m.file} has no contract ${m.contractFile}` }];
  }
  const results: CheckResult[] = [];
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
  const checks = contractChecks(m);
  const tallies = await tallyChecks(db, m.name, checks);
  for (const [i, c] of checks.entries()) {
    // A zero tally is the pass the check's own query would find; anything else runs that query for the
    // exact count, the sample or the error.
    results.push(tallies[i] === 0 ? { ...base, check: c.check, status: "pass" } : await runCheck(db, c, sampleSize));
  }
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
