import type { DuckDBConnection } from "@duckdb/node-api";
import { entityContracts, type EntityContract } from "./contract-columns.ts";

/** The warehouse table that holds an entity's loaded rows. */
export function rawTableName(entity: string): string {
  return `raw_${entity}`;
}

/** Columns every raw table carries besides the contract's: where each row came from. */
export const LINEAGE_COLUMNS = [
  { name: "_source", type: "varchar", description: "Source name: the file path, or the database query label." },
  { name: "_line", type: "bigint", description: "Line number of the row in its text file (1-based, header is line 1; a row spanning lines has the line it starts on); 1-based row number for Parquet files and database sources." },
  { name: "_loaded_at", type: "timestamp", description: "When the load that wrote this row ran." },
] as const;

/**
 * DDL for an entity's raw table. The contract key is unique because the loader makes it so (it keeps one
 * row per key and replaces changed rows); no PRIMARY KEY index, because building that index costs more than
 * the rest of a 10-million-row load. `lens test` and the load tests check the key.
 */
export function rawTableDdl(contract: EntityContract): string {
  const cols = contract.columns.map((c) => `"${c.name}" ${c.type}${c.required ? " not null" : ""}`);
  for (const c of LINEAGE_COLUMNS) cols.push(`"${c.name}" ${c.type}`);
  return `create table if not exists ${rawTableName(contract.entity)} (\n  ${cols.join(",\n  ")}\n)`;
}

/** Create every raw table that does not exist yet, so models build even when a source has no file. */
export async function ensureRawTables(db: DuckDBConnection): Promise<void> {
  for (const contract of entityContracts) await db.run(rawTableDdl(contract));
}
