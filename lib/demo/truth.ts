import { AS_OF, FIRST_DAY, formatDay, DAY } from "./calendar.ts";
import { CAMPAIGNS } from "./campaigns.ts";
import type { CsvWriter, PlantedBadRow } from "./csv-writer.ts";
import { BTYD, LOYALTY, type Scale } from "./scale.ts";
import type { CampaignTally } from "./treatment.ts";
import { WINDOWS } from "./treatment.ts";
import { NEGATIVE_THEMES } from "./vocab.ts";

export interface CampaignTruth {
  campaign_id: string;
  campaign_type: string;
  has_holdout: boolean;
  window_start: string;
  window_end_exclusive: string;
  treated_customers: number;
  holdout_customers: number;
  planted_purchase_lift: number;
  treated_mean_net_revenue: number;
  treated_counterfactual_mean_net_revenue: number;
  holdout_mean_net_revenue: number | null;
  true_incremental_revenue_per_customer: number;
  /** Standard error of the treated − holdout difference in means, from the realised outcomes. */
  difference_in_means_standard_error: number | null;
  redemptions: number;
  total_cost: number;
  /** Referral campaigns: customers who signed up during the offer referred by a treated / holdout customer. */
  referred_signups?: { by_treated: number; by_holdout: number };
}

export interface DemoTruth {
  generator: string;
  seed: number;
  scale: Scale;
  customers_requested: number;
  first_day: string;
  as_of: string;
  clean: boolean;
  definitions: Record<string, string>;
  rows: Record<string, number>;
  btyd: typeof BTYD;
  loyalty: typeof LOYALTY;
  service_desk: { agents: number; tickets: number };
  negative_comment_themes: readonly string[];
  campaigns: CampaignTruth[];
  planted_bad_rows: PlantedBadRow[];
  planted_exact_duplicates: Record<string, number>;
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function buildTruth(input: {
  seed: number;
  scale: Scale;
  customers: number;
  clean: boolean;
  writers: CsvWriter[];
  tallies: CampaignTally[];
  costs: { redemptions: number; cost: number }[];
  referrals: { treated: number; holdout: number }[];
  agents: number;
  tickets: number;
}): DemoTruth {
  const campaigns = CAMPAIGNS.map((c, k): CampaignTruth => {
    const t = input.tallies[k];
    const meanT = t.treated > 0 ? t.sumTreatedObserved / t.treated : 0;
    const meanH = t.holdout > 0 ? t.sumHoldout / t.holdout : null;
    const varT = t.treated > 1 ? (t.sumSqTreatedObserved - t.treated * meanT * meanT) / (t.treated - 1) : 0;
    const varH = t.holdout > 1 && meanH !== null ? (t.sumSqHoldout - t.holdout * meanH * meanH) / (t.holdout - 1) : null;
    return {
      campaign_id: c.id,
      campaign_type: c.type,
      has_holdout: c.hasHoldout,
      window_start: formatDay(WINDOWS[k].start / DAY),
      window_end_exclusive: formatDay(WINDOWS[k].windowEnd / DAY),
      treated_customers: t.treated,
      holdout_customers: t.holdout,
      planted_purchase_lift: c.lift,
      treated_mean_net_revenue: r4(meanT),
      treated_counterfactual_mean_net_revenue: r4(t.treated > 0 ? t.sumTreatedCounterfactual / t.treated : 0),
      holdout_mean_net_revenue: meanH === null ? null : r4(meanH),
      true_incremental_revenue_per_customer: r4(t.treated > 0 ? (t.sumTreatedObserved - t.sumTreatedCounterfactual) / t.treated : 0),
      difference_in_means_standard_error: varH === null || t.treated === 0 ? null : r4(Math.sqrt(varT / t.treated + varH / t.holdout)),
      redemptions: input.costs[k].redemptions,
      total_cost: Math.round(input.costs[k].cost * 100) / 100,
      ...(c.type === "referral" ? { referred_signups: { by_treated: input.referrals[k].treated, by_holdout: input.referrals[k].holdout } } : {}),
    };
  });
  return {
    generator: "lens demo",
    seed: input.seed,
    scale: input.scale,
    customers_requested: input.customers,
    first_day: FIRST_DAY,
    as_of: AS_OF,
    clean: input.clean,
    definitions: {
      net_revenue: "Per order: 0 if status = 'cancelled', else gross_amount − discount_amount − refund_amount (as stg_orders.net_amount).",
      campaign_window: "ordered_at in [start_date 00:00, start_date + measurement_days 00:00), Asia/Shanghai wall clock.",
      true_incremental_revenue_per_customer:
        "Mean over the customers assigned to treatment of (their net revenue in the window as treated − their net revenue in the window had they not been treated). Both potential outcomes are simulated with common random numbers; the control outcome is the customer's own purchase history, the treated outcome adds the benefit (coupon discounts replace everyday coupons) and the extra purchases the offer triggers. Assignment is random, so the treated − holdout difference in mean window net revenue over assigned customers (intent to treat) is an unbiased estimate. Referral campaigns change who signs up, not the referrer's own spending, so their planted effect on revenue is 0.",
      rows: "Good rows per file, excluding planted bad rows and exact duplicates.",
      planted_bad_rows: "line is the physical line in the CSV file; the header is line 1.",
      points: "earn_purchase points = floor(net order value × points_per_yuan × campaign points multiplier); expiry after expiry_days, oldest points redeemed first.",
      timestamps: "YYYY-MM-DD HH:MM:SS in Asia/Shanghai wall-clock time, no offset.",
    },
    rows: Object.fromEntries(input.writers.map((w) => [w.entity, w.rows])),
    btyd: BTYD,
    loyalty: LOYALTY,
    service_desk: { agents: input.agents, tickets: input.tickets },
    negative_comment_themes: NEGATIVE_THEMES,
    campaigns,
    planted_bad_rows: input.writers.flatMap((w) => w.bad),
    planted_exact_duplicates: Object.fromEntries(input.writers.filter((w) => w.duplicates > 0).map((w) => [w.entity, w.duplicates])),
  };
}
