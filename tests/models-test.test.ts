import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { build } from "../lib/models/run-build.ts";
import { formatResult, test as runTests } from "../lib/models/run-test.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { copyFixture, fixtureConfig, goodShop, writeShopData, type ShopRows } from "./fixtures/models/shop-project.ts";

/** Every contract of the shop broken once (see the expectations below for which row breaks which). */
const badShop: ShopRows = {
  customers: [
    ["c1", "active"],
    ["c1", "active"], // duplicate key
    ["c3", "active"],
    ["c4", null], // null status
    ["c5", "zombie"], // not an accepted value
  ],
  orders: [
    ["o1", "c1", "2024-01-01", 100],
    ["o2", "c1", "2024-01-02", 50],
    ["o3", "c3", "2024-01-02", -500], // makes c3's spend negative: the assertion
    ["o9", "c9", "2024-01-03", 20], // a customer who does not exist: the relationship
  ],
};

async function builtShop(rows: ShopRows) {
  const p = copyFixture("shop");
  await writeShopData(p.warehouse, rows);
  await build(p.warehouse, { sqlDir: p.sqlDir, config: fixtureConfig, typesFile: false });
  const check = (extra: Parameters<typeof runTests>[1] = {}) => runTests(p.warehouse, { sqlDir: p.sqlDir, config: fixtureConfig, ...extra });
  return { ...p, check };
}

describe("lens test", () => {
  it("passes every check of a warehouse that keeps its contracts, and warns about a missing contract", async () => {
    const p = await builtShop(goodShop);
    const report = await p.check();
    expect(report.ok).toBe(true);
    expect(report.results.filter((r) => r.status === "pass")).toHaveLength(30);
    expect(report.results.filter((r) => r.status !== "pass").map((r) => [r.model, r.check, r.status])).toEqual([
      ["daily_revenue", "contract", "warn"],
    ]);
  });

  it("--strict fails a model without a contract", async () => {
    const p = await builtShop(goodShop);
    const report = await p.check({ strict: true });
    expect(report.ok).toBe(false);
    expect(report.failures.map((r) => [r.model, r.check, r.status])).toEqual([["daily_revenue", "contract", "fail"]]);
  });

  it("reports each violated contract with its offending rows", async () => {
    const p = await builtShop(badShop);
    const lines: string[] = [];
    const report = await p.check({ log: (l) => lines.push(l) });
    expect(report.ok).toBe(false);
    const failures = Object.fromEntries(report.failures.map((f) => [`${f.model} ${f.check}`, [f.failing_rows, f.sample]]));
    expect(failures).toEqual({
      "stg_customers unique(customer_id)": [1, [{ customer_id: "c1", duplicate_count: 2 }]],
      "customers unique(customer_id)": [1, [{ customer_id: "c1", duplicate_count: 2 }]],
      "customers not_null(status)": [1, [{ customer_id: "c4", status: null, order_count: 0, spend: 0 }]],
      "customers accepted_values(status)": [1, [{ status: "zombie", row_count: 1 }]],
      "customers assertion: spend is never negative": [1, [{ customer_id: "c3", spend: -500 }]],
      // c1's duplicate doubles o1 and o2 in the join.
      "order_facts unique(order_id)": [
        2,
        [
          { order_id: "o1", duplicate_count: 2 },
          { order_id: "o2", duplicate_count: 2 },
        ],
      ],
      "order_facts relationships(customer_id → customers.customer_id)": [1, [{ order_id: "o9", customer_id: "c9", amount: 20, customer_status: null }]],
      "customer_rank unique(customer_id)": [1, [{ customer_id: "c1", duplicate_count: 2 }]],
    });
    expect(lines).toContain(
      'FAIL  customers accepted_values(status): 1 row\n        {"status":"zombie","row_count":1}',
    );
    // Every result is kept, for the data-health page.
    const w = await openWarehouse(p.warehouse, { readOnly: true });
    try {
      const stored = await queryRows<{ status: string; n: number }>(
        w.db,
        `select status, count(*) as n from lens_test_results where run_id = $1 group by status order by status`,
        [report.runId],
      );
      expect(stored).toEqual([
        { status: "fail", n: 8 },
        { status: "pass", n: 22 },
        { status: "warn", n: 1 },
      ]);
      const [row] = await queryRows<{ failing_rows: number; sample: string }>(
        w.db,
        `select failing_rows, sample from lens_test_results where run_id = $1 and model = 'order_facts' and "check" = 'unique(order_id)'`,
        [report.runId],
      );
      expect(row.failing_rows).toBe(2);
      expect(JSON.parse(row.sample)).toEqual([
        { order_id: "o1", duplicate_count: 2 },
        { order_id: "o2", duplicate_count: 2 },
      ]);
    } finally {
      w.close();
    }
  });

  it("an empty primary key means at most one row: one row passes, two fail with their count", async () => {
    const p = await builtShop(goodShop);
    // goodShop's orders fall on two days (2024-01-01, 2024-01-02): daily_revenue has two rows, the latest day one.
    writeFileSync(`${p.sqlDir}/marts/latest_order_day.sql`, "select max(order_date) as order_date from stg_orders");
    const contract = (name: string) => `description: test\ngrain: exactly one row\nprimary_key: []\ncolumns: {}\n`.replace("test", name);
    writeFileSync(`${p.sqlDir}/marts/latest_order_day.yml`, contract("the latest order day"));
    writeFileSync(`${p.sqlDir}/marts/daily_revenue.yml`, contract("revenue per day, wrongly declared single-row"));
    await build(p.warehouse, { sqlDir: p.sqlDir, config: fixtureConfig, typesFile: false });
    const report = await p.check({ select: ["latest_order_day", "daily_revenue"] });
    const byModel = Object.fromEntries(report.results.filter((r) => r.check === "single_row").map((r) => [r.model, [r.status, r.failing_rows, r.sample]]));
    expect(byModel).toEqual({
      latest_order_day: ["pass", 0, []],
      daily_revenue: ["fail", 1, [{ row_count: 2 }]],
    });
  });

  it("keeps at most five sample rows", async () => {
    const many: ShopRows = { customers: [["c1", "active"]], orders: [] };
    for (let i = 0; i < 7; i++) many.customers.push([`z${i}`, "zombie"], [`z${i}`, "zombie"]);
    const p = await builtShop(many);
    const report = await p.check({ select: ["stg_customers"] });
    const dup = report.failures.find((f) => f.check === "unique(customer_id)")!;
    expect(dup.failing_rows).toBe(7);
    expect(dup.sample).toHaveLength(5);
    expect(report.results.every((r) => r.model === "stg_customers")).toBe(true);
  });

  it("a contract column missing from the table fails (a rename is caught)", async () => {
    const p = await builtShop(goodShop);
    const file = `${p.sqlDir}/marts/customers.sql`;
    writeFileSync(file, readFileSync(file, "utf8").replace("customers.status,", "customers.status as lifecycle_status,"));
    // Only this model: order_facts reads the old name and would (rightly) fail to build.
    await build(p.warehouse, { sqlDir: p.sqlDir, config: fixtureConfig, typesFile: false, select: ["customers"] });
    const report = await p.check({ select: ["customers"] });
    const byCheck = Object.fromEntries(report.failures.map((f) => [f.check, f]));
    expect(byCheck.contract_columns.sample).toEqual([{ column: "status", problem: expect.stringContaining("customers.yml but not in the table") }]);
    // Checks of the vanished column cannot run; they are errors, never passes.
    expect(byCheck["not_null(status)"].status).toBe("error");
    expect(byCheck["accepted_values(status)"].status).toBe("error");
    expect(formatResult(byCheck.contract_columns)).toMatch(/^FAIL {2}customers contract_columns: 1 row \(.*customers\.yml lists columns customers does not have \(renamed or removed\?\): status\)/);
  });
});
