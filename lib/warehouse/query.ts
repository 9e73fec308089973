import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { DuckDBTypeId } from "./duckdb.ts";

const wideNumbers = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

/**
 * Run a query with bound values and return JSON-safe row objects: dates and timestamps as ISO-like
 * strings, and BIGINT/HUGEINT/DECIMAL as numbers (counts and money in this warehouse fit a double).
 */
export async function queryRows<T = Record<string, unknown>>(
  db: DuckDBConnection,
  sql: string,
  values?: DuckDBValue[] | Record<string, DuckDBValue>,
): Promise<T[]> {
  const reader = await db.runAndReadAll(sql, values);
  const names = reader.columnNames();
  const numeric = reader.columnTypes().map((t) => wideNumbers.has(t.typeId));
  return reader.getRowObjectsJson().map((row) => {
    for (let i = 0; i < names.length; i++) {
      const v = row[names[i]];
      if (numeric[i] && typeof v === "string") row[names[i]] = Number(v);
    }
    return row as T;
  });
}

/** First row of a query, or undefined. */
export async function queryOne<T = Record<string, unknown>>(
  db: DuckDBConnection,
  sql: string,
  values?: DuckDBValue[] | Record<string, DuckDBValue>,
): Promise<T | undefined> {
  return (await queryRows<T>(db, sql, values))[0];
}
