import type { DuckDBConnection } from "@duckdb/node-api";
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { writeConfigTables } from "../config/config-tables.ts";
import { loadLensConfig, type LensConfig } from "../config/lens-config.ts";
import { openWarehouse, withWarehouseCopy, type Warehouse } from "../warehouse/open.ts";
import { buildModel, ModelBuildError, objectType } from "./build-model.ts";
import { modelHash, quoteTable, tableFingerprint } from "./fingerprint.ts";
import { cachedFingerprints, fileStamp, sameStamp, saveFingerprints, type FileStamp } from "./fingerprint-cache.ts";
import { selectModels } from "./graph.ts";
import { writeLineageTables } from "./lineage-tables.ts";
import type { Model } from "./model.ts";
import { existingTables, readProject } from "./project.ts";
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
  /** Data fingerprint of each loaded (raw_, config_) table the models read, as this run saw it. */
  fingerprints: Map<string, string>;
}

/**
 * `lens build`: build the warehouse at `warehousePath` from the models, in a copy that replaces the
 * file only when every model built, so readers never see a half-built warehouse. On failure the
 * original file is untouched, the error names the model file and line, and `<warehouse>.build-error.json`
 * records it for the data-health page.
 *
 * The plan comes first, on a read-only open: when nothing needs rebuilding the file is not copied;
 * the skipped models are logged in place, in one small transaction.
 */
export async function build(warehousePath: string, options: BuildOptions = {}): Promise<BuildResult> {
  const typesFile = options.typesFile === undefined ? "lib/warehouse/schema.ts" : options.typesFile;
  const errorFile = buildErrorFile(warehousePath);
  const runId = options.runId ?? newRunId();
  const config = options.config ?? loadLensConfig();
  const opts: BuildOptions = { ...options, config, runId };
  const previous = readFailure(errorFile);
  // Fingerprints valid for the file as stamped; reused by the copy only while the file keeps that stamp.
  let known = new Map<string, string>();
  let knownProject: Model[] | undefined;
  let knownStamp: FileStamp | undefined;
  if (!previous) {
    const planned = await planReadOnly(warehousePath, opts, typesFile);
    if (planned?.result) {
      await rm(errorFile, { force: true });
      if (typesFile && planned.types !== undefined) {
        planned.result.typesChanged = await writeTypesFile(typesFile, planned.types);
        if (planned.result.typesChanged) options.log?.(`types: wrote ${typesFile}`);
      }
      return planned.result;
    }
    if (planned) ({ fingerprints: known, project: knownProject, stamp: knownStamp } = planned);
  }
  let types: string | undefined;
  let result: BuildResult;
  try {
    result = await withWarehouseCopy(warehousePath, async (w) => {
      // The copy holds the planned data only if nothing wrote the file since the plan read it.
      const same = sameStamp(knownStamp, fileStamp(warehousePath));
      // The failed build's copy was thrown away; its log line lands with the next good build.
      if (previous) await recordFailure(w.db, previous);
      const r = await buildInto(w.db, same ? { ...opts, knownFingerprints: known, knownProject } : opts);
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
  await saveFingerprints(warehousePath, result.fingerprints);
  await rm(errorFile, { force: true });
  if (typesFile && types !== undefined) {
    result.typesChanged = await writeTypesFile(typesFile, types);
    if (result.typesChanged) options.log?.(`types: wrote ${typesFile}`);
  }
  return result;
}

interface ReadOnlyPlan {
  /** Set when there was nothing to build and the run is complete. */
  result?: BuildResult;
  types?: string;
  fingerprints: Map<string, string>;
  /** The project as read against this file (its parse and source check hold for an exact copy). */
  project: Model[];
  stamp: FileStamp;
}

/**
 * Plan on a read-only open. Returns the finished no-op run when every model is up to date (and the
 * config tables already hold the config), else the fingerprints it computed for the copy to reuse;
 * undefined when it cannot tell (no file, an unsettled WAL, a project error the full build reports).
 */
async function planReadOnly(path: string, options: BuildOptions, typesFile: string | false): Promise<ReadOnlyPlan | undefined> {
  const stamp = fileStamp(path);
  if (!stamp) return undefined;
  const config = options.config!;
  let plan: Plan;
  let types: string | undefined;
  let configCurrent: boolean;
  let w: Warehouse;
  try {
    w = await openWarehouse(path, { readOnly: true });
  } catch {
    return undefined;
  }
  try {
    configCurrent = await configTablesCurrent(w.db, config);
    plan = await planModels(w.db, options, cachedFingerprints(path));
    if (configCurrent && plan.nothingToDo && typesFile) types = await generateTypes(w.db, plan.project);
  } catch {
    return undefined;
  } finally {
    w.close();
  }
  const fingerprints = plan.sources;
  const project = plan.project;
  if (!configCurrent || !plan.nothingToDo) return { fingerprints, project, stamp };
  const logEntries = plan.decisions.map((d): BuildLogEntry => ({ run_id: options.runId!, model: d.model.name, status: "skipped", duration_ms: 0, rows: null, error: null }));
  if (!(await recordInPlace(path, stamp, logEntries, plan.project))) return { fingerprints, project, stamp };
  await saveFingerprints(path, fingerprints);
  const log = options.log ?? (() => {});
  logWarnings(plan.project, log);
  for (const d of plan.decisions) log(`  skipped  ${d.label}  (${d.reason})`);
  const models = plan.decisions.map((d): ModelOutcome => ({ model: d.model.name, file: d.model.file, status: "skipped", reason: d.reason, duration_ms: 0, rows: null }));
  return { result: { runId: options.runId!, models, warnings: plan.warnings, project: plan.project, fingerprints }, types, fingerprints, project, stamp };
}

/**
 * Log a no-op run in the warehouse itself: one small transaction, no copy. False when that cannot be
 * done safely — a reader holds the file, or it changed since the plan — and the caller copies instead.
 */
async function recordInPlace(path: string, stamp: FileStamp, entries: BuildLogEntry[], project: Model[]): Promise<boolean> {
  let w: Warehouse;
  try {
    w = await openWarehouse(path);
  } catch {
    return false;
  }
  try {
    // Holding the write lock now; if anyone wrote between the plan and here, plan again via the copy.
    if (!sameStamp(fileStamp(path), stamp)) return false;
    await w.db.run("begin transaction");
    try {
      await appendBuildLog(w.db, entries);
      await writeLineageTables(w.db, project);
      await w.db.run("commit");
    } catch (error) {
      await w.db.run("rollback");
      throw error;
    }
    await w.db.run("checkpoint");
    return true;
  } finally {
    w.close();
  }
}

/** Whether config_* in `db` already hold what writeConfigTables would write for `config`. */
async function configTablesCurrent(db: DuckDBConnection, config: LensConfig): Promise<boolean> {
  const scratch = await openWarehouse(":memory:");
  try {
    await writeConfigTables(scratch.db, config);
    for (const t of CONFIG_TABLES) {
      if ((await tableFingerprint(scratch.db, t)) !== (await tableFingerprint(db, t))) return false;
    }
    return true;
  } finally {
    scratch.close();
  }
}

const CONFIG_TABLES = ["config_metrics", "config_targets"];

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
export async function buildInto(db: DuckDBConnection, options: BuildOptions & KnownState = {}): Promise<BuildResult> {
  const config = options.config ?? loadLensConfig();
  const log = options.log ?? (() => {});
  const runId = options.runId ?? newRunId();
  await writeConfigTables(db, config);
  await ensureStateTables(db);
  const plan = await planModels(db, { ...options, config }, options.knownFingerprints ?? new Map(), options.knownProject);
  logWarnings(plan.project, log);
  await dropRemovedModels(db, new Set(plan.project.map((m) => m.name)), log);

  const outcomes: ModelOutcome[] = [];
  const logEntries: BuildLogEntry[] = [];
  for (const { model: m, hash, label, reason } of plan.decisions) {
    if (reason) {
      outcomes.push({ model: m.name, file: m.file, status: "skipped", reason, duration_ms: 0, rows: null });
      logEntries.push({ run_id: runId, model: m.name, status: "skipped", duration_ms: 0, rows: null, error: null });
      log(`  skipped  ${label}  (${reason})`);
      continue;
    }
    const started = performance.now();
    let rows: number | undefined;
    try {
      rows = await buildModel(db, m, config);
    } catch (error) {
      log(`  FAILED   ${label}`.trimEnd());
      throw error;
    }
    const duration_ms = Math.round(performance.now() - started);
    await saveModelState(db, { model: m.name, hash, duration_ms, rows: rows ?? null });
    outcomes.push({ model: m.name, file: m.file, status: "built", duration_ms, rows: rows ?? null });
    logEntries.push({ run_id: runId, model: m.name, status: "built", duration_ms, rows: rows ?? null, error: null });
    log(`  built    ${label}  ${(duration_ms / 1000).toFixed(2)} s${rows === undefined ? "  (view)" : `  ${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}`}`);
  }
  await appendBuildLog(db, logEntries);
  await writeLineageTables(db, plan.project);
  return { runId, models: outcomes, warnings: plan.warnings, project: plan.project, fingerprints: plan.sources };
}

/** What a read-only plan of the same file already worked out (only for an exact copy of that file). */
interface KnownState {
  knownFingerprints?: Map<string, string>;
  knownProject?: Model[];
}

/** One model's fate: its hash after this run, and why it is skipped (no reason: it is built). */
interface Decision {
  model: Model;
  hash: string;
  label: string;
  reason?: "unchanged" | "not selected";
}

/** What a build will do, worked out without writing anything. */
interface Plan {
  project: Model[];
  warnings: string[];
  /** Data fingerprint of every loaded (raw_, config_) table a model reads. */
  sources: Map<string, string>;
  decisions: Decision[];
  /** No model to build and no model to drop. */
  nothingToDo: boolean;
}

/**
 * Decide, model by model in build order, what to build: a selected model is built when it is missing
 * or its hash differs from the stored one (always, with fullRefresh). `known` supplies raw_* fingerprints
 * already computed for this data.
 */
async function planModels(db: DuckDBConnection, options: BuildOptions, known: Map<string, string>, knownProject?: Model[]): Promise<Plan> {
  const config = options.config!;
  const project = knownProject ?? (await readProject(db, options.sqlDir ?? "sql", { config }));
  const selected = selectModels(project, options.select);
  const warnings = project
    .filter((m) => !m.contract)
    .map((m) => `${m.file} has no contract; add ${m.contractFile} (description, grain, primary_key, columns)`);
  const state = await readModelState(db);
  const existing = await existingTables(db);
  const sources = new Map<string, string>();
  for (const s of new Set(project.flatMap((m) => m.sources))) {
    sources.set(s, (s.startsWith("raw_") ? known.get(s) : undefined) ?? (await tableFingerprint(db, s)));
  }
  // The hash of what each model's table holds after this run: new if rebuilt, the stored one if not.
  const width = Math.max(0, ...project.map((m) => m.layer.length + m.name.length + 1));
  const held = new Map<string, string>();
  const decisions: Decision[] = [];
  for (const m of project) {
    const hash = modelHash(m, held, sources, config);
    const stored = state.get(m.name);
    const label = `${m.layer}/${m.name}`.padEnd(width);
    if (!selected.has(m.name) || (!options.fullRefresh && existing.has(m.name) && stored === hash)) {
      if (stored !== undefined) held.set(m.name, stored);
      decisions.push({ model: m, hash, label, reason: selected.has(m.name) ? "unchanged" : "not selected" });
    } else {
      held.set(m.name, hash);
      decisions.push({ model: m, hash, label });
    }
  }
  const names = new Set(project.map((m) => m.name));
  const nothingToDo = decisions.every((d) => d.reason) && [...state.keys()].every((n) => names.has(n));
  return { project, warnings, sources, decisions, nothingToDo };
}

function logWarnings(project: Model[], log: (line: string) => void): void {
  const uncontracted = project.filter((m) => !m.contract);
  if (uncontracted.length > 3) {
    // One line, not a screenful: the list is in the result and `lens test` names each one.
    log(`warning: ${uncontracted.length} models have no contract (${uncontracted.map((m) => m.name).join(", ")}); add <name>.yml beside each`);
  } else {
    for (const m of uncontracted) log(`warning: ${m.file} has no contract; add ${m.contractFile} (description, grain, primary_key, columns)`);
  }
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
