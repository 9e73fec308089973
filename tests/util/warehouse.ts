import type { DuckDBConnection } from "@duckdb/node-api";
import { afterEach } from "vitest";
import { buildModels, readProject } from "../../lib/models/project.ts";
import { openWarehouse, type Warehouse } from "../../lib/warehouse/open.ts";
import { ensureRawTables } from "../../loaders/raw-tables.ts";
import { writeConfigTables } from "../../lib/config/config-tables.ts";
import { LensConfig } from "../../lib/config/lens-config.ts";

const open: Warehouse[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

/** A fresh in-memory warehouse with every (empty) raw table and the config tables; closed after the test. */
export async function freshWarehouse(config: unknown = {}): Promise<Warehouse> {
  const w = await openWarehouse(":memory:");
  open.push(w);
  await ensureRawTables(w.db);
  await writeConfigTables(w.db, LensConfig.parse(config));
  return w;
}

/** Insert fixture rows into a raw table; missing contract columns are null. Values are bound. */
export async function insertRows(db: DuckDBConnection, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) {
    const cols = Object.keys(row);
    const params = cols.map((_, i) => `$${i + 1}`).join(", ");
    await db.run(
      `insert into ${table} (${cols.map((c) => `"${c}"`).join(", ")}) values (${params})`,
      cols.map((c) => row[c] as never),
    );
  }
}

/** Build every model under sql/ into the warehouse. */
export async function buildAll(db: DuckDBConnection): Promise<void> {
  await buildModels(db, await readProject(db));
}
