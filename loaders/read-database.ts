import type { DuckDBConnection } from "@duckdb/node-api";
import type { DatabaseInput } from "./load-plan.ts";
import type { ReadResult } from "./read-file.ts";
import { readPostgres } from "./read-postgres.ts";

/** Read a database table or query like a file: VARCHAR columns plus `_line` (the row number). */
export async function readDatabase(db: DuckDBConnection, input: DatabaseInput, table: string): Promise<ReadResult> {
  const { rows, columns } = await readPostgres(db, { connection: input.connection, table: input.table, query: input.query, label: input.label }, table);
  // A database hands over typed rows, so nothing is malformed at this stage; contract checks still apply.
  await db.run(`create or replace temp table ${table}_malformed (_line bigint, value varchar, reason varchar)`);
  return { table, malformed: `${table}_malformed`, columns, rowsRead: rows, encoding: "postgresql", cleanup: `drop table if exists ${table}; drop table if exists ${table}_malformed;`, transformed: false };
}
