// Page data for Loyalty and incentives: campaign ROI with intervals (and whether a holdout exists),
// redemption, points liability, member tiers, member spend and referrals. Aggregates from the marts.
import { rounded, runLoader } from "../lib/loader.ts";

/** Campaigns shipped: the latest by start date; campaignTotals counts them all. */
const CAMPAIGNS = 100;

await runLoader("loyalty", async (k) => ({
  campaignLimit: CAMPAIGNS,
  campaignTotals: await k
    .selectFrom("incentive_roi")
    .select((eb) => [eb.fn.countAll<number>().as("campaigns"), eb.fn.countAll<number>().filterWhere("has_holdout", "=", true).as("with_holdout")])
    .executeTakeFirst(),
  campaigns: rounded(
    await k
      .selectFrom("incentive_roi")
      .select([
        "campaign_id", "campaign_name", "campaign_type", "start_date", "end_date", "measurement_days", "has_holdout", "causal_claim", "causal_note",
        "treated_customers", "holdout_customers", "redemption_rate", "low_usage", "incremental_revenue_per_customer", "ci_low", "ci_high",
        "incremental_margin", "cost", "roi", "roi_ci_low", "roi_ci_high",
      ])
      .orderBy("start_date", "desc")
      .orderBy("campaign_id", "desc")
      .limit(CAMPAIGNS)
      .execute(),
  ).reverse(),
  points: rounded(
    await k
      .selectFrom("loyalty_points_monthly")
      .select(["month", "tier", "members", "points_earned", "points_redeemed", "points_expired", "outstanding_points", "liability_value", "redemption_rate", "cumulative_redemption_rate"])
      .orderBy("month")
      .orderBy("tier")
      .execute(),
  ),
  tiers: rounded(
    await k.selectFrom("loyalty_tiers").select(["month", "tier", "members", "share", "upgrades_in", "downgrades_in"]).orderBy("month").orderBy("tier").execute(),
  ),
  memberSpend: rounded(
    await k
      .selectFrom("member_spend")
      .select(["month", "membership", "buying_customers", "revenue", "revenue_per_buying_customer", "average_order_value"])
      .orderBy("month")
      .orderBy("membership")
      .execute(),
  ),
  referrals: rounded(
    await k
      .selectFrom("referral_program")
      .select([
        "period_type", "period_start", "new_customers", "referred_new_customers", "referral_rate", "referrers",
        "referred_revenue_per_customer", "other_revenue_per_customer", "value_window_complete",
      ])
      .orderBy("period_type")
      .orderBy("period_start")
      .execute(),
  ),
}));
