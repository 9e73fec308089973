import type { DuckDBConnection } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { listValue } from "./duckdb.ts";
import { queryRows } from "./query.ts";

/**
 * Run `write`, which (re)creates `tables`, unless they all exist and were last written from the same
 * `content`. A hash of the content is kept as the comment of the first table. For tables every build
 * writes (config, lineage): rewriting unchanged ones cost a no-op build a tenth of its time (the writes
 * and the checkpoint after them).
 */
export async function rewriteWhenChanged(db: DuckDBConnection, tables: string[], content: unknown, write: () => Promise<void>): Promise<void> {
  const hash = `lens ${createHash("sha256").update(JSON.stringify(content)).digest("hex")}`;
  const present = await queryRows<{ table_name: string; comment: string | null }>(
    db,
    "select table_name, comment from duckdb_tables() where database_name = current_database() and schema_name = 'main' and list_contains($1, table_name)",
    [listValue(tables)],
  );
  if (present.length === tables.length && present.find((t) => t.table_name === tables[0])?.comment === hash) return;
  await write();
  // The hash is hex: nothing in it needs quoting.
  await db.run(`comment on table "${tables[0]}" is '${hash}'`);
}
