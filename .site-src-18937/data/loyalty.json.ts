// Page data for Loyalty and incentives: campaign ROI with intervals (and whether a holdout exists),
// redemption, points liability, member tiers, member spend and referrals. Aggregates from the marts.
import { runLoader, selectFrom } from "../lib/loader.ts";

await runLoader("loyalty", async (db) => ({
  campaigns: await selectFrom(
    db,
    "incentive_roi",
    ["campaign_id", "campaign_name", "campaign_type", "start_date", "end_date", "measurement_days", "has_holdout", "causal_claim", "causal_note", "treated_customers", "holdout_customers", "redemption_rate", "low_usage", "incremental_revenue_per_customer", "ci_low", "ci_high", "incremental_margin", "cost", "roi", "roi_ci_low", "roi_ci_high"],
    "order by start_date, campaign_id",
  ),
  points: await selectFrom(
    db,
    "loyalty_points_monthly",
    ["month", "tier", "members", "points_earned", "points_redeemed", "points_expired", "outstanding_points", "liability_value", "redemption_rate", "cumulative_redemption_rate"],
    "order by month, tier",
  ),
  tiers: await selectFrom(db, "loyalty_tiers", ["month", "tier", "members", "share", "upgrades_in", "downgrades_in"], "order by month, tier"),
  memberSpend: await selectFrom(db, "member_spend", ["month", "membership", "buying_customers", "revenue", "revenue_per_buying_customer", "average_order_value"], "order by month, membership"),
  referrals: await selectFrom(
    db,
    "referral_program",
    ["period_type", "period_start", "new_customers", "referred_new_customers", "referral_rate", "referrers", "referred_revenue_per_customer", "other_revenue_per_customer", "value_window_complete"],
    "order by period_type, period_start",
  ),
}));
