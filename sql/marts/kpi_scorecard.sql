-- KPI scorecard (季度复盘): every KPI of config_targets per month and per quarter, against its target and the
-- previous period. The overview page and the quarterly review read this table.
-- grain: one row per kpi × period_type × period_start; key: kpi, period_type, period_start
-- periods: every calendar month and quarter from the first period any KPI is measured in to the as-of period
--   (int_as_of); snapshot KPIs (high_value_revenue_share, profile_completeness, core_customer_churn: measured on
--   the current CRM state) appear only for the as-of month and quarter.
-- status: 'missing' when the period has no measurement (never shown as 0); otherwise, with t = target and
--   m = at_risk_margin × |t|: direction 'higher' → 'met' if actual ≥ t, 'at risk' if actual ≥ t − m, else
--   'missed'; direction 'lower' → 'met' if actual ≤ t, 'at risk' if actual ≤ t + m, else 'missed'.
-- previous = actual of the previous period (month − 1 / quarter − 3 months); change = actual − previous.
-- n = the sample size or denominator behind the actual; ci_low / ci_high = its 95% interval where it is a sample
--   statistic.
-- KPI definitions (percent = fraction; all windows are the calendar period unless said):
--   nps, csat_mean, csat_share: nps_by_segment / csat_by_segment, dimension 'all'.
--   new_customer_csat: new_customer_csat.csat_share. negative_feedback_rate: negative_feedback, dimension 'all'.
--   incentive_satisfaction: CSAT share of touchpoint 'loyalty' answers (csat_by_segment).
--   csat_yoy_uplift: (csat_mean − csat_mean 12 months earlier) / csat_mean 12 months earlier.
--   response_timeliness_rate, median_first_response_minutes, complaint_resolution_rate, resolved_within_3_contacts
--     (resolved_within_contacts_rate): service_rates, dimension 'all', tickets created in the period.
--   resolution_time_change: relative change of median_resolution_hours (complaints) vs 12 months earlier.
--   high_value_revenue_share: value_tier_summary core revenue_share (trailing 365 days to as-of).
--   profile_completeness: profile_completeness.completeness_rate (customer_type 'all').
--   winback_rate: winback (customer_type 'all') by churn month; a quarter pools its months' won_back / closed.
--   core_customer_churn: customer_segments: core customers whose lifecycle_stage is 'churned' / core customers.
--   churn_rate_change: churn_monthly ('all', complete months; a quarter pools churned / active_at_start) relative
--     change vs 12 months earlier.
--   incentive_roi: holdout campaigns by start period whose measurement window has ended by as-of:
--     (Σ incremental_margin − Σ cost) / Σ cost (incentive_roi).
--   repurchase_rate_change: repurchase_rate (tier 'all'; a quarter takes its last month) relative change vs 12
--     months earlier. referred_customers_change: referral_program.referred_new_customers vs 12 months earlier.
-- window: calendar months and quarters from the first measured period to the as-of period (int_as_of).
with targets as (
  select * from config_targets
),

as_of as (
  select * from int_as_of
),

nps as (
  select * from nps_by_segment where dimension = 'all'
),

csat as (
  select * from csat_by_segment where dimension = 'all'
),

csat_loyalty as (
  select * from csat_by_segment where dimension = 'touchpoint' and segment = 'loyalty'
),

new_csat as (
  select * from new_customer_csat
),

negative as (
  select * from negative_feedback where dimension = 'all'
),

service as (
  select * from service_rates where dimension = 'all'
),

value_tiers as (
  select * from value_tier_summary where customer_type = 'all' and value_tier = 'core'
),

profiles as (
  select * from profile_completeness where customer_type = 'all'
),

winbacks as (
  select * from winback where customer_type = 'all'
),

segments as (
  select * from customer_segments
),

churn as (
  select * from churn_monthly where customer_type = 'all' and is_complete
),

campaigns as (
  select * from incentive_roi where has_holdout
),

repurchase as (
  select * from repurchase_rate where tier = 'all'
),

referrals as (
  select * from referral_program
),

as_of_periods as (
  select 'month' as period_type, cast(date_trunc('month', as_of_date) as date) as period_start from as_of
  union all
  select 'quarter' as period_type, cast(date_trunc('quarter', as_of_date) as date) as period_start from as_of
),

winback_periods as (
  select 'month' as period_type, churn_month as period_start, won_back_customers, window_closed_customers from winbacks
  union all
  select 'quarter', cast(date_trunc('quarter', churn_month) as date), won_back_customers, window_closed_customers from winbacks
),

churn_periods as (
  select 'month' as period_type, month_start as period_start, churned_customers, active_at_start from churn
  union all
  select 'quarter', cast(date_trunc('quarter', month_start) as date), churned_customers, active_at_start from churn
),

churn_rates as (
  select period_type, period_start, sum(churned_customers) / nullif(sum(active_at_start), 0)::double as churn_rate,
    sum(active_at_start) as n
  from churn_periods
  group by all
),

repurchase_periods as (
  select 'month' as period_type, month_start as period_start, repurchase_rate, buyers from repurchase
  union all
  select
    'quarter',
    cast(date_trunc('quarter', month_start) as date),
    arg_max(repurchase_rate, month_start),
    arg_max(buyers, month_start)
  from repurchase
  group by cast(date_trunc('quarter', month_start) as date)
),

campaign_periods as (
  select 'month' as period_type, cast(date_trunc('month', start_date) as date) as period_start, *
  from campaigns
  where window_complete
  union all
  select 'quarter', cast(date_trunc('quarter', start_date) as date), *
  from campaigns
  where window_complete
),

actuals as (
  select 'nps' as kpi, period_type, period_start, nps as actual, ci_low, ci_high, responses as n, 'nps_by_segment' as source_mart
  from nps
  union all
  select 'csat_mean', period_type, period_start, csat_mean, mean_ci_low, mean_ci_high, responses, 'csat_by_segment'
  from csat
  union all
  select 'csat_share', period_type, period_start, csat_share, share_ci_low, share_ci_high, responses, 'csat_by_segment'
  from csat
  union all
  select 'new_customer_csat', period_type, period_start, csat_share, ci_low, ci_high, responses, 'new_customer_csat'
  from new_csat
  union all
  select 'negative_feedback_rate', period_type, period_start, negative_rate, ci_low, ci_high, responses, 'negative_feedback'
  from negative
  union all
  select 'incentive_satisfaction', period_type, period_start, csat_share, share_ci_low, share_ci_high, responses, 'csat_by_segment'
  from csat_loyalty
  union all
  select 'csat_yoy_uplift', period_type, period_start, mean_change_vs_last_year / nullif(last_year_csat_mean, 0),
    null, null, responses, 'csat_by_segment'
  from csat
  where last_year_csat_mean is not null
  union all
  select 'response_timeliness_rate', period_type, period_start, response_timeliness_rate, null, null,
    responses_met + responses_breached, 'service_rates'
  from service
  union all
  select 'median_first_response_minutes', period_type, period_start, median_first_response_minutes, null, null, responded,
    'service_rates'
  from service
  union all
  select 'complaint_resolution_rate', period_type, period_start, complaint_resolution_rate, null, null, complaints,
    'service_rates'
  from service
  union all
  select 'resolved_within_3_contacts', period_type, period_start, resolved_within_contacts_rate, null, null, resolved,
    'service_rates'
  from service
  union all
  select 'resolution_time_change', cur.period_type, cur.period_start,
    cur.median_resolution_hours / nullif(ly.median_resolution_hours, 0) - 1, null, null, cur.complaints, 'service_rates'
  from service as cur
  inner join service as ly
    on ly.period_type = cur.period_type and ly.period_start = cast(cur.period_start - to_months(12) as date)
  union all
  select 'high_value_revenue_share', p.period_type, p.period_start, v.revenue_share, null, null, v.customers,
    'value_tier_summary'
  from value_tiers as v
  cross join as_of_periods as p
  union all
  select 'profile_completeness', p.period_type, p.period_start, pc.completeness_rate, null, null, pc.customers,
    'profile_completeness'
  from profiles as pc
  cross join as_of_periods as p
  union all
  select 'winback_rate', period_type, period_start, sum(won_back_customers) / nullif(sum(window_closed_customers), 0)::double,
    null, null, sum(window_closed_customers), 'winback'
  from winback_periods
  group by period_type, period_start
  union all
  select 'core_customer_churn', p.period_type, p.period_start, s.churned_core / nullif(s.core, 0)::double, null, null,
    s.core, 'customer_segments'
  from (
    select
      count(*) filter (where value_tier = 'core') as core,
      count(*) filter (where value_tier = 'core' and lifecycle_stage = 'churned') as churned_core
    from segments
  ) as s
  cross join as_of_periods as p
  where s.core > 0
  union all
  select 'churn_rate_change', cur.period_type, cur.period_start, cur.churn_rate / nullif(ly.churn_rate, 0) - 1, null, null,
    cur.n, 'churn_monthly'
  from churn_rates as cur
  inner join churn_rates as ly
    on ly.period_type = cur.period_type and ly.period_start = cast(cur.period_start - to_months(12) as date)
  union all
  select 'incentive_roi', period_type, period_start, (sum(incremental_margin) - sum(cost)) / nullif(sum(cost), 0), null,
    null, sum(treated_customers), 'incentive_roi'
  from campaign_periods
  group by period_type, period_start
  union all
  select 'repurchase_rate_change', cur.period_type, cur.period_start, cur.repurchase_rate / nullif(ly.repurchase_rate, 0) - 1,
    null, null, cur.buyers, 'repurchase_rate'
  from repurchase_periods as cur
  inner join repurchase_periods as ly
    on ly.period_type = cur.period_type and ly.period_start = cast(cur.period_start - to_months(12) as date)
  union all
  select 'referred_customers_change', cur.period_type, cur.period_start,
    cur.referred_new_customers / nullif(ly.referred_new_customers, 0)::double - 1, null, null, cur.referred_new_customers,
    'referral_program'
  from referrals as cur
  inner join referrals as ly
    on ly.period_type = cur.period_type and ly.period_start = cast(cur.period_start - to_months(12) as date)
),

measured as (
  select * from actuals where actual is not null and isfinite(actual)
),

snapshot_kpis as (
  select unnest(['high_value_revenue_share', 'profile_completeness', 'core_customer_churn']) as kpi
),

first_period as (
  select min(period_start) as first_start from measured
),

spine as (
  select 'month' as period_type, cast(m as date) as period_start
  from first_period as f
  cross join as_of as a
  cross join unnest(generate_series(date_trunc('month', f.first_start), date_trunc('month', a.as_of_date), interval 1 month)) as g(m)
  union all
  select 'quarter' as period_type, cast(q as date) as period_start
  from first_period as f
  cross join as_of as a
  cross join unnest(generate_series(date_trunc('quarter', f.first_start), date_trunc('quarter', a.as_of_date), interval 3 month)) as g(q)
),

grid as (
  select t.*, s.period_type, s.period_start
  from targets as t
  cross join spine as s
  where t.kpi not in (select kpi from snapshot_kpis)
  union all
  select t.*, p.period_type, p.period_start
  from targets as t
  inner join snapshot_kpis as k on k.kpi = t.kpi
  cross join as_of_periods as p
  where p.period_start is not null
),

sources as (
  select kpi, any_value(source_mart) as source_mart from actuals group by kpi
),

joined as (
  select
    g.*,
    m.actual,
    m.ci_low,
    m.ci_high,
    m.n,
    prev.actual as previous,
    s.source_mart
  from grid as g
  left join measured as m on m.kpi = g.kpi and m.period_type = g.period_type and m.period_start = g.period_start
  left join measured as prev
    on prev.kpi = g.kpi
    and prev.period_type = g.period_type
    and prev.period_start = cast(g.period_start - to_months(case g.period_type when 'month' then 1 else 3 end) as date)
  left join sources as s on s.kpi = g.kpi
),

final as (
  select
    j.kpi,
    j.label,
    j.period_type,
    j.period_start,
    j.period = j.period_type as is_review_period,
    cast(j.period_start + to_months(case j.period_type when 'month' then 1 else 3 end) as date) > a.as_of_date + 1
      as is_partial_period,
    j.actual,
    j.ci_low,
    j.ci_high,
    j.n,
    j.target,
    j.direction,
    j.unit,
    j.at_risk_margin,
    j.previous,
    j.actual - j.previous as change,
    case
      when j.actual is null then 'missing'
      when j.direction = 'higher' and j.actual >= j.target then 'met'
      when j.direction = 'higher' and j.actual >= j.target - j.at_risk_margin * abs(j.target) then 'at risk'
      when j.direction = 'higher' then 'missed'
      when j.actual <= j.target then 'met'
      when j.actual <= j.target + j.at_risk_margin * abs(j.target) then 'at risk'
      else 'missed'
    end as status,
    j.source_mart,
    a.as_of_date
  from joined as j
  cross join as_of as a
)

select * from final
