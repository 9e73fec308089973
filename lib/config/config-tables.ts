import type { DuckDBConnection } from "@duckdb/node-api";
import type { LensConfig } from "./lens-config.ts";

/**
 * Write the metric definitions into the warehouse as `config_metrics` (one row, one column per
 * setting) so SQL models read thresholds with a plain join instead of templating.
 */
export async function writeConfigTables(db: DuckDBConnection, config: LensConfig): Promise<void> {
  const entries = Object.entries(config.metrics);
  const cols = entries.map(([k, v]) => `$${k}::${Number.isInteger(v) ? "bigint" : "double"} as "${k}"`).join(", ");
  await db.run(`create or replace table config_metrics as select ${cols}`, Object.fromEntries(entries));
}
