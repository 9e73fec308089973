-- Repurchase rate (复购率) of consumers (ToC) over a trailing window, reported monthly.
-- grain: one row per month × tier ('all' or the CRM loyalty tier, 'none' when missing); key: month_start, tier
-- formula: window = the config repurchase_window_days days ending on period_end (the month's last day, or
--          as_of_date for the current month); buyers = ToC customers with ≥ 1 purchase day in the window;
--          repeat_buyers = those with ≥ 2 purchase days; repurchase_rate = repeat_buyers / buyers.
--          A purchase is an order neither cancelled nor fully refunded; orders on the same day count once.
-- window: trailing repurchase_window_days (default 365) per month, months from the first purchase to as_of
with months as (
  select * from int_calendar_months
),

purchase_days as (
  select * from int_customer_purchase_days
),

customers as (
  select * from int_customer_orders_summarized
),

config as (
  select cast(repurchase_window_days as integer) as window_days from config_metrics
),

as_of as (
  select * from int_as_of
),

consumer_days as (
  select
    purchase_days.customer_id,
    purchase_days.purchase_date,
    coalesce(customers.tier, 'none') as tier
  from purchase_days
  inner join customers on customers.customer_id = purchase_days.customer_id
  where customers.customer_type = 'ToC'
),

-- For a window ending on day e, what matters is the customer's last purchase p on or before e and the one
-- before it: the customer is a buyer when e − p < window_days and a repeat buyer when the previous purchase
-- is also inside. So each purchase day p owns the window ends e in [p, next purchase − 1] and, within them,
-- counts as a buyer up to p + window_days − 1 and as a repeat buyer up to previous + window_days − 1.
-- Every (customer, window end) is owned by exactly one purchase day: no expansion, no distinct count.
spans as (
  select
    consumer_days.tier,
    consumer_days.purchase_date as span_start,
    least(
      coalesce(lead(consumer_days.purchase_date) over by_day - 1, as_of.as_of_date),
      consumer_days.purchase_date + config.window_days - 1,
      as_of.as_of_date
    ) as buyer_until,
    -- least() skips nulls, so the first purchase (no previous one) must be excluded explicitly.
    case when lag(consumer_days.purchase_date) over by_day is not null then least(
      coalesce(lead(consumer_days.purchase_date) over by_day - 1, as_of.as_of_date),
      lag(consumer_days.purchase_date) over by_day + config.window_days - 1,
      as_of.as_of_date
    ) end as repeat_until,
    as_of.as_of_date
  from consumer_days
  cross join config
  cross join as_of
  window by_day as (partition by consumer_days.customer_id order by consumer_days.purchase_date)
),

-- Window ends are month ends (or as_of_date in the current month): a span [a, b] covers the months from
-- month(a) to the last month whose window end is ≤ b.
span_months as (
  select
    tier,
    cast(date_trunc('month', span_start) as date) as first_month,
    case
      when buyer_until = as_of_date or buyer_until = last_day(buyer_until) then cast(date_trunc('month', buyer_until) as date)
      else cast(date_trunc('month', buyer_until) - interval 1 month as date)
    end as last_buyer_month,
    case
      when repeat_until = as_of_date or repeat_until = last_day(repeat_until) then cast(date_trunc('month', repeat_until) as date)
      else cast(date_trunc('month', repeat_until) - interval 1 month as date)
    end as last_repeat_month
  from spans
),

-- Spans with the same tier and months change the counts alike, so they are counted once per distinct shape.
span_shapes as (
  select
    tier,
    first_month,
    last_buyer_month,
    last_repeat_month,
    case when last_buyer_month >= first_month then 1 else 0 end as covers_buyer,
    case when last_repeat_month >= first_month then 1 else 0 end as covers_repeat,
    count(*) as spans
  from span_months
  group by all
),

-- +1 from the month a span starts covering, −1 from the month after it stops; a running sum per month
-- gives the counts. One pass: each span shape emits its start and its two ends, weighted by its spans.
changes as (
  select
    tier,
    unnest([
      {'month_start': first_month, 'buyer': covers_buyer * spans, 'repeat': covers_repeat * spans},
      {'month_start': cast(last_buyer_month + interval 1 month as date), 'buyer': -covers_buyer * spans, 'repeat': 0},
      {'month_start': cast(coalesce(last_repeat_month, first_month) + interval 1 month as date), 'buyer': 0, 'repeat': -covers_repeat * spans}
    ]) as change
  from span_shapes
),

tiers as (
  select 'all' as tier
  union
  select distinct tier from consumer_days
),

monthly_changes as (
  select
    change.month_start,
    case when grouping(tier) = 1 then 'all' else tier end as tier,
    sum(change.buyer) as buyer_change,
    sum(change.repeat) as repeat_change
  from changes
  group by grouping sets ((change.month_start), (change.month_start, tier))
),

counted as (
  select
    months.month_start,
    months.period_end,
    months.period_end - config.window_days + 1 as window_start,
    months.is_complete,
    tiers.tier,
    sum(coalesce(monthly_changes.buyer_change, 0)) over running as buyers,
    sum(coalesce(monthly_changes.repeat_change, 0)) over running as repeat_buyers
  from months
  cross join tiers
  cross join config
  left join monthly_changes on monthly_changes.month_start = months.month_start and monthly_changes.tier = tiers.tier
  window running as (partition by tiers.tier order by months.month_start rows between unbounded preceding and current row)
),

final as (
  select
    month_start,
    tier,
    window_start,
    period_end as window_end,
    cast(buyers as bigint) as buyers,
    cast(repeat_buyers as bigint) as repeat_buyers,
    repeat_buyers / nullif(buyers, 0) as repurchase_rate,
    is_complete
  from counted
)

select * from final
