import type { DuckDBConnection } from "@duckdb/node-api";

/** Every row that broke its contract: one row per failed (row, column). */
export const QUARANTINE_DDL = `create table if not exists load_quarantine (
  load_id varchar not null,
  entity varchar not null,
  source varchar not null,
  file varchar,
  line bigint,
  "column" varchar,
  value varchar,
  reason varchar not null,
  loaded_at timestamp not null
)`;

/** One row per file (or database source) per load: rows_read = rows_loaded + rows_quarantined + duplicates_dropped. */
export const AUDIT_DDL = `create table if not exists load_audit (
  load_id varchar not null,
  entity varchar not null,
  source varchar not null,
  file varchar,
  rows_read bigint not null,
  rows_loaded bigint not null,
  rows_quarantined bigint not null,
  duplicates_dropped bigint not null,
  started_at timestamp not null,
  finished_at timestamp not null
)`;

/** Create the quarantine and audit tables if they are missing. */
export async function ensureLoadTables(db: DuckDBConnection): Promise<void> {
  await db.run(QUARANTINE_DDL);
  await db.run(AUDIT_DDL);
}
