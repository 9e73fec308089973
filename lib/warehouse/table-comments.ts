import type { DuckDBConnection } from "@duckdb/node-api";
import { listValue } from "./duckdb.ts";
import { queryRows } from "./query.ts";

/**
 * The comments of the named tables of the warehouse's main schema (null for a table without one); a table
 * that does not exist is absent from the map. Lens writes a hash of what a table holds into the comment of
 * tables it rewrites on every build, so an unchanged one can be left alone.
 */
export async function tableComments(db: DuckDBConnection, names: string[]): Promise<Map<string, string | null>> {
  const rows = await queryRows<{ table_name: string; comment: string | null }>(
    db,
    "select table_name, comment from duckdb_tables() where database_name = current_database() and schema_name = 'main' and list_contains($1, table_name)",
    [listValue(names)],
  );
  return new Map(rows.map((r) => [r.table_name, r.comment]));
}
