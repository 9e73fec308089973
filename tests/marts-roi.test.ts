import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { selectModels } from "../lib/models/graph.ts";
import { buildModels, readProject, type Model } from "../lib/models/project.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { freshWarehouse, insertRows } from "./util/warehouse.ts";

// The model files do not change during a test file: read and parse them once.
let project: Model[] | undefined;

const MARTS = ["incentive_roi", "referral_program", "loyalty_points_monthly", "loyalty_tiers", "loyalty_tier_migrations", "member_spend"];

/** Build the ROI marts and what they read. */
async function buildMarts(db: DuckDBConnection): Promise<void> {
  const all = (project ??= await readProject(db, "sql", { checkSources: false }));
  const keep = selectModels(all, MARTS.map((m) => `+${m}`));
  await buildModels(db, all.filter((m) => keep.has(m.name)));
}

type Row = Record<string, unknown>;
const close = (actual: unknown, expected: number, digits = 4) => expect(actual as number).toBeCloseTo(expected, digits);

const ids = ["T1", "T2", "T3", "T4", "H1", "H2", "H3"];
const customers = ids.map((customer_id) => ({ customer_id, customer_type: "ToC", signup_date: "2024-01-01" }));
const campaigns = [
  // measured over [2025-03-01, 2025-03-31): 30 days
  { campaign_id: "C1", campaign_name: "¥30 off ¥200", campaign_type: "coupon", start_date: "2025-03-01", end_date: "2025-03-14", measurement_days: 30, has_holdout: true },
  { campaign_id: "C2", campaign_name: "double points", campaign_type: "points_multiplier", start_date: "2025-03-01", end_date: "2025-03-14", measurement_days: 30, has_holdout: false },
];
const assignments = [
  ...["T1", "T2", "T3", "T4"].map((customer_id) => ({ campaign_id: "C1", customer_id, arm: "treatment", assigned_at: "2025-02-28" })),
  ...["H1", "H2", "H3"].map((customer_id) => ({ campaign_id: "C1", customer_id, arm: "holdout", assigned_at: "2025-02-28" })),
  ...["T1", "T2"].map((customer_id) => ({ campaign_id: "C2", customer_id, arm: "treatment", assigned_at: "2025-02-28" })),
];
let n = 0;
const order = (customer_id: string, day: string, gross: number, status = "completed", discount = 0) => ({
  order_id: `o${++n}`, customer_id, ordered_at: `${day} 12:00:00`, status, gross_amount: gross, discount_amount: discount,
});
const orders = [
  order("T1", "2025-03-02", 130, "completed", 30), // net 100
  order("T1", "2025-03-31", 500), // first day after the window: excluded
  order("T2", "2025-03-05", 200),
  order("T3", "2025-02-28", 400), // before the window: T3 counts with 0
  order("T4", "2025-03-10", 300),
  order("T4", "2025-03-11", 999, "cancelled"), // cancelled = 0
  order("H1", "2025-03-30", 50),
  order("H3", "2025-03-03", 60),
  order("H3", "2025-03-04", 40),
];
const redemptions = [
  { redemption_id: "r1", campaign_id: "C1", customer_id: "T1", order_id: "o1", redeemed_at: "2025-03-02 12:00:00", cost: 20 },
  { redemption_id: "r2", campaign_id: "C1", customer_id: "T2", order_id: "o3", redeemed_at: "2025-03-05 12:00:00", cost: 10 },
];

async function build() {
  const w = await freshWarehouse();
  await insertRows(w.db, "raw_customers", customers);
  await insertRows(w.db, "raw_orders", orders);
  await insertRows(w.db, "raw_campaigns", campaigns);
  await insertRows(w.db, "raw_campaign_assignments", assignments);
  await insertRows(w.db, "raw_campaign_redemptions", redemptions);
  await buildMarts(w.db);
  return w;
}

describe("incentive_roi", () => {
  it("matches a hand-computed Welch interval and ROI", async () => {
    const w = await build();
    const [c1] = await queryRows(w.db, "select * from incentive_roi where campaign_id = 'C1'");
    // treated revenue 100, 200, 0, 300 → mean 150, s² = (50² + 50² + 150² + 150²)/3 = 16,666.67
    // holdout 50, 0, 100 → mean 50, s² = (0 + 50² + 50²)/2 = 2,500
    // se² = 16,666.67/4 + 2,500/3 = 5,000 → se = 70.710678
    // df = 5,000² / ((4,166.67)²/3 + (833.33)²/2) = 4.0755 → floor 4 → t = 2.7764
    // CI = 100 ± 2.7764 × 70.710678 = 100 ± 196.321127 → [−96.321127, 296.321127]
    expect([c1.treated_customers, c1.holdout_customers, c1.treated_redeemers, c1.has_holdout, c1.causal_claim]).toEqual([4, 3, 2, true, true]);
    // the last data point is the order of 2025-03-31: the window [03-01, 03-31) has ended
    expect(c1.window_complete).toBe(true);
    close(c1.treated_revenue_per_customer, 150);
    close(c1.holdout_revenue_per_customer, 50);
    close(c1.incremental_revenue_per_customer, 100);
    close(c1.incremental_revenue_se, 70.710678);
    close(c1.welch_df, 4.075472);
    close(c1.t_crit, 2.7764);
    close(c1.ci_low, -96.321127);
    close(c1.ci_high, 296.321127);
    // margin 30% (default clv_margin): 30 per customer; cost = 20 + 10 = 30 (treated arm only)
    close(c1.incremental_margin_per_customer, 30);
    close(c1.cost, 30);
    close(c1.redemption_rate, 0.5);
    expect(c1.low_usage).toBe(false);
    // roi = (30 × 4 − 30)/30 = 3; bounds (−96.321127 × 0.3 × 4 − 30)/30 = −4.852845, (296.321127 × 1.2 − 30)/30 = 10.852845
    close(c1.roi, 3);
    close(c1.roi_ci_low, -4.852845);
    close(c1.roi_ci_high, 10.852845);
  });

  it("reports a campaign without a holdout with no effect and no causal claim", async () => {
    const w = await build();
    const [c2] = await queryRows(w.db, "select * from incentive_roi where campaign_id = 'C2'");
    expect([c2.has_holdout, c2.causal_claim, c2.treated_customers, c2.holdout_customers]).toEqual([false, false, 2, 0]);
    expect(c2.causal_note).toMatch(/no holdout/);
    for (const col of ["incremental_revenue_per_customer", "ci_low", "ci_high", "roi", "roi_ci_low", "roi_ci_high", "incremental_margin"]) {
      expect(c2[col], col).toBeNull();
    }
    close(c2.treated_revenue_per_customer, 150); // T1 100, T2 200: shown, not compared
    // nobody redeemed: 0 < 20% → a candidate to retire
    expect([c2.redemption_rate, c2.low_usage]).toEqual([0, true]);
  });

  it("uses the large-sample t beyond df 30", async () => {
    const w = await freshWarehouse();
    // 40 + 40 customers with alternating 0 / 100 revenue (treated) and 0 / 50 (holdout)
    const rows: Row[] = [];
    const ords: Row[] = [];
    for (let i = 0; i < 80; i++) {
      const arm = i < 40 ? "treatment" : "holdout";
      rows.push({ campaign_id: "C", customer_id: `x${i}`, arm, assigned_at: "2025-01-01" });
      if (i % 2 === 0) ords.push({ order_id: `q${i}`, customer_id: `x${i}`, ordered_at: "2025-01-02 10:00:00", status: "completed", gross_amount: arm === "treatment" ? 100 : 50 });
    }
    await insertRows(w.db, "raw_campaigns", [{ campaign_id: "C", campaign_name: "c", campaign_type: "cashback", start_date: "2025-01-01", end_date: "2025-01-10", measurement_days: 10, has_holdout: true }]);
    await insertRows(w.db, "raw_campaign_assignments", rows);
    await insertRows(w.db, "raw_orders", ords);
    await buildMarts(w.db);
    const [c] = await queryRows(w.db, "select * from incentive_roi");
    // treated: mean 50, s² = 40·50²/39 = 2,564.1026; holdout: mean 25, s² = 40·25²/39 = 641.0256
    // se² = (2,564.1026 + 641.0256)/40 = 80.128205 → se = 8.951436
    // df = 80.128205² / ((64.102564² + 16.025641²)/39) = 6,420.53 / 111.95 = 57.35 → t(57.35) = 2.00220
    close(c.incremental_revenue_per_customer, 25);
    close(c.incremental_revenue_se, 8.951436);
    close(c.welch_df, 57.352941, 3);
    expect(c.t_crit as number).toBeCloseTo(2.0022, 3);
    // no cost recorded: ROI undefined rather than infinite
    expect(c.roi).toBeNull();
    // the data end on 2025-01-02, inside the window [01-01, 01-11): provisional
    expect(c.window_complete).toBe(false);
  });

  it("builds on an empty warehouse", async () => {
    const w = await freshWarehouse();
    await buildMarts(w.db);
    for (const t of MARTS) expect(await queryRows(w.db, `select count(*)::int as n from ${t}`)).toEqual([{ n: 0 }]);
  });
});

describe("referral program", () => {
  it("compares referred new customers with the others", async () => {
    const w = await freshWarehouse();
    await insertRows(w.db, "raw_customers", [
      { customer_id: "a", customer_type: "ToC", signup_date: "2025-01-05" },
      { customer_id: "b", customer_type: "ToC", signup_date: "2025-01-06", referrer_id: "a" },
      { customer_id: "c", customer_type: "ToC", signup_date: "2025-01-07", referrer_id: "a" },
      { customer_id: "d", customer_type: "ToC", signup_date: "2025-02-07" },
    ]);
    await insertRows(w.db, "raw_orders", [
      { order_id: "1", customer_id: "a", ordered_at: "2025-01-10 10:00:00", status: "completed", gross_amount: 90 },
      { order_id: "2", customer_id: "b", ordered_at: "2025-01-10 10:00:00", status: "completed", gross_amount: 300 },
      { order_id: "3", customer_id: "b", ordered_at: "2026-01-06 10:00:00", status: "completed", gross_amount: 999 }, // day 365: outside the first year
      { order_id: "4", customer_id: "a", ordered_at: "2026-01-20 10:00:00", status: "completed", gross_amount: 10 }, // a's second year; sets the as-of date
    ]);
    await buildMarts(w.db);
    const rows = await queryRows(w.db, "select * from referral_program where period_type = 'month' order by period_start");
    // January: 3 new, 2 referred (b, c) by 1 referrer; referred mean (300 + 0)/2 = 150 vs others 90
    expect(rows.map((r: Row) => [r.period_start, r.new_customers, r.referred_new_customers, r.referrers])).toEqual([
      ["2025-01-01", 3, 2, 1],
      ["2025-02-01", 1, 0, 0],
    ]);
    close(rows[0].referral_rate, 2 / 3);
    close(rows[0].referred_revenue_per_customer, 150);
    close(rows[0].other_revenue_per_customer, 90);
    expect(rows[0].value_window_complete).toBe(true); // as of 2026-01-20 ≥ 2025-01-07 + 365 = 2026-01-07; February's 2026-02-07 is still ahead
    expect(rows[1].value_window_complete).toBe(false);
  });
});

describe("loyalty program", () => {
  it("tracks points, liability, tiers and member spend", async () => {
    const w = await freshWarehouse();
    await insertRows(w.db, "raw_customers", [
      { customer_id: "m1", customer_type: "ToC", signup_date: "2025-01-10", is_member: true, tier: "gold" },
      { customer_id: "m2", customer_type: "ToC", signup_date: "2025-02-01", is_member: true, tier: "silver" },
      { customer_id: "n1", customer_type: "ToC", signup_date: "2025-01-01", is_member: false },
    ]);
    let e = 0;
    const ev = (customer_id: string, at: string, event_type: string, points: number, extra: Row = {}) => ({
      event_id: `e${++e}`, customer_id, occurred_at: `${at} 12:00:00`, event_type, points, ...extra,
    });
    await insertRows(w.db, "raw_loyalty_events", [
      ev("m1", "2025-01-15", "earn_purchase", 1000),
      ev("m1", "2025-01-20", "earn_signin", 10),
      ev("m1", "2025-02-05", "redeem", 500),
      ev("m1", "2025-02-10", "tier_change", 0, { tier_from: "silver", tier_to: "gold" }),
      ev("m1", "2025-03-01", "expire", 100),
      ev("m2", "2025-02-03", "earn_review", 200),
      ev("m2", "2025-03-15", "earn_purchase", 300),
    ]);
    await insertRows(w.db, "raw_orders", [
      { order_id: "1", customer_id: "m1", ordered_at: "2025-01-15 12:00:00", status: "completed", gross_amount: 100 },
      { order_id: "2", customer_id: "n1", ordered_at: "2025-01-16 12:00:00", status: "completed", gross_amount: 50 },
      { order_id: "3", customer_id: "n1", ordered_at: "2025-01-17 12:00:00", status: "cancelled", gross_amount: 70 },
    ]);
    await buildMarts(w.db);
    const all = await queryRows(
      w.db,
      "select month, members, points_earned, points_redeemed, points_expired, outstanding_points, liability_value from loyalty_points_monthly where tier = 'all' order by month",
    );
    // Jan: m1 earns 1,010 → 1,010 outstanding = ¥10.10 at ¥0.01/point; Feb: m2 +200, m1 −500 → 710;
    // Mar: m2 +300, m1 expires 100 → 910
    expect(all).toEqual([
      { month: "2025-01-01", members: 1, points_earned: 1010, points_redeemed: 0, points_expired: 0, outstanding_points: 1010, liability_value: 10.1 },
      { month: "2025-02-01", members: 2, points_earned: 200, points_redeemed: 500, points_expired: 0, outstanding_points: 710, liability_value: 7.1 },
      { month: "2025-03-01", members: 2, points_earned: 300, points_redeemed: 0, points_expired: 100, outstanding_points: 910, liability_value: 9.1 },
    ]);
    const [feb] = await queryRows(w.db, "select cumulative_redemption_rate from loyalty_points_monthly where tier = 'all' and month = '2025-02-01'");
    close(feb.cumulative_redemption_rate, 500 / 1210);
    // m1 was silver until its upgrade on 02-10 (the first change's tier_from), gold after; m2 has no change: CRM tier
    const tiers = await queryRows(w.db, "select month, tier, members, share, upgrades_in from loyalty_tiers order by month, tier");
    expect(tiers).toEqual([
      { month: "2025-01-01", tier: "silver", members: 1, share: 1, upgrades_in: 0 },
      { month: "2025-02-01", tier: "gold", members: 1, share: 0.5, upgrades_in: 1 },
      { month: "2025-02-01", tier: "silver", members: 1, share: 0.5, upgrades_in: 0 },
      { month: "2025-03-01", tier: "gold", members: 1, share: 0.5, upgrades_in: 0 },
      { month: "2025-03-01", tier: "silver", members: 1, share: 0.5, upgrades_in: 0 },
    ]);
    const byTier = await queryRows(w.db, "select tier, outstanding_points from loyalty_points_monthly where month = '2025-02-01' and tier <> 'all' order by tier");
    expect(byTier).toEqual([
      { tier: "gold", outstanding_points: 510 },
      { tier: "silver", outstanding_points: 200 },
    ]);
    const spend = await queryRows(w.db, "select membership, buying_customers, orders, revenue from member_spend order by membership");
    expect(spend).toEqual([
      { membership: "member", buying_customers: 1, orders: 1, revenue: 100 },
      { membership: "non_member", buying_customers: 1, orders: 1, revenue: 50 },
    ]);
  });
});
