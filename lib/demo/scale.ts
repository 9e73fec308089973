/** Sizes and behavioural parameters of the demo company. */

export type Scale = "demo" | "m" | "l" | "xl";
export const SCALES: readonly Scale[] = ["demo", "m", "l", "xl"];

/** Customer accounts per scale; every other source follows from how they behave. */
export const CUSTOMERS: Record<Scale, number> = { demo: 3_000, m: 100_000, l: 1_000_000, xl: 3_000_000 };

/**
 * Buy-till-you-die parameters (BG/NBD with Gamma-Gamma spend), in "ordinary days": the calendar's seasonal
 * intensity stretches and squeezes that clock, so festivals get more purchases from the same customers.
 */
export const BTYD = {
  model: "BG/NBD repeat purchasing with Gamma-Gamma spend; time runs in ordinary days scaled by daily seasonal intensity",
  toc: {
    /** Purchase rate lambda ~ Gamma(shape r, rate alpha) per ordinary day. */
    r: 0.9,
    alpha: 22,
    /** Dropout probability after each purchase p ~ Beta(a, b). */
    a: 0.7,
    b: 9,
    /** Share of sign-ups who ever place a first order (soon after signing up). */
    first_order_share: 0.88,
    /** Spend per order z ~ Gamma(p, nu), nu ~ Gamma(q, gamma): mean spend p*gamma/(q-1). */
    spend_p: 6,
    spend_q: 4,
    spend_gamma: 150,
  },
  tob: {
    /** Business accounts buy while a contract is active: Poisson rate ~ Gamma(shape, rate) per ordinary day. */
    rate_shape: 2,
    rate_rate: 110,
    spend_p: 4,
    spend_q: 4,
    spend_gamma: 3000,
  },
  share_tob: 0.15,
} as const;

/** Loyalty programme rules the ledger follows. */
export const LOYALTY = {
  points_per_yuan: 1,
  expiry_days: 730,
  tier_thresholds_rolling_365d_net_spend: { silver: 2000, gold: 8000, vip: 25000 },
  signin_points: 5,
  review_points: 20,
  share_points: 10,
  yuan_per_point_redeemed: 0.01,
} as const;
