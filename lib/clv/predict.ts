import { aliveExpectedPurchases, pAlive, type BgNbdParams } from "./bgnbd.ts";
import { discountCumulative, monthEnds, monthlyDiscountFactors } from "./discounting.ts";
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
 * work scales with the number of groups, not customers. E[Y(t) | x, t_x, T] is P(alive | x, t_x, T) times
 * an expectation that depends on (x, T) only, so that expensive part (a ₂F₁ series or a quadrature per
 * month of the horizon) is computed once per distinct (x, T) and shared by the groups that differ in t_x.
 */
export function predictGroups(
  params: BgNbdParams,
  rows: Pick<RfmGroupRow, "frequency" | "recency_days" | "age_days">[],
  horizonMonths: number,
  annualDiscountRate: number,
): GroupPrediction[] {
  const horizons = monthEnds(horizonMonths);
  const factors = monthlyDiscountFactors(horizonMonths, annualDiscountRate);
  const alive = aliveExpectedPurchases(params);
  const byXT = new Map<string, Float64Array>();
  const cumulative = new Float64Array(horizonMonths);
  return rows.map((row) => {
    const x = row.frequency;
    const tx = row.recency_days / DAYS_PER_WEEK;
    const T = row.age_days / DAYS_PER_WEEK;
    const key = `${x}|${row.age_days}`;
    let numerators = byXT.get(key);
    if (!numerators) {
      numerators = alive(x, T, horizons);
      byXT.set(key, numerators);
    }
    const p = pAlive(params, x, tx, T);
    for (let k = 0; k < horizonMonths; k++) cumulative[k] = numerators[k] * p;
    const { purchases, discounted } = discountCumulative(cumulative, factors);
    return {
      frequency: x,
      recency_days: row.recency_days,
      age_days: row.age_days,
      p_alive: p,
      predicted_purchases: purchases,
      discounted_purchases: discounted,
    };
  });
}

/** Model outputs for one (x, T) for a customer known to be alive at T; P(alive | x, t_x, T) scales both. */
export interface AlivePrediction {
  frequency: number;
  age_days: number;
  /** Expected repeat purchases in the horizon if alive at T. */
  alive_purchases: number;
  /** The same, each month's purchases discounted to today (see discounting.ts). */
  alive_discounted: number;
}

/**
 * The part of predictGroups that does not depend on t_x, per distinct (x, T): E[Y(t) | x, t_x, T] =
 * P(alive | x, t_x, T) × (this), so a customer's predicted and discounted purchases are these times their
 * P(alive), which SQL can compute per customer from the parameters (pAlive is a closed form). The expensive
 * part (a ₂F₁ series or a quadrature per month of the horizon) then runs once per distinct (x, T), and only
 * these rows leave JavaScript.
 */
export function predictAliveGroups(
  params: BgNbdParams,
  rows: Pick<RfmGroupRow, "frequency" | "age_days">[],
  horizonMonths: number,
  annualDiscountRate: number,
): AlivePrediction[] {
  const horizons = monthEnds(horizonMonths);
  const factors = monthlyDiscountFactors(horizonMonths, annualDiscountRate);
  const alive = aliveExpectedPurchases(params);
  return rows.map((row) => {
    const { purchases, discounted } = discountCumulative(alive(row.frequency, row.age_days / DAYS_PER_WEEK, horizons), factors);
    return { frequency: row.frequency, age_days: row.age_days, alive_purchases: purchases, alive_discounted: discounted };
  });
}
