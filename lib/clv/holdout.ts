import { aliveExpectedPurchases, pAlive, type BgNbdParams } from "./bgnbd.ts";
import { DAYS_PER_WEEK, type HoldoutGroupRow } from "./summary-statistics.ts";

/** Calibration frequency buckets of the check: 0, 1, …, 6 and 7+ (FHL 2005, Figure 4). */
export const TOP_BUCKET = 7;

export interface HoldoutBucket {
  /** "0" … "6", "7+". */
  frequency: string;
  customers: number;
  actual: number;
  predicted: number;
  actual_mean: number;
  predicted_mean: number;
}

export interface HoldoutComparison {
  weeks: number;
  customers: number;
  actual_total: number;
  predicted_total: number;
  /** (predicted − actual) / actual. */
  relative_error: number;
  by_frequency: HoldoutBucket[];
}

/**
 * The calibration/holdout check: for each group, E[Y(t) | x, t_x, T] over the holdout length t, times the
 * group's customers, against their actual repeat transactions, in total and by calibration frequency.
 */
export function compareHoldout(params: BgNbdParams, rows: HoldoutGroupRow[], holdoutDays: number): HoldoutComparison {
  const weeks = holdoutDays / DAYS_PER_WEEK;
  const buckets = Array.from({ length: TOP_BUCKET + 1 }, (_, i) => ({
    frequency: i === TOP_BUCKET ? `${TOP_BUCKET}+` : String(i),
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  // E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) × an expectation that depends on (x, T) only: computed once per (x, T).
  const alive = aliveExpectedPurchases(params);
  const horizon = [weeks];
  const byXT = new Map<string, number>();
  for (const row of rows) {
    const bucket = buckets[Math.min(row.frequency, TOP_BUCKET)];
    const T = row.age_days / DAYS_PER_WEEK;
    const key = `${row.frequency}|${row.age_days}`;
    let numerator = byXT.get(key);
    if (numerator === undefined) {
      numerator = alive(row.frequency, T, horizon)[0];
      byXT.set(key, numerator);
    }
    const expected = numerator * pAlive(params, row.frequency, row.recency_days / DAYS_PER_WEEK, T);
    bucket.customers += row.customers;
    bucket.actual += row.holdout_transactions;
    bucket.predicted += expected * row.customers;
  }
  const customers = buckets.reduce((s, b) => s + b.customers, 0);
  const actual = buckets.reduce((s, b) => s + b.actual, 0);
  const predicted = buckets.reduce((s, b) => s + b.predicted, 0);
  return {
    weeks,
    customers,
    actual_total: actual,
    predicted_total: predicted,
    relative_error: actual > 0 ? (predicted - actual) / actual : NaN,
    by_frequency: buckets.map((b) => ({
      ...b,
      actual_mean: b.customers > 0 ? b.actual / b.customers : NaN,
      predicted_mean: b.customers > 0 ? b.predicted / b.customers : NaN,
    })),
  };
}
