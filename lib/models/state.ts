import type { DuckDBConnection } from "@duckdb/node-api";

/** What the warehouse holds for one model: the hash it was built from and when. */
export interface ModelState {
  model: string;
  hash: string;
  built_at: string;
  duration_ms: number;
  rows: number | null;
}

/** One line of `lens_build_log`: what a build did with a model. */
export interface BuildLogEntry {
  run_id: string;
  model: string;
  status: "built" | "skipped" | "failed";
  duration_ms: number;
  rows: number | null;
  error: string | null;
}

/** Create the runner's bookkeeping tables when missing. */
export async function ensureStateTables(db: DuckDBConnection): Promise<void> {
  await db.run(`create table if not exists lens_model_state (
    model varchar primary key, hash varchar not null, built_at timestamptz not null, duration_ms bigint not null, rows bigint
  )`);
  await db.run(`create table if not exists lens_build_log (
    run_id varchar not null, model varchar not null, status varchar not null, duration_ms bigint not null,
    rows bigint, error varchar, logged_at timestamptz not null default current_timestamp
  )`);
}

/** Hash each model was last built from. */
export async function readModelState(db: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await db.runAndReadAll("select model, hash from lens_model_state");
  return new Map(reader.getRows().map(([m, h]) => [String(m), String(h)]));
}

/** Record that `model` now holds what `hash` describes. */
export async function saveModelState(db: DuckDBConnection, s: Omit<ModelState, "built_at">): Promise<void> {
  await db.run(
    `insert or replace into lens_model_state (model, hash, built_at, duration_ms, rows) values ($1, $2, current_timestamp, $3, $4)`,
    [s.model, s.hash, s.duration_ms, s.rows],
  );
}

/** Forget models whose files are gone, so a re-added file builds again. */
export async function pruneModelState(db: DuckDBConnection, keep: Set<string>): Promise<void> {
  const state = await readModelState(db);
  for (const m of state.keys()) if (!keep.has(m)) await db.run("delete from lens_model_state where model = $1", [m]);
}

/** Append build log lines. */
export async function appendBuildLog(db: DuckDBConnection, entries: BuildLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // One statement: a row per insert would be a commit per model.
  const tuples = entries.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`);
  await db.run(
    `insert into lens_build_log (run_id, model, status, duration_ms, rows, error) values ${tuples.join(", ")}`,
    entries.flatMap((e) => [e.run_id, e.model, e.status, e.duration_ms, e.rows, e.error]),
  );
}

/** A sortable, unique id for one build or test run. */
export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${Math.random().toString(36).slice(2, 6)}`;
}
