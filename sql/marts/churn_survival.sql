-- Kaplan–Meier survival curves: the share of customers not yet churned, by months since first purchase.
-- grain: one row per segment and months_since_first; key: segment_kind, segment, months_since_first.
--        segment_kind 'all' (segment 'all'), 'cohort' (segment = 'YYYY-MM' of the first purchase) or
--        'customer_type' (segment = CRM customer_type).
-- formula: event = the customer's first churn (last activity + config churn_days without purchase or
--          interaction); duration = whole months from first purchase to the churn date, or to as_of_date
--          for customers not churned (censored). At each month t: at_risk = customers with duration ≥ t,
--          churned = events at t, censored = censored at t (counted at risk at t);
--          survival = Π_{s ≤ t} (1 − churned_s / at_risk_s). 95% CI by Greenwood's variance
--          S² Σ churned / (at_risk (at_risk − churned)), clipped to [0, 1] (null once survival is 0).
-- window: all history up to int_as_of.as_of_date
with customers as (
  select * from int_customer_orders_summarized
),

spells as (
  select * from int_customer_activity_spells
),

as_of as (
  select * from int_as_of
),

first_churn as (
  select
    customer_id,
    min(churn_date) as first_churn_date
  from spells
  where is_churned
  group by customer_id
),

subjects as (
  select
    customers.customer_id,
    coalesce(customers.customer_type, 'unknown') as customer_type,
    strftime(customers.cohort_month, '%Y-%m') as cohort,
    first_churn.first_churn_date is not null as is_event,
    cast(date_sub('month', customers.first_purchase_date, coalesce(first_churn.first_churn_date, as_of.as_of_date)) as bigint) as duration_months
  from customers
  cross join as_of
  left join first_churn on first_churn.customer_id = customers.customer_id
  where customers.first_purchase_date is not null
),

segmented as (
  select 'all' as segment_kind, 'all' as segment, is_event, duration_months from subjects
  union all
  select 'cohort', cohort, is_event, duration_months from subjects
  union all
  select 'customer_type', customer_type, is_event, duration_months from subjects
),

segment_spans as (
  select
    segment_kind,
    segment,
    count(*) as customers,
    max(duration_months) as max_duration
  from segmented
  group by segment_kind, segment
),

grid as (
  select
    segment_kind,
    segment,
    customers,
    cast(unnest(range(0, max_duration + 1)) as bigint) as months_since_first
  from segment_spans
),

ended as (
  select
    segment_kind,
    segment,
    duration_months as months_since_first,
    count(*) filter (where is_event) as churned,
    count(*) filter (where not is_event) as censored
  from segmented
  group by segment_kind, segment, duration_months
),

counted as (
  select
    grid.segment_kind,
    grid.segment,
    grid.months_since_first,
    grid.customers,
    coalesce(ended.churned, 0) as churned,
    coalesce(ended.censored, 0) as censored
  from grid
  left join ended
    on ended.segment_kind = grid.segment_kind
    and ended.segment = grid.segment
    and ended.months_since_first = grid.months_since_first
),

at_risk as (
  select
    *,
    customers - coalesce(sum(churned + censored) over (
      partition by segment_kind, segment order by months_since_first
      rows between unbounded preceding and 1 preceding
    ), 0) as at_risk
  from counted
),

estimated as (
  select
    *,
    product(1 - churned / at_risk) over running as survival,
    sum(case when at_risk > churned then churned / (at_risk * (at_risk - churned)) end) over running as greenwood_sum,
    bool_or(at_risk = churned and churned > 0) over running as reached_zero
  from at_risk
  window running as (
    partition by segment_kind, segment order by months_since_first
    rows between unbounded preceding and current row
  )
),

final as (
  select
    segment_kind,
    segment,
    months_since_first,
    customers,
    cast(at_risk as bigint) as at_risk,
    churned,
    censored,
    survival,
    case when not reached_zero then greatest(0, survival - 1.96 * survival * sqrt(greenwood_sum)) end as survival_ci_low,
    case when not reached_zero then least(1, survival + 1.96 * survival * sqrt(greenwood_sum)) end as survival_ci_high
  from estimated
)

select * from final
