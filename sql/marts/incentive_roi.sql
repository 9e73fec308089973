-- Incentive ROI (激励投入产出比) per campaign, from the randomized holdout.
-- grain: one row per campaign_id; key: campaign_id
-- window: orders with order_date in [start_date, start_date + measurement_days); intent to treat (every assigned
--   customer counts, with 0 revenue if they did not buy; revenue = stg_orders.net_amount, cancelled = 0).
-- formulas:
--   redemption_rate = treated customers who used the benefit / treated customers; low_usage = redemption_rate <
--     config low_redemption_rate (0.2): a candidate to retire.
--   incremental_revenue_per_customer = mean revenue (treated) − mean revenue (holdout);
--   se = sqrt(s_t²/n_t + s_h²/n_h); Welch–Satterthwaite df = se⁴ / ((s_t²/n_t)²/(n_t−1) + (s_h²/n_h)²/(n_h−1));
--   95% CI = diff ± t(0.975, df) × se, t from int_t_quantiles at floor(df) for df ≤ 30 (conservative), the
--   Cornish–Fisher expansion beyond (|error| < 1e-4); when se = 0 the interval is the point.
--   incremental_margin_per_customer = incremental revenue × config clv_margin (CI likewise).
--   cost = Σ redemption cost of the treated arm (discounts, points, cashback, referral rewards).
--   roi = (incremental_margin_per_customer × treated_customers − cost) / cost; roi_ci_low/high put the margin CI
--     bounds in the same formula (cost treated as known). NULL when cost = 0.
--   A campaign without a randomized holdout (has_holdout false, or no holdout customers assigned) has NULL effect,
--   CI and ROI columns and causal_claim = false: its revenue is shown, no lift is claimed.
--   window_complete is false while the measurement window runs past int_as_of (the estimate is provisional).
with campaigns as (
  select * from stg_campaigns
),

outcomes as (
  select * from int_campaign_outcomes
),

t_quantiles as (
  select * from int_t_quantiles
),

config as (
  select * from config_metrics
),

as_of as (
  select * from int_as_of
),

arms as (
  select
    campaign_id,
    count(*) filter (where arm = 'treatment') as treated_customers,
    count(*) filter (where arm = 'holdout') as holdout_customers,
    count(*) filter (where arm = 'treatment' and redemptions > 0) as treated_redeemers,
    count(*) filter (where arm = 'holdout' and redemptions > 0) as holdout_redeemers,
    avg(net_revenue) filter (where arm = 'treatment') as treated_revenue_per_customer,
    avg(net_revenue) filter (where arm = 'holdout') as holdout_revenue_per_customer,
    var_samp(net_revenue) filter (where arm = 'treatment') as treated_variance,
    var_samp(net_revenue) filter (where arm = 'holdout') as holdout_variance,
    coalesce(sum(redemption_cost) filter (where arm = 'treatment'), 0) as cost
  from outcomes
  group by campaign_id
),

campaign_arms as (
  select
    c.campaign_id,
    c.campaign_name,
    c.campaign_type,
    c.start_date,
    c.end_date,
    c.measurement_days,
    cast(c.start_date + cast(c.measurement_days as integer) as date) as measurement_end_exclusive,
    coalesce(c.has_holdout, false) and coalesce(a.holdout_customers, 0) > 0 as has_holdout,
    coalesce(a.treated_customers, 0) as treated_customers,
    coalesce(a.holdout_customers, 0) as holdout_customers,
    coalesce(a.treated_redeemers, 0) as treated_redeemers,
    coalesce(a.holdout_redeemers, 0) as holdout_redeemers,
    a.treated_revenue_per_customer,
    a.holdout_revenue_per_customer,
    a.treated_variance,
    a.holdout_variance,
    coalesce(a.cost, 0) as cost
  from campaigns as c
  left join arms as a on a.campaign_id = c.campaign_id
),

welch as (
  select
    *,
    case when has_holdout then treated_revenue_per_customer - holdout_revenue_per_customer end as diff,
    case when has_holdout then treated_variance / treated_customers + holdout_variance / holdout_customers end as se2
  from campaign_arms
),

welch_df as (
  select
    *,
    sqrt(se2) as se,
    pow(se2, 2) / nullif(
      pow(treated_variance / treated_customers, 2) / (treated_customers - 1)
        + pow(holdout_variance / holdout_customers, 2) / (holdout_customers - 1),
      0
    ) as df
  from welch
),

with_t as (
  select
    w.*,
    case
      when w.se = 0 then 0
      when w.df > 30 then 1.959964 + 2.372271 / w.df + 2.822499 / pow(w.df, 2) + 2.555850 / pow(w.df, 3)
      else q.t_975
    end as t_crit
  from welch_df as w
  left join t_quantiles as q on q.df = cast(floor(w.df) as integer)
),

effects as (
  select
    w.*,
    c.clv_margin as margin_rate,
    c.low_redemption_rate,
    w.diff - w.t_crit * w.se as ci_low,
    w.diff + w.t_crit * w.se as ci_high,
    coalesce(w.measurement_end_exclusive <= a.as_of_date + 1, false) as window_complete
  from with_t as w
  cross join config as c
  cross join as_of as a
),

final as (
  select
    campaign_id,
    campaign_name,
    campaign_type,
    start_date,
    end_date,
    measurement_days,
    measurement_end_exclusive,
    window_complete,
    has_holdout,
    has_holdout as causal_claim,
    case when has_holdout then 'randomized holdout' else 'no holdout: no causal effect claimed' end as causal_note,
    treated_customers,
    holdout_customers,
    treated_redeemers,
    treated_redeemers / nullif(treated_customers, 0)::double as redemption_rate,
    treated_redeemers / nullif(treated_customers, 0)::double < low_redemption_rate as low_usage,
    holdout_redeemers,
    treated_revenue_per_customer,
    holdout_revenue_per_customer,
    treated_revenue_per_customer * margin_rate as treated_margin_per_customer,
    holdout_revenue_per_customer * margin_rate as holdout_margin_per_customer,
    diff as incremental_revenue_per_customer,
    se as incremental_revenue_se,
    df as welch_df,
    t_crit,
    ci_low,
    ci_high,
    diff * margin_rate as incremental_margin_per_customer,
    ci_low * margin_rate as incremental_margin_ci_low,
    ci_high * margin_rate as incremental_margin_ci_high,
    diff * margin_rate * treated_customers as incremental_margin,
    cost,
    cost / nullif(treated_customers, 0) as cost_per_treated_customer,
    (diff * margin_rate * treated_customers - cost) / nullif(cost, 0) as roi,
    (ci_low * margin_rate * treated_customers - cost) / nullif(cost, 0) as roi_ci_low,
    (ci_high * margin_rate * treated_customers - cost) / nullif(cost, 0) as roi_ci_high,
    margin_rate
  from effects
)

select * from final
