// clv_calibration_holdout: the CLV model check as a mart, on a fixture whose actual holdout counts are
// hand-computed. as_of_date = 2024-12-31 (C6's order), so calibration_end = 2024-12-31 − 182 days = 2024-07-02.
//   C1 ToC: 01-10, 03-01 (x = 1) | holdout 08-01, 09-01 → 2
//   C2 ToC: 02-01 (x = 0)        | nothing → 0
//   C3 ToC: 01-05, 02-05, 03-05, 04-05 (x = 3) | 10-10, and two orders on 11-11 (one purchase day) → 2
//   C4 ToC: first purchase 08-01, after calibration_end → not in the check
//   C5 ToC: only a cancelled order → no purchase
//   C6 ToC: 07-02, on calibration_end (x = 0) | 12-31 → 1
import { describe, expect, it } from "vitest";
import { fitClv } from "../lib/clv/fit.ts";
import { marts } from "../lib/warehouse/marts.ts";
import { buildAll, freshWarehouse, insertRows } from "./util/warehouse.ts";

const purchases: [string, string, string?][] = [
  ["C1", "2024-01-10"], ["C1", "2024-03-01"], ["C1", "2024-08-01"], ["C1", "2024-09-01"],
  ["C2", "2024-02-01"],
  ["C3", "2024-01-05"], ["C3", "2024-02-05"], ["C3", "2024-03-05"], ["C3", "2024-04-05"], ["C3", "2024-10-10"], ["C3", "2024-11-11"], ["C3", "2024-11-11"],
  ["C4", "2024-08-01"],
  ["C5", "2024-06-01", "cancelled"],
  ["C6", "2024-07-02"], ["C6", "2024-12-31"],
];

async function built(customerType: "ToC" | "ToB") {
  const w = await freshWarehouse();
  await insertRows(w.db, "raw_customers", ["C1", "C2", "C3", "C4", "C5", "C6"].map((customer_id) => ({ customer_id, customer_type: customerType, signup_date: "2024-01-01" })));
  await insertRows(
    w.db,
    "raw_orders",
    purchases.map(([customer_id, day, status], i) => ({ order_id: `O${i}`, customer_id, ordered_at: `${day} 10:00:00`, status: status ?? "completed", gross_amount: 100 })),
  );
  await buildAll(w.db);
  return w;
}

describe("clv_calibration_holdout", () => {
  it("one row per calibration frequency bucket with the actual holdout purchases, the dates and n", async () => {
    const w = await built("ToC");
    const rows = await marts(w.db).selectFrom("clv_calibration_holdout").selectAll().orderBy("frequency_bucket").execute();
    expect(rows.map((r) => r.frequency)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
    expect(rows.map((r) => [r.customers, r.actual_repeat_transactions])).toEqual([[2, 1], [1, 2], [0, 0], [1, 2], [0, 0], [0, 0], [0, 0], [0, 0]]);
    expect(rows.map((r) => r.actual_mean)).toEqual([0.5, 2, null, 2, null, null, null, null]);
    for (const r of rows) {
      expect([r.segment, r.n_customers, r.calibration_end, r.holdout_end, r.holdout_weeks]).toEqual(["ToC", 4, "2024-07-02", "2024-12-31", 26]);
      expect(r.predicted_mean === null ? r.customers === 0 : Math.abs(r.predicted_mean * r.customers - r.predicted_repeat_transactions) < 1e-9).toBe(true);
    }
    // Predictions are the BG/NBD fit on the calibration period (what `lens clv fit` reports for the same dates).
    const report = await fitClv(w.db, { calibrationEnd: "2024-07-02", holdoutEnd: "2024-12-31", segment: "ToC" });
    expect(rows.map((r) => r.predicted_repeat_transactions)).toEqual(report.holdout!.by_frequency.map((b) => b.predicted));
    expect(rows[1].predicted_repeat_transactions).toBeGreaterThan(0);
  });

  it("falls back to all customers pooled when there are no consumers, and is empty without data", async () => {
    const w = await built("ToB");
    const rows = await marts(w.db).selectFrom("clv_calibration_holdout").select(["segment", "customers"]).orderBy("frequency_bucket").execute();
    expect(rows.map((r) => r.segment)).toEqual(Array(8).fill("all"));
    expect(rows.map((r) => r.customers)).toEqual([2, 1, 0, 1, 0, 0, 0, 0]);
    const empty = await freshWarehouse();
    await buildAll(empty.db);
    expect(await marts(empty.db).selectFrom("clv_calibration_holdout").selectAll().execute()).toEqual([]);
  });
});
