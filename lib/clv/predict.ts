import { aliveExpectedPurchases, type BgNbdParams } from "./bgnbd.ts";
import { discountCumulative, monthEnds, monthlyDiscountFactors } from "./discounting.ts";
import { DAYS_PER_WEEK, type RfmGroupRow } from "./summary-statistics.ts";

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
 * BG/NBD predictions per distinct (x, T), the part that does not depend on t_x: E[Y(t) | x, t_x, T] =
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
