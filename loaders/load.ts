import type { DuckDBConnection } from "@duckdb/node-api";
import { randomUUID } from "node:crypto";
import { contractFor, type EntityContract } from "./contract-columns.ts";
import { ruleObject } from "./column-rule.ts";
import { LoadError } from "./load-error.ts";
import type { DatabaseInput, EntityPlan, FileInput, LoadPlan } from "./load-plan.ts";
import { ensureLoadTables } from "./load-tables.ts";
import { ensureRawTables, rawTableName } from "./raw-tables.ts";
import { readFile, sqlName, sqlString, type ReadOptions, type ReadResult } from "./read-file.ts";
import { readDatabase } from "./read-database.ts";
import { sourceColumnOf, typedRowsSql } from "./typed-rows-sql.ts";
import { quarantineRows } from "./quarantine-rows.ts";
import { findDuplicates, quarantineKeyDuplicates } from "./duplicates.ts";
import { upsertRaw } from "./upsert-raw.ts";
import { adoptAsRaw, rawIsEmpty } from "./adopt-raw.ts";
import { queryRows } from "../lib/warehouse/query.ts";

/** One line of the load audit: what happened to one file. */
export interface AuditRow {
  load_id: string;
  entity: string;
  source: string;
  /** The file path, or the database source's label. */
  file: string;
  rows_read: number;
  rows_loaded: number;
  rows_quarantined: number;
  duplicates_dropped: number;
  started_at: string;
  finished_at: string;
}

/** What a load did. */
export interface LoadSummary {
  loadId: string;
  audit: AuditRow[];
  /** Quarantine rows written (one per failed row and column). */
  quarantineRows: number;
  /** Raw rows inserted or replaced (unchanged rows are left alone). */
  rowsChanged: number;
  /** The raw tables that gained or replaced rows (the others are exactly as they were). */
  changedTables: string[];
}

/** Progress of one input, for a progress bar: `step` of `steps`. */
export interface LoadProgress {
  entity: string;
  input: string;
  step: number;
  steps: number;
  phase: "read" | "validate" | "stage" | "done";
}

export interface LoadOptions {
  onProgress?: (p: LoadProgress) => void;
  /** The load's timestamp (tests pin it); defaults to now. */
  now?: Date;
  loadId?: string;
}

interface InputStats {
  label: string;
  index: number;
  rowsRead: number;
  started: string;
  /** The input's typed rows (contract columns, _line, _ok, _errors). */
  typed: string;
  /** Rows that met the contract (before duplicates were dropped). */
  ok: number;
  /** Rows that did not (malformed lines not included). */
  bad: number;
}

const STEPS = 3;

/**
 * Load every entity of the plan into its raw_<entity> table: read, check against the contract,
 * quarantine what breaks it, drop exact duplicates, keep the last of rows sharing a key, and upsert on the
 * contract key. Writes load_quarantine and load_audit. Throws LoadError on file-level problems; run it
 * inside withWarehouseCopy so such a failure leaves the warehouse as it was.
 */
export async function load(db: DuckDBConnection, plan: LoadPlan, options: LoadOptions = {}): Promise<LoadSummary> {
  await ensureRawTables(db);
  await ensureLoadTables(db);
  const loadId = options.loadId ?? randomUUID();
  const now = localTimestamp(options.now ?? new Date());
  const summary: LoadSummary = { loadId, audit: [], quarantineRows: 0, rowsChanged: 0, changedTables: [] };
  for (const entityPlan of plan.entities) {
    const result = await loadEntity(db, entityPlan, loadId, now, options);
    summary.audit.push(...result.audit);
    summary.quarantineRows += result.quarantineRows;
    summary.rowsChanged += result.rowsChanged;
    if (result.rowsChanged > 0) summary.changedTables.push(rawTableName(entityPlan.entity));
  }
  return summary;
}

async function loadEntity(
  db: DuckDBConnection,
  plan: EntityPlan,
  loadId: string,
  now: string,
  options: LoadOptions,
): Promise<{ audit: AuditRow[]; quarantineRows: number; rowsChanged: number }> {
  const contract = contractFor(plan.entity);
  for (const name of Object.keys(plan.columns)) {
    if (!contract.columns.some((c) => c.name === name)) {
      throw new LoadError(plan.source, `entity ${plan.entity} has no column "${name}"; its columns are ${contract.columns.map((c) => c.name).join(", ")}`);
    }
  }
  const cols = contract.columns.map((c) => sqlName(c.name));
  const quarantineBefore = await countQuarantine(db, loadId);
  const inputs: InputStats[] = [];
  const typedTables: string[] = [];
  const cleanups: string[] = [];
  // Derived columns may number rows by `_line` (window functions), so they need the line numbers before typing;
  // everything else is typed and checked while the file is read, without a text copy of it.
  const derived = Object.values(plan.columns).some((rule) => ruleObject(rule).sql !== undefined);
  // A first load of a single file types its rows straight into a persistent table shaped like the raw table, which
  // then becomes the raw table (adoptAsRaw): the rows are written once, not into a temporary table and again into
  // the raw table. Only an empty raw table can be replaced so; otherwise the rows are upserted.
  const direct = !derived && plan.inputs.length === 1 && plan.inputs[0].kind === "file" && (await rawIsEmpty(db, contract));
  let adoptable: string | undefined;
  try {
    for (const [index, input] of plan.inputs.entries()) {
      const label = input.kind === "file" ? input.path : input.label;
      const progress = (step: number, phase: LoadProgress["phase"]) => options.onProgress?.({ entity: plan.entity, input: label, step, steps: STEPS, phase });
      const started = localTimestamp(new Date());
      progress(0, "read");
      const check = (columns: string[]) => checkColumns(contract, plan, columns, label);
      const raw = direct ? { source: label, loadedAt: now } : undefined;
      const transform = derived
        ? undefined
        : (source: string, columns: string[], target: string) => typedRowsSql(contract, plan.columns, source, columns, target, { line: false, errors: true, raw });
      const read = await readInput(db, input, `_read_${plan.entity}_${index}`, check, transform, direct);
      try {
        progress(1, "validate");
        check(read.columns);
        let typed = read.table;
        if (direct && read.transformed) adoptable = typed;
        if (!read.transformed) {
          typed = `_typed_${plan.entity}_${index}`;
          await db.run(typedRowsSql(contract, plan.columns, read.table, read.columns, typed, { errors: true }));
          typedTables.push(typed);
        }
        progress(2, "stage");
        const counts = await quarantineRows(db, typed, read.malformed, { loadId, entity: plan.entity, source: plan.source, file: label, now });
        inputs.push({ label, index, rowsRead: read.rowsRead, started, typed, ok: counts.ok, bad: counts.bad });
      } finally {
        // Transformed rows are the typed rows: they stay until the entity is loaded.
        if (read.transformed) cleanups.push(read.cleanup);
        else await db.run(read.cleanup);
      }
      progress(STEPS, "done");
    }

    if (inputs.length === 0) return { audit: [], quarantineRows: 0, rowsChanged: 0 };
    // Every input's good rows, without copying them.
    const stage = `_stage_${plan.entity}`;
    await db.run(
      `create or replace temp view ${stage} as ${inputs
        .map((s) => `select ${s.index}::integer as _input, ${sqlString(s.label)} as _source, _line, ${cols.join(", ")} from ${s.typed} where _ok`)
        .join("\nunion all ")}`,
    );

    const dups = `_dups_${plan.entity}`;
    await findDuplicates(db, contract, stage, dups);
    await quarantineKeyDuplicates(db, contract, dups, { loadId, entity: plan.entity, source: plan.source, now });
    // Per input: rows left out (exact copies and key losers), and the exact copies among them.
    const perInput = await queryRows<{ _input: number; dropped: number; copies: number }>(
      db,
      `select _input, count(*) as dropped, count(*) filter (_copy > 1) as copies from ${dups} group by _input`,
    );
    const dropped = perInput.reduce((n, p) => n + p.dropped, 0);
    let rowsChanged: number;
    if (adoptable) {
      await adoptAsRaw(db, contract, adoptable, { failed: inputs[0].bad > 0, duplicates: dropped > 0 ? dups : undefined });
      rowsChanged = inputs[0].ok - dropped;
    } else {
      const kept = `_kept_${plan.entity}`;
      await db.run(
        dropped === 0
          ? `create or replace temp view ${kept} as select * from ${stage}`
          : `create or replace temp view ${kept} as select s.* from ${stage} s anti join ${dups} d on s._input = d._input and s._line = d._line`,
      );
      rowsChanged = await upsertRaw(db, contract, kept, now);
      await db.run(`drop view ${kept}`);
    }

    const audit: AuditRow[] = [];
    for (const s of inputs) {
      const [{ bad }] = await queryRows<{ bad: number }>(
        db,
        "select count(distinct line) as bad from load_quarantine where load_id = $1 and entity = $2 and source = $3 and file = $4",
        [loadId, plan.entity, plan.source, s.label],
      );
      const row: AuditRow = {
        load_id: loadId,
        entity: plan.entity,
        source: plan.source,
        file: s.label,
        rows_read: s.rowsRead,
        rows_loaded: s.ok - (perInput.find((p) => p._input === s.index)?.dropped ?? 0),
        rows_quarantined: bad,
        duplicates_dropped: perInput.find((p) => p._input === s.index)?.copies ?? 0,
        started_at: s.started,
        finished_at: localTimestamp(new Date()),
      };
      if (row.rows_read !== row.rows_loaded + row.rows_quarantined + row.duplicates_dropped) {
        throw new Error(
          `internal error: counts do not reconcile for ${s.label}: read ${row.rows_read} ≠ loaded ${row.rows_loaded} + quarantined ${row.rows_quarantined} + duplicates ${row.duplicates_dropped}`,
        );
      }
      await db.run(`insert into load_audit values ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamp, $10::timestamp)`, [
        row.load_id,
        row.entity,
        row.source,
        row.file,
        row.rows_read,
        row.rows_loaded,
        row.rows_quarantined,
        row.duplicates_dropped,
        row.started_at,
        row.finished_at,
      ]);
      audit.push(row);
    }
    await db.run(`drop table ${dups}; drop view ${stage}`);
    return { audit, quarantineRows: (await countQuarantine(db, loadId)) - quarantineBefore, rowsChanged };
  } finally {
    for (const t of typedTables) await db.run(`drop table if exists ${t}`);
    for (const c of cleanups) await db.run(c);
  }
}

async function readInput(
  db: DuckDBConnection,
  input: FileInput | DatabaseInput,
  table: string,
  checkColumns: (columns: string[]) => void,
  transform: ReadOptions["transform"],
  lineInPlace: boolean,
): Promise<ReadResult> {
  if (input.kind === "file") return readFile(db, input.path, input.format, table, { checkColumns, transform, lineInPlace });
  return readDatabase(db, input, table);
}

/** Stop before reading rows when a required column (or a column a rule names) is not in the source. */
function checkColumns(contract: EntityContract, plan: EntityPlan, columns: string[], label: string): void {
  const have = new Set(columns.map((c) => c.toLowerCase()));
  const missing: string[] = [];
  for (const column of contract.columns) {
    const rule = plan.columns[column.name];
    const from = sourceColumnOf(column, ruleObject(rule));
    if (from === undefined || have.has(from.toLowerCase())) continue;
    if (column.required || rule !== undefined) missing.push(from === column.name ? from : `${from} (for ${column.name})`);
  }
  if (missing.length > 0) {
    throw new LoadError(
      label,
      `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; the file has ${columns.join(", ") || "no columns"}. ` +
        `Rename the column in the file or map it in a --config file (see docs/loading.md).`,
    );
  }
}

async function countQuarantine(db: DuckDBConnection, loadId: string): Promise<number> {
  return (await queryRows<{ n: number }>(db, "select count(*) as n from load_quarantine where load_id = $1", [loadId]))[0].n;
}

/** A Date as a local (Asia/Shanghai session) timestamp string DuckDB casts to TIMESTAMP. */
function localTimestamp(d: Date): string {
  const s = d.toLocaleString("sv-SE", { timeZone: "Asia/Shanghai", hour12: false });
  return `${s}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}
