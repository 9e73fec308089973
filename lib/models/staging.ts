import type { DuckDBConnection } from "@duckdb/node-api";
import type { LensConfig } from "../config/lens-config.ts";
import { CONFIG_TABLES } from "../config/config-tables.ts";
import { queryRows } from "../warehouse/query.ts";
import { createModel, dropObject } from "./build-model.ts";
import type { Model } from "./model.ts";

// Why staging instead of one transaction around the whole build: DuckDB scans a table created in the
// still-open transaction with one thread (its row groups are transaction-local), so in a one-transaction
// build every model that reads a model built before it ran on one core. A full build at l took 44–47 s
// that way and 38.5–41 s with each table committed as it is built (docs/scaling.md, fifth pass).

/** Prefix of the committed tables a build writes before it swaps them in. */
export const STAGING_PREFIX = "__lens_next_";

/** The staging table of model `name`. */
export function stagingName(name: string): string {
  return `${STAGING_PREFIX}${name}`;
}

/** Drop staging tables a build left behind (a crash, a kill): they are never part of the warehouse. */
export async function dropStagingTables(db: DuckDBConnection): Promise<void> {
  const rows = await queryRows<{ table_name: string }>(
    db,
    "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main' and starts_with(table_name, $1)",
    [STAGING_PREFIX],
  );
  for (const { table_name } of rows) await db.run(`drop table ${await storedTable(db, table_name)}`);
}

/**
 * Build model `m` so that later models on this connection read the new version while every stored object
 * stays as it was: a table model becomes the committed table `__lens_next_<name>`, shadowed by a temporary
 * view `<name>` over it; a view model becomes a temporary view. Returns the row count of a table.
 */
export async function stageModel(db: DuckDBConnection, m: Model, config: LensConfig): Promise<number | undefined> {
  if (m.materialized === "view") {
    await db.run(`drop view if exists temp.main."${m.name}"`);
    return createModel(db, m, config, m.name, "temp view");
  }
  // No staging table exists here: buildInto drops leftovers before the first model.
  const staged = stagingName(m.name);
  const rows = await createModel(db, m, config, staged, "table");
  await db.run(`create or replace temp view "${m.name}" as select * from ${await storedTable(db, staged)}`);
  return rows;
}

/**
 * Drop this connection's temporary shadows (the staged models' views and the config tables), so that
 * names resolve to stored objects again. Call before publishing, and after a failed build.
 */
export async function dropShadows(db: DuckDBConnection): Promise<void> {
  const rows = await queryRows<{ table_name: string; table_type: string }>(
    db,
    "select table_name, table_type from information_schema.tables where table_catalog = 'temp' and table_schema = 'main'",
  );
  const config = new Set<string>(CONFIG_TABLES);
  for (const { table_name, table_type } of rows) {
    if (table_type === "VIEW") await db.run(`drop view temp.main."${table_name}"`);
    else if (config.has(table_name)) await db.run(`drop table temp.main."${table_name}"`);
  }
}

/**
 * Replace the stored object of model `m` with what stageModel built: rename the staging table, or create
 * the view. Meant to run inside the transaction that publishes a whole build, after dropShadows.
 */
export async function publishModel(db: DuckDBConnection, m: Model): Promise<void> {
  await dropObject(db, m.name);
  if (m.materialized === "view") await db.run(`create view "${m.name}" as ${m.sql}`);
  else await db.run(`alter table ${await storedTable(db, stagingName(m.name))} rename to "${m.name}"`);
}

// `main.x` alone would find a temporary object of that name first (temp has a schema main too).
async function storedTable(db: DuckDBConnection, name: string): Promise<string> {
  const [{ db: catalog }] = await queryRows<{ db: string }>(db, "select current_database() as db");
  return `"${catalog.replaceAll('"', '""')}".main."${name}"`;
}
