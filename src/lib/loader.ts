import type { DuckDBConnection } from "@duckdb/node-api";
import { sql, type Expression, type Kysely, type RawBuilder } from "kysely";
import { marts } from "../../lib/warehouse/marts.ts";
import { openWarehouse } from "../../lib/warehouse/open.ts";
import { queryRows } from "../../lib/warehouse/query.ts";
import type { Database } from "../../lib/warehouse/schema.ts";

/** Pages ship aggregates; a page's data above this size means a loader is shipping rows. */
export const MAX_PAGE_DATA_BYTES = 300 * 1024;

/** The warehouse the loaders read: `lens site --warehouse` passes it as LENS_WAREHOUSE. */
export function warehousePath(): string {
  return process.env.LENS_WAREHOUSE || "data/warehouse.duckdb";
}

/**
 * Run a page data loader: open the warehouse read-only, build the page's data from the marts (typed
 * Kysely over the generated lib/warehouse/schema.ts; `db` for the loader's own tables), write it to
 * stdout as JSON. Failures go to stderr with the loader's name and exit non-zero, which fails the site build.
 */
export async function runLoader(name: string, build: (k: Kysely<Database>, db: DuckDBConnection) => Promise<unknown>): Promise<void> {
  const path = warehousePath();
  try {
    const w = await openWarehouse(path, { readOnly: true });
    let data: unknown;
    try {
      data = await build(marts(w.db), w.db);
    } finally {
      w.close();
    }
    const json = JSON.stringify(data);
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_PAGE_DATA_BYTES) {
      throw new Error(`${bytes} bytes of page data is over the ${MAX_PAGE_DATA_BYTES}-byte budget; aggregate further`);
    }
    process.stdout.write(json);
    process.stderr.write(`loader ${name}: ${bytes} bytes from ${path}\n`);
  } catch (error) {
    let message = error instanceof Error ? error.message : String(error);
    // A warehouse built by an older version (or not at all) lacks a mart or column the types promise.
    // DuckDB's first line names the table or column; the rest is the query, noise on a build log.
    if (/^(Catalog|Binder) Error/.test(message)) message = `${message.split("\n")[0]}; run \`lens build\` so the warehouse has every model of sql/`;
    process.stderr.write(`loader ${name} failed (warehouse ${path}): ${message}\n`);
    process.exitCode = 1;
  }
}

/** Rows of a raw query with bound values: only for the loader's own tables (load_audit, lens_test_results, raw_*), which have no generated types. */
export function rows<T = Record<string, unknown>>(db: DuckDBConnection, text: string, values?: unknown[]): Promise<T[]> {
  return queryRows<T>(db, text, values as never);
}

/** Whether a table or view exists; lets a loader skip what an older warehouse lacks. */
export async function hasTable(db: DuckDBConnection, table: string): Promise<boolean> {
  return (await rows(db, "select 1 from information_schema.tables where table_name = ?", [table])).length > 0;
}

/** `monthsBefore(eb.fn.max("month"), 23)`: an expression minus whole months (bound), e.g. to keep the last two years. */
export function monthsBefore(expr: Expression<unknown>, months: number): RawBuilder<string> {
  return sql<string>`${expr} - to_months(cast(${months} as integer))`;
}

/**
 * Turn rows into column arrays ({col: [...]}) — about half the bytes of an array of objects for
 * wide aggregate tables; components call `fromColumns` to get rows back.
 */
export function toColumns(data: Record<string, unknown>[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const names = data.length ? Object.keys(data[0]) : [];
  for (const n of names) out[n] = data.map((r) => r[n]);
  return out;
}

/** Round every non-integer number to `digits` decimals: aggregates need no 17-digit floats, pages load faster. */
export function rounded<T extends Record<string, unknown>>(data: T[], digits = 4): T[] {
  const f = 10 ** digits;
  return data.map((r) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) o[k] = typeof v === "number" && !Number.isInteger(v) ? Math.round(v * f) / f : v;
    return o as T;
  });
}
