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

timelines as (
  select * from int_customer_activity_timelines
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

-- Each consumer's purchase days, in order.
consumer_purchases as (
  select
    coalesce(customers.tier, 'none') as tier,
    timelines.purchase_dates
  from timelines
  inner join customers on customers.customer_id = timelines.customer_id
  where customers.customer_type = 'ToC'
),

-- One row per purchase day with the days before and after it: the list shifted by one either way.
consumer_days as (
  select
    tier,
    unnest(purchase_dates) as purchase_date,
    unnest(list_prepend(null, purchase_dates[1:-2])) as previous_purchase_date,
    unnest(list_append(purchase_dates[2:], null)) as next_purchase_date
  from consumer_purchases
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
      coalesce(consumer_days.next_purchase_date - 1, as_of.as_of_date),
      consumer_days.purchase_date + config.window_days - 1,
      as_of.as_of_date
    ) as buyer_until,
    -- least() skips nulls, so the first purchase (no previous one) must be excluded explicitly.
    case when consumer_days.previous_purchase_date is not null then least(
      coalesce(consumer_days.next_purchase_date - 1, as_of.as_of_date),
      consumer_days.previous_purchase_date + config.window_days - 1,
      as_of.as_of_date
    ) end as repeat_until,
    as_of.as_of_date
  from consumer_days
  cross join config
  cross join as_of
),

-- Window ends are month ends (or as_of_date in the current month): a span [a, b] covers the months from
-- month(a) to the last month whose window end is ≤ b, which is month(b) when b is as_of_date and otherwise
-- the month before month(b + 1). Months are counted as year × 12 + month − 1 here: integer arithmetic on
-- millions of spans is far cheaper than truncating dates and subtracting intervals.
span_months as (
  select
    tier,
    year(span_start) * 12 + month(span_start) - 1 as first_month,
    case
      when buyer_until = as_of_date then year(buyer_until) * 12 + month(buyer_until) - 1
      else year(buyer_until + 1) * 12 + month(buyer_until + 1) - 2
    end as last_buyer_month,
    case
      when repeat_until = as_of_date then year(repeat_until) * 12 + month(repeat_until) - 1
      else year(repeat_until + 1) * 12 + month(repeat_until + 1) - 2
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
      {'month_number': first_month, 'buyer': covers_buyer * spans, 'repeat': covers_repeat * spans},
      {'month_number': last_buyer_month + 1, 'buyer': -covers_buyer * spans, 'repeat': 0},
      {'month_number': coalesce(last_repeat_month, first_month) + 1, 'buyer': 0, 'repeat': -covers_repeat * spans}
    ]) as change
  from span_shapes
),

tiers as (
  select 'all' as tier
  union
  select distinct tier from consumer_purchases
),

monthly_changes as (
  select
    make_date(cast(change.month_number // 12 as integer), cast(change.month_number % 12 + 1 as integer), 1) as month_start,
    case when grouping(tier) = 1 then 'all' else tier end as tier,
    sum(change.buyer) as buyer_change,
    sum(change.repeat) as repeat_change
  from changes
  group by grouping sets ((change.month_number), (change.month_number, tier))
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
