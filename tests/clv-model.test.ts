import { readFileSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { conditionalExpectedPurchases, pAlive } from "../lib/clv/bgnbd.ts";
import { discountedPurchases } from "../lib/clv/discounting.ts";
import { conditionalExpectedSpend } from "../lib/clv/gamma-gamma.ts";
import { LensConfig } from "../lib/config/lens-config.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import model from "../sql/intermediate/int_customer_clv_predicted.ts";
import { freshWarehouse, insertRows } from "./util/warehouse.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");

async function createStgOrders(db: DuckDBConnection): Promise<void> {
  const sql = readFileSync(path.join(repoRoot, "sql/staging/stg_orders.sql"), "utf8").replace(/;\s*$/, "");
  await db.run(`create or replace view stg_orders as ${sql}`);
}

let seq = 0;
const order = (customer_id: string, ordered_at: string, gross_amount: number, extra: Record<string, unknown> = {}) => ({
  order_id: `o${++seq}`,
  customer_id,
  ordered_at,
  status: "completed",
  gross_amount,
  ...extra,
});

// Every edge of the sufficient statistics; as-of = the latest order_date, 2024-03-31 (2024 is a leap year).
const ORDERS = [
  // c01: two orders on one day are one transaction (150); a cancelled order is not a purchase.
  order("c01", "2024-01-01 10:00:00", 100),
  order("c01", "2024-01-01 18:00:00", 50),
  order("c01", "2024-01-15 09:00:00", 80),
  order("c01", "2024-03-01 09:00:00", 200, { status: "cancelled" }),
  // c02: a single order.
  order("c02", "2024-02-01 12:00:00", 60),
  // c03: the second order was fully refunded: not a purchase.
  order("c03", "2024-01-10 12:00:00", 40),
  order("c03", "2024-02-10 12:00:00", 40, { status: "refunded", refund_amount: 40 }),
  // c04: a partial refund is a purchase worth its net amount (100 − 40).
  order("c04", "2024-01-05 12:00:00", 30),
  order("c04", "2024-01-20 12:00:00", 100, { status: "partially_refunded", refund_amount: 40 }),
  order("c04", "2024-02-04 12:00:00", 90),
  // c05: only a cancelled order: not a customer of the model.
  order("c05", "2024-01-07 12:00:00", 99, { status: "cancelled" }),
  // c06: 23:30 and 00:10 are different local days.
  order("c06", "2024-01-01 23:30:00", 10),
  order("c06", "2024-01-02 00:10:00", 35),
  // c07: weekly buyer, five repeats.
  ...[20, 22, 24, 26, 28, 30].map((v, i) => order("c07", `2024-01-${String(1 + 7 * i).padStart(2, "0")} 08:00:00`.replace("2024-01-36", "2024-02-05"), v)),
  // c08: first purchase on the as-of day: T = 0.
  order("c08", "2024-03-31 20:00:00", 70),
  // c09: a free order (net 0) is still a purchase; the repeat is worth 20.
  order("c09", "2024-01-03 12:00:00", 50, { discount_amount: 50 }),
  order("c09", "2024-02-03 12:00:00", 20),
  // c10: first and last day of the window.
  order("c10", "2024-01-01 00:00:00", 10),
  order("c10", "2024-03-31 23:59:59", 25),
  // c11: two orders on one day only: no repeat.
  order("c11", "2024-01-01 09:00:00", 15),
  order("c11", "2024-01-01 21:00:00", 15),
  // c12: across a month boundary (Feb 2024 has 29 days).
  order("c12", "2024-02-15 12:00:00", 45),
  order("c12", "2024-02-20 12:00:00", 55),
  order("c12", "2024-03-10 12:00:00", 65),
];

// Hand-computed: [frequency, recency_days, age_days, avg_repeat_value].
const EXPECTED: Record<string, [number, number, number, number | null]> = {
  c01: [1, 14, 90, 80],
  c02: [0, 0, 59, null],
  c03: [0, 0, 81, null],
  c04: [2, 30, 86, 75],
  c06: [1, 1, 90, 35],
  c07: [5, 35, 90, 26],
  c08: [0, 0, 0, null],
  c09: [1, 31, 88, 20],
  c10: [1, 90, 90, 25],
  c11: [0, 0, 90, null],
  c12: [2, 24, 45, 60],
};

const CONFIG = { metrics: { clv_margin: 0.4, clv_horizon_months: 6, clv_annual_discount_rate: 0.12 } };

interface Row {
  customer_id: string;
  frequency: number;
  recency_weeks: number;
  age_weeks: number;
  avg_repeat_value: number | null;
  p_alive: number | null;
  predicted_purchases: number | null;
  predicted_avg_spend: number | null;
  predicted_clv: number | null;
  model_segment: string | null;
}

async function buildFixture(asOf?: string) {
  const w = await freshWarehouse(CONFIG);
  await insertRows(w.db, "raw_orders", ORDERS);
  await createStgOrders(w.db);
  if (asOf) await w.db.run("create table int_as_of as select cast($d as date) as as_of_date", { d: asOf });
  await model.build(w.db, { name: "int_customer_clv_predicted", model: "int_customer_clv_predicted", config: LensConfig.parse(CONFIG) });
  const rows = await queryRows<Row>(w.db, "select * from int_customer_clv_predicted order by customer_id");
  const params = await queryRows<{
    segment: string;
    model: string;
    parameter: string;
    estimate: number;
    std_error: number | null;
    n_customers: number;
    converged: boolean;
    calibration_end: string;
    fitted_at: string;
  }>(w.db, "select * from clv_model_parameters order by model, parameter");
  return { w, rows, params };
}

describe("int_customer_clv_predicted", () => {
  it("has exactly the contracted columns and types", async () => {
    const { w } = await buildFixture();
    const cols = await queryRows<{ column_name: string; column_type: string }>(w.db, "select column_name, column_type from (describe int_customer_clv_predicted)");
    expect(cols.map((c) => [c.column_name, c.column_type])).toEqual([
      ["customer_id", "VARCHAR"],
      ["frequency", "BIGINT"],
      ["recency_weeks", "DOUBLE"],
      ["age_weeks", "DOUBLE"],
      ["avg_repeat_value", "DOUBLE"],
      ["p_alive", "DOUBLE"],
      ["predicted_purchases", "DOUBLE"],
      ["predicted_avg_spend", "DOUBLE"],
      ["predicted_clv", "DOUBLE"],
      ["model_segment", "VARCHAR"],
      ["weeks_below_warning", "DOUBLE"],
    ]);
  });

  it("computes x, t_x, T and the mean repeat value per customer as worked out by hand", async () => {
    const { rows } = await buildFixture();
    expect(rows.map((r) => r.customer_id)).toEqual(Object.keys(EXPECTED));
    for (const r of rows) {
      const [x, txDays, ageDays, m] = EXPECTED[r.customer_id];
      expect([r.customer_id, r.frequency]).toEqual([r.customer_id, x]);
      expect(r.recency_weeks).toBeCloseTo(txDays / 7, 12);
      expect(r.age_weeks).toBeCloseTo(ageDays / 7, 12);
      if (m === null) expect(r.avg_repeat_value).toBeNull();
      else expect(r.avg_repeat_value).toBeCloseTo(m, 10);
    }
  });

  it("writes predictions consistent with the fitted parameters, the config margin, horizon and discount rate", async () => {
    const { rows, params } = await buildFixture();
    const est = Object.fromEntries(params.map((p) => [`${p.model}.${p.parameter}`, p.estimate]));
    expect(Object.keys(est).sort()).toEqual(["bgnbd.a", "bgnbd.alpha", "bgnbd.b", "bgnbd.r", "gamma_gamma.p", "gamma_gamma.q", "gamma_gamma.v"]);
    expect(params.every((p) => p.calibration_end === "2024-03-31")).toBe(true);
    // Without stg_customers there are no customer types: one pooled fit ('all') scores everyone.
    expect(params.every((p) => p.segment === "all")).toBe(true);
    expect(rows.every((r) => r.model_segment === "all")).toBe(true);
    // fitted_at is audit metadata: one instant for the whole build.
    expect(new Set(params.map((p) => p.fitted_at)).size).toBe(1);
    expect(params.filter((p) => p.model === "bgnbd").every((p) => p.n_customers === 11)).toBe(true);
    // Gamma-Gamma uses the customers with a repeat transaction of positive value: c01, c04, c06, c07, c09, c10, c12.
    expect(params.filter((p) => p.model === "gamma_gamma").every((p) => p.n_customers === 7)).toBe(true);
    const bg = { r: est["bgnbd.r"], alpha: est["bgnbd.alpha"], a: est["bgnbd.a"], b: est["bgnbd.b"] };
    const gg = { p: est["gamma_gamma.p"], q: est["gamma_gamma.q"], v: est["gamma_gamma.v"] };
    expect(gg.q).toBeGreaterThan(1);
    for (const r of rows) {
      const x = r.frequency;
      const expectedAlive = pAlive(bg, x, r.recency_weeks, r.age_weeks);
      expect(r.p_alive).toBeCloseTo(expectedAlive, 10);
      if (x === 0) expect(r.p_alive).toBe(1);
      const cum = (t: number) => conditionalExpectedPurchases(bg, x, r.recency_weeks, r.age_weeks, t);
      const { purchases, discounted } = discountedPurchases(cum, 6, 0.12);
      expect(r.predicted_purchases).toBeCloseTo(purchases, 10);
      expect(r.predicted_purchases).toBeCloseTo(cum((6 * 365.25) / 12 / 7), 10);
      const spend = conditionalExpectedSpend(gg, x, r.avg_repeat_value ?? 0);
      expect(r.predicted_avg_spend).toBeCloseTo(spend, 8);
      expect(r.predicted_clv).toBeCloseTo(0.4 * spend * discounted, 8);
      // Discounting only ever lowers value.
      expect(r.predicted_clv!).toBeLessThan(0.4 * spend * purchases);
    }
  });

  it("measures age to int_as_of.as_of_date when that table exists", async () => {
    const { rows, params } = await buildFixture("2024-04-30");
    const c02 = rows.find((r) => r.customer_id === "c02")!;
    expect(c02.age_weeks).toBeCloseTo((59 + 30) / 7, 12);
    expect(c02.recency_weeks).toBe(0);
    expect(params[0].calibration_end).toBe("2024-04-30");
  });

  it("keeps the customers but leaves predictions null when nobody has a repeat purchase (the model cannot be fitted)", async () => {
    const w = await freshWarehouse(CONFIG);
    await insertRows(w.db, "raw_orders", [order("s1", "2024-01-01 10:00:00", 10), order("s2", "2024-02-01 10:00:00", 20)]);
    await createStgOrders(w.db);
    await model.build(w.db, { name: "int_customer_clv_predicted", model: "int_customer_clv_predicted", config: LensConfig.parse(CONFIG) });
    const rows = await queryRows<Row>(w.db, "select * from int_customer_clv_predicted order by customer_id");
    expect(rows.map((r) => [r.customer_id, r.frequency, r.age_weeks * 7, r.p_alive, r.predicted_purchases, r.predicted_clv, r.model_segment])).toEqual([
      ["s1", 0, 31, null, null, null, null],
      ["s2", 0, 0, null, null, null, null],
    ]);
    expect(await queryRows(w.db, "select * from clv_model_parameters")).toEqual([]);
  });

  it("writes empty tables when there are no purchases", async () => {
    const w = await freshWarehouse(CONFIG);
    await createStgOrders(w.db);
    await model.build(w.db, { name: "int_customer_clv_predicted", model: "int_customer_clv_predicted", config: LensConfig.parse(CONFIG) });
    expect(await queryRows(w.db, "select * from int_customer_clv_predicted")).toEqual([]);
    expect(await queryRows(w.db, "select * from clv_model_parameters")).toEqual([]);
  });
});
