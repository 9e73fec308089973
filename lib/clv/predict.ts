import { conditionalExpectedPurchases, pAlive, type BgNbdParams } from "./bgnbd.ts";
import { discountedPurchases } from "./discounting.ts";
import { DAYS_PER_WEEK, type RfmGroupRow } from "./summary-statistics.ts";

/** Model outputs for one (x, t_x, T) group. */
export interface GroupPrediction {
  frequency: number;
  recency_days: number;
  age_days: number;
  p_alive: number;
  /** Expected repeat purchases in the horizon. */
  predicted_purchases: number;
  /** The same, each month's purchases discounted to today (see discounting.ts). */
  discounted_purchases: number;
}

/**
 * BG/NBD predictions per distinct (x, t_x, T): customers who share them share every prediction, so the
 * work scales with the number of groups, not customers.
 */
export function predictGroups(
  params: BgNbdParams,
  rows: Pick<RfmGroupRow, "frequency" | "recency_days" | "age_days">[],
  horizonMonths: number,
  annualDiscountRate: number,
): GroupPrediction[] {
  return rows.map((row) => {
    const x = row.frequency;
    const tx = row.recency_days / DAYS_PER_WEEK;
    const T = row.age_days / DAYS_PER_WEEK;
    const { purchases, discounted } = discountedPurchases(
      (t) => conditionalExpectedPurchases(params, x, tx, T, t),
      horizonMonths,
      annualDiscountRate,
    );
    return {
      frequency: x,
      recency_days: row.recency_days,
      age_days: row.age_days,
      p_alive: pAlive(params, x, tx, T),
      predicted_purchases: purchases,
      discounted_purchases: discounted,
    };
  });
}
