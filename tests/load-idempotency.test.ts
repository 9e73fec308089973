import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { loadIntoWarehouse } from "../loaders/load-warehouse.ts";
import { planFromFolder } from "../loaders/source-folder.ts";
import { planFromConfig } from "../loaders/load-config.ts";
import { cachedFingerprints } from "../lib/models/fingerprint-cache.ts";
import { build } from "../lib/models/run-build.ts";

const header = "order_id,customer_id,ordered_at,status,gross_amount\n";
const first = `${header}O1,C1,2024-01-01 10:00:00,completed,10\nO2,C2,2024-01-02 10:00:00,completed,20\nO3,C3,2024-01-03 10:00:00,cancelled,30\n`;
// O2's amount changed, O3 unchanged but now on another line, O4 is new.
const second = `${header}O4,C4,2024-01-04 10:00:00,completed,40\nO1,C1,2024-01-01 10:00:00,completed,10\nO2,C2,2024-01-02 10:00:00,refunded,25\nO3,C3,2024-01-03 10:00:00,cancelled,30\n`;

async function rawOrders(warehouse: string) {
  const w = await openWarehouse(warehouse, { readOnly: true });
  try {
    return await queryRows(w.db, "select order_id, status, gross_amount, _line, _loaded_at from raw_orders order by order_id");
  } finally {
    w.close();
  }
}

describe("re-running a load", () => {
  it("changes no raw row when the data is the same, and replaces exactly the rows that changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-idem-"));
    const warehouse = join(dir, "w.duckdb");
    const src = join(dir, "src");
    const file = join(src, "orders.csv");
    mkdirSync(src);
    writeFileSync(file, first);

    const t1 = new Date("2024-05-01T02:00:00Z"); // 10:00 in Asia/Shanghai
    const s1 = await loadIntoWarehouse(warehouse, planFromFolder(src), { now: t1 });
    expect(s1.rowsChanged).toBe(3);
    const after1 = await rawOrders(warehouse);
    expect(after1).toEqual([
      { order_id: "O1", status: "completed", gross_amount: 10, _line: 2, _loaded_at: "2024-05-01 10:00:00" },
      { order_id: "O2", status: "completed", gross_amount: 20, _line: 3, _loaded_at: "2024-05-01 10:00:00" },
      { order_id: "O3", status: "cancelled", gross_amount: 30, _line: 4, _loaded_at: "2024-05-01 10:00:00" },
    ]);

    const s2 = await loadIntoWarehouse(warehouse, planFromFolder(src), { now: new Date("2024-05-02T02:00:00Z") });
    expect(s2.rowsChanged).toBe(0);
    expect(await rawOrders(warehouse)).toEqual(after1);

    writeFileSync(file, second);
    const s3 = await loadIntoWarehouse(warehouse, planFromFolder(src), { now: new Date("2024-05-03T02:00:00Z") });
    expect(s3.rowsChanged).toBe(2);
    expect(await rawOrders(warehouse)).toEqual([
      { order_id: "O1", status: "completed", gross_amount: 10, _line: 2, _loaded_at: "2024-05-01 10:00:00" },
      { order_id: "O2", status: "refunded", gross_amount: 25, _line: 4, _loaded_at: "2024-05-03 10:00:00" },
      { order_id: "O3", status: "cancelled", gross_amount: 30, _line: 4, _loaded_at: "2024-05-01 10:00:00" },
      { order_id: "O4", status: "completed", gross_amount: 40, _line: 2, _loaded_at: "2024-05-03 10:00:00" },
    ]);

    const w = await openWarehouse(warehouse, { readOnly: true });
    const audit = await queryRows(w.db, "select rows_read, rows_loaded, rows_quarantined, duplicates_dropped from load_audit order by started_at");
    w.close();
    expect(audit).toEqual([
      { rows_read: 3, rows_loaded: 3, rows_quarantined: 0, duplicates_dropped: 0 },
      { rows_read: 3, rows_loaded: 3, rows_quarantined: 0, duplicates_dropped: 0 },
      { rows_read: 4, rows_loaded: 4, rows_quarantined: 0, duplicates_dropped: 0 },
    ]);
  });

  it("records the raw tables it changed for the next build, which then rebuilds their readers without hashing them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-fp-"));
    const warehouse = join(dir, "w.duckdb");
    const src = join(dir, "src");
    const sqlDir = join(dir, "sql");
    mkdirSync(src);
    mkdirSync(join(sqlDir, "staging"), { recursive: true });
    writeFileSync(join(sqlDir, "staging", "stg_orders.sql"), "select order_id, gross_amount from raw_orders\n");
    writeFileSync(join(src, "orders.csv"), first);
    const rebuild = async () => {
      const r = await build(warehouse, { sqlDir, typesFile: false });
      return { built: r.models.filter((m) => m.status === "built").map((m) => m.model), seen: r.fingerprints.get("raw_orders") };
    };

    const s1 = await loadIntoWarehouse(warehouse, planFromFolder(src));
    expect(s1.changedTables).toEqual(["raw_orders"]);
    // Only what the load knows: raw_customers was never loaded, so the build will hash it.
    expect(Object.fromEntries(cachedFingerprints(warehouse))).toEqual({ raw_orders: `load:${s1.loadId}` });
    expect(await rebuild()).toEqual({ built: ["stg_orders"], seen: `load:${s1.loadId}` });

    // The same file again changes no row: the fingerprint the build saw is kept, and nothing rebuilds.
    const s2 = await loadIntoWarehouse(warehouse, planFromFolder(src));
    expect(s2.changedTables).toEqual([]);
    expect(cachedFingerprints(warehouse).get("raw_orders")).toBe(`load:${s1.loadId}`);
    expect(await rebuild()).toEqual({ built: [], seen: `load:${s1.loadId}` });

    writeFileSync(join(src, "orders.csv"), second);
    const s3 = await loadIntoWarehouse(warehouse, planFromFolder(src));
    expect(s3.changedTables).toEqual(["raw_orders"]);
    expect(await rebuild()).toEqual({ built: ["stg_orders"], seen: `load:${s3.loadId}` });
  });

  it("keeps the last of rows sharing a key across the files of one entity", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-glob-"));
    writeFileSync(join(dir, "a.csv"), `${header}O1,C1,2024-01-01 10:00:00,completed,10\nO2,C2,2024-01-02 10:00:00,completed,20\n`);
    writeFileSync(join(dir, "b.csv"), `${header}O2,C2,2024-01-02 10:00:00,completed,20\nO1,C1,2024-01-01 10:00:00,refunded,10\n`);
    writeFileSync(join(dir, "load.json"), JSON.stringify({ entities: { orders: { file: "*.csv" } } }));
    const summary = await loadIntoWarehouse(join(dir, "w.duckdb"), planFromConfig(join(dir, "load.json")));
    expect(summary.audit.map((a) => [a.file, a.rows_read, a.rows_loaded, a.rows_quarantined, a.duplicates_dropped])).toEqual([
      [join(dir, "a.csv"), 2, 0, 1, 1],
      [join(dir, "b.csv"), 2, 2, 0, 0],
    ]);
    const w = await openWarehouse(join(dir, "w.duckdb"), { readOnly: true });
    expect(await queryRows(w.db, `select file, line, "column", value, reason from load_quarantine`)).toEqual([
      { file: join(dir, "a.csv"), line: 2, column: "order_id", value: "O1", reason: `duplicate key order_id=O1 with different values; line 3 of ${join(dir, "b.csv")} kept` },
    ]);
    expect(await queryRows(w.db, "select order_id, status, _source, _line from raw_orders order by order_id")).toEqual([
      { order_id: "O1", status: "refunded", _source: join(dir, "b.csv"), _line: 3 },
      { order_id: "O2", status: "completed", _source: join(dir, "b.csv"), _line: 2 },
    ]);
    w.close();
  });
});
