import type { DuckDBConnection } from "@duckdb/node-api";
import { openWarehouse } from "../../lib/warehouse/open.ts";
import { queryRows } from "../../lib/warehouse/query.ts";

/** Pages ship aggregates; a page's data above this size means a loader is shipping rows. */
export const MAX_PAGE_DATA_BYTES = 300 * 1024;

/** The warehouse the loaders read: `lens site --warehouse` passes it as LENS_WAREHOUSE. */
export function warehousePath(): string {
  return process.env.LENS_WAREHOUSE || "data/warehouse.duckdb";
}

/**
 * Run a page data loader: open the warehouse read-only, build the page's data, write it to stdout as
 * JSON. Failures go to stderr with the loader's name and exit non-zero, which fails the site build.
 */
export async function runLoader(name: string, build: (db: DuckDBConnection) => Promise<unknown>): Promise<void> {
  const path = warehousePath();
  try {
    const w = await openWarehouse(path, { readOnly: true });
    let data: unknown;
    try {
      data = await build(w.db);
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
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`loader ${name} failed (warehouse ${path}): ${message}\n`);
    process.exitCode = 1;
  }
}

/** Rows of a query with bound values. */
export function rows<T = Record<string, unknown>>(db: DuckDBConnection, sql: string, values?: unknown[]): Promise<T[]> {
  return queryRows<T>(db, sql, values as never);
}

/** Whether a table or view exists; lets a loader say which mart is missing instead of a bare SQL error. */
export async function requireTables(db: DuckDBConnection, ...names: string[]): Promise<void> {
  const found = new Set(
    (await rows<{ name: string }>(db, "select table_name as name from information_schema.tables where table_schema = 'main'")).map((r) => r.name),
  );
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) throw new Error(`the warehouse has no ${missing.join(", ")}; run \`lens build\` so the models exist`);
}

/** Columns of a table, for loaders that adapt to optional mart columns. */
export async function columnsOf(db: DuckDBConnection, table: string): Promise<Set<string>> {
  const r = await rows<{ name: string }>(db, "select column_name as name from information_schema.columns where table_name = ?", [table]);
  return new Set(r.map((c) => c.name));
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

/** `select <cols> from <table> [where …] [order by …]` with the listed columns only; rounded. */
export async function selectFrom(db: DuckDBConnection, table: string, cols: string[], tail = "", values?: unknown[]): Promise<Record<string, unknown>[]> {
  const have = await columnsOf(db, table);
  if (have.size === 0) throw new Error(`the warehouse has no ${table}; run \`lens build\` so the models exist`);
  const missing = cols.filter((c) => !have.has(c));
  if (missing.length) throw new Error(`${table} has no column ${missing.join(", ")}; the page expects the mart's contract (sql/marts/${table}.yml)`);
  return rounded(await rows(db, `select ${cols.map((c) => `"${c}"`).join(", ")} from ${table} ${tail}`, values));
}
