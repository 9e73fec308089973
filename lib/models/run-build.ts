import type { DuckDBConnection } from "@duckdb/node-api";
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { writeConfigTables } from "../config/config-tables.ts";
import { loadLensConfig, type LensConfig } from "../config/lens-config.ts";
import { withWarehouseCopy } from "../warehouse/open.ts";
import { buildModel, ModelBuildError, objectType } from "./build-model.ts";
import { modelHash, quoteTable, tableFingerprint } from "./fingerprint.ts";
import { selectModels } from "./graph.ts";
import { writeLineageTables } from "./lineage-tables.ts";
import type { Model } from "./model.ts";
import { readProject } from "./project.ts";
import { appendBuildLog, ensureStateTables, newRunId, pruneModelState, readModelState, saveModelState, type BuildLogEntry } from "./state.ts";
import { generateTypes, writeTypesFile } from "./types-gen.ts";

/** What `lens build` may be told. */
export interface BuildOptions {
  /** Model folder (default "sql"). */
  sqlDir?: string;
  /** Project config (default: lens.config.json, or defaults). */
  config?: LensConfig;
  /** `--select` values: `name`, `name+`, `+name`, a folder name. Default: every model. */
  select?: string[];
  /** Rebuild selected models even when unchanged. */
  fullRefresh?: boolean;
  /** Where to write the generated Kysely types; false to skip (default lib/warehouse/schema.ts). */
  typesFile?: string | false;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Id of this run in lens_build_log (default: a new one). */
  runId?: string;
}

/** What happened to one model. */
export interface ModelOutcome {
  model: string;
  file: string;
  status: "built" | "skipped";
  /** Why it was skipped: unchanged, or not selected. */
  reason?: "unchanged" | "not selected";
  duration_ms: number;
  rows: number | null;
}

/** The result of a successful build. */
export interface BuildResult {
  runId: string;
  models: ModelOutcome[];
  /** Non-fatal problems, e.g. models without a contract. */
  warnings: string[];
  /** The project as read, in build order. */
  project: Model[];
  /** Whether the types file changed (undefined when not written). */
  typesChanged?: boolean;
}

/**
 * `lens build`: build the warehouse at `warehousePath` from the models, in a copy that replaces the
 * file only when every model built, so readers never see a half-built warehouse. On failure the
 * original file is untouched, the error names the model file and line, and `<warehouse>.build-error.json`
 * records it for the data-health page.
 */
export async function build(warehousePath: string, options: BuildOptions = {}): Promise<BuildResult> {
  const typesFile = options.typesFile === undefined ? "lib/warehouse/schema.ts" : options.typesFile;
  const errorFile = buildErrorFile(warehousePath);
  const runId = newRunId();
  const previous = readFailure(errorFile);
  let types: string | undefined;
  let result: BuildResult;
  try {
    result = await withWarehouseCopy(warehousePath, async (w) => {
      // The failed build's copy was thrown away; its log line lands with the next good build.
      if (previous) await recordFailure(w.db, previous);
      const r = await buildInto(w.db, { ...options, runId });
      if (typesFile) types = await generateTypes(w.db, r.project);
      return r;
    });
  } catch (error) {
    const e = error as Error;
    const failure: BuildFailure = {
      run_id: runId,
      failed_at: new Date().toISOString(),
      model: e instanceof ModelBuildError ? e.model : null,
      file: e instanceof ModelBuildError ? e.file : null,
      line: e instanceof ModelBuildError ? (e.line ?? null) : null,
      error: e.message,
    };
    await writeFile(errorFile, `${JSON.stringify(failure, null, 2)}\n`);
    throw error;
  }
  await rm(errorFile, { force: true });
  if (typesFile && types !== undefined) {
    result.typesChanged = await writeTypesFile(typesFile, types);
    if (result.typesChanged) options.log?.(`types: wrote ${typesFile}`);
  }
  return result;
}

/** Where a failed build is recorded until the next good one: `<warehouse>.build-error.json`. */
export function buildErrorFile(warehousePath: string): string {
  return `${warehousePath}.build-error.json`;
}

/** The last failed build, as recorded beside the warehouse. */
export interface BuildFailure {
  run_id: string;
  failed_at: string;
  /** The model that failed, or null when the project itself could not be read (cycle, missing table…). */
  model: string | null;
  file: string | null;
  line: number | null;
  error: string;
}

function readFailure(file: string): BuildFailure | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as BuildFailure;
  } catch {
    return undefined;
  }
}

async function recordFailure(db: DuckDBConnection, f: BuildFailure): Promise<void> {
  await ensureStateTables(db);
  await appendBuildLog(db, [{ run_id: f.run_id, model: f.model ?? "(project)", status: "failed", duration_ms: 0, rows: null, error: f.error }]);
}

/**
 * Build into an open warehouse: write the config tables, then build each selected model whose hash
 * (file, contract, upstream, source data) differs from the one it was last built from. Throws
 * ModelBuildError at the first failing model.
 */
export async function buildInto(db: DuckDBConnection, options: BuildOptions = {}): Promise<BuildResult> {
  const config = options.config ?? loadLensConfig();
  const log = options.log ?? (() => {});
  const runId = options.runId ?? newRunId();
  await writeConfigTables(db, config);
  await ensureStateTables(db);
  const project = await readProject(db, options.sqlDir ?? "sql", { config });
  const selected = selectModels(project, options.select);
  const warnings = project
    .filter((m) => !m.contract)
    .map((m) => `${m.file} has no contract; add ${m.contractFile} (description, grain, primary_key, columns)`);
  const uncontracted = project.filter((m) => !m.contract);
  if (uncontracted.length > 3) {
    // One line, not a screenful: the list is in the result and `lens test` names each one.
    log(`warning: ${uncontracted.length} models have no contract (${uncontracted.map((m) => m.name).join(", ")}); add <name>.yml beside each`);
  } else {
    for (const w of warnings) log(`warning: ${w}`);
  }

  await dropRemovedModels(db, new Set(project.map((m) => m.name)), log);
  const state = await readModelState(db);
  const sources = new Map<string, string>();
  for (const s of new Set(project.flatMap((m) => m.sources))) sources.set(s, await tableFingerprint(db, s));

  // The hash of what each model's table holds after this run: new if rebuilt, the stored one if not.
  const width = Math.max(0, ...project.map((m) => m.layer.length + m.name.length + 1));
  const label = (m: Model) => `${m.layer}/${m.name}`.padEnd(width);
  const held = new Map<string, string>();
  const outcomes: ModelOutcome[] = [];
  const logEntries: BuildLogEntry[] = [];
  for (const m of project) {
    const hash = modelHash(m, held, sources, config);
    const exists = (await objectType(db, m.name)) !== undefined;
    const stored = state.get(m.name);
    if (!selected.has(m.name) || (!options.fullRefresh && exists && stored === hash)) {
      const reason = selected.has(m.name) ? "unchanged" : "not selected";
      if (stored !== undefined) held.set(m.name, stored);
      outcomes.push({ model: m.name, file: m.file, status: "skipped", reason, duration_ms: 0, rows: null });
      logEntries.push({ run_id: runId, model: m.name, status: "skipped", duration_ms: 0, rows: null, error: null });
      log(`  skipped  ${label(m)}  (${reason})`);
      continue;
    }
    const started = performance.now();
    let rows: number | undefined;
    try {
      rows = await buildModel(db, m, config);
    } catch (error) {
      log(`  FAILED   ${label(m)}`.trimEnd());
      throw error;
    }
    const duration_ms = Math.round(performance.now() - started);
    held.set(m.name, hash);
    await saveModelState(db, { model: m.name, hash, duration_ms, rows: rows ?? null });
    outcomes.push({ model: m.name, file: m.file, status: "built", duration_ms, rows: rows ?? null });
    logEntries.push({ run_id: runId, model: m.name, status: "built", duration_ms, rows: rows ?? null, error: null });
    log(`  built    ${label(m)}  ${(duration_ms / 1000).toFixed(2)} s${rows === undefined ? "  (view)" : `  ${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}`}`);
  }
  await appendBuildLog(db, logEntries);
  await writeLineageTables(db, project);
  return { runId, models: outcomes, warnings, project };
}

// A model whose file was deleted should not linger in the warehouse, read by no one and wrong.
async function dropRemovedModels(db: DuckDBConnection, keep: Set<string>, log: (line: string) => void): Promise<void> {
  const state = await readModelState(db);
  for (const name of state.keys()) {
    if (keep.has(name)) continue;
    const t = await objectType(db, name);
    if (t === "VIEW") await db.run(`drop view ${quoteTable(name)}`);
    else if (t !== undefined) await db.run(`drop table ${quoteTable(name)}`);
    log(`  dropped  ${name}  (its model file is gone)`);
  }
  await pruneModelState(db, keep);
}
