/** Weeks in an average calendar month (365.25 / 12 / 7). */
export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

/**
 * Expected purchases over a horizon of whole months, undiscounted and discounted.
 *
 * Discounting: the purchases expected in month k (E[Y(k months)] − E[Y(k−1 months)], from the model's
 * own conditional expectation, so the decay of an at-risk customer's buying is respected) are valued at
 * the end of month k and discounted by (1 + annual rate)^(−k/12), i.e. monthly compounding at the
 * equivalent monthly rate (1 + d)^(1/12) − 1. CLV multiplies the discounted purchases by the expected
 * spend per purchase and the margin.
 *
 * @param cumulative expected purchases in (0, t] for t in weeks
 */
export function discountedPurchases(
  cumulative: (weeks: number) => number,
  horizonMonths: number,
  annualDiscountRate: number,
): { purchases: number; discounted: number } {
  const values = monthEnds(horizonMonths).map(cumulative);
  return discountCumulative(values, monthlyDiscountFactors(horizonMonths, annualDiscountRate));
}

/** The ends of months 1 … horizonMonths, in weeks. */
export function monthEnds(horizonMonths: number): Float64Array {
  return Float64Array.from({ length: horizonMonths }, (_, i) => (i + 1) * WEEKS_PER_MONTH);
}

/** (1 + annual rate)^(−k/12) for months k = 1 … horizonMonths. */
export function monthlyDiscountFactors(horizonMonths: number, annualDiscountRate: number): Float64Array {
  return Float64Array.from({ length: horizonMonths }, (_, i) => Math.pow(1 + annualDiscountRate, -(i + 1) / 12));
}

/**
 * discountedPurchases from the cumulative expected purchases at the month ends (monthEnds) and the
 * month's discount factors (monthlyDiscountFactors), for callers that compute many customers at once.
 */
export function discountCumulative(values: ArrayLike<number>, factors: ArrayLike<number>): { purchases: number; discounted: number } {
  let previous = 0;
  let discounted = 0;
  for (let k = 0; k < values.length; k++) {
    const current = values[k];
    discounted += (current - previous) * factors[k];
    previous = current;
  }
  return { purchases: previous, discounted };
}
