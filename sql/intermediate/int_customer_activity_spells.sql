-- Activity spells and churn events: a spell is a run of activity days with no gap longer than
-- churn_days; it ends in churn on churn_date = last activity + churn_days (config_metrics.churn_days).
-- grain: one row per customer and spell; key: customer_id, spell_number
-- formula: a customer is churned on day t when their last activity (purchase or interaction, see
--          int_customer_activity_timelines) before or on t is churn_days or more days earlier. is_churned =
--          churn_date ≤ as_of_date. next_purchase_date = first purchase after the spell (win-back).
-- window: all loaded history up to as_of_date
-- The days come as one ordered list per customer (int_customer_activity_timelines): walking a customer's
-- list is much cheaper than window functions over every activity day.
with timelines as (
  select * from int_customer_activity_timelines
),

customers as (
  select * from int_customer_orders_summarized
),

as_of as (
  select * from int_as_of
),

config as (
  select cast(churn_days as integer) as churn_days from config_metrics
),

-- A spell starts on the first activity day and on every day more than churn_days after the one before
-- (starts holds their positions in activity_dates).
spell_starts as (
  select
    timelines.customer_id,
    timelines.activity_dates,
    timelines.has_purchase,
    list_filter(
      range(1, len(timelines.activity_dates) + 1),
      lambda i: i = 1 or timelines.activity_dates[i] - timelines.activity_dates[i - 1] > config.churn_days
    ) as starts,
    config.churn_days
  from timelines
  cross join config
),

-- One row per spell, with the positions of its first and last day: a spell ends the day before the next
-- one starts, the last one on the last activity day.
numbered as (
  select
    customer_id,
    activity_dates,
    has_purchase,
    churn_days,
    starts,
    unnest(starts) as first_day,
    unnest(range(1, len(starts) + 1)) as spell_number
  from spell_starts
),

bounded as (
  select
    *,
    coalesce(starts[spell_number + 1] - 1, len(activity_dates)) as last_day
  from numbered
),

-- The next activity starts the next spell; the next purchase is the first purchase day after the spell.
spells as (
  select
    customer_id,
    spell_number,
    activity_dates[first_day] as spell_start,
    activity_dates[last_day] as last_activity_date,
    last_day - first_day + 1 as activity_days,
    len(list_filter(has_purchase[first_day:last_day], lambda purchased: purchased)) as purchase_days,
    activity_dates[last_day + 1] as next_activity_date,
    activity_dates[last_day + list_position(has_purchase[last_day + 1:], true)] as next_purchase_date,
    churn_days
  from bounded
),

final as (
  select
    spells.customer_id,
    customers.customer_type,
    customers.acquisition_channel,
    customers.tier,
    customers.first_purchase_date,
    customers.cohort_month,
    -- hugeint, the type this column has always had (it used to come from a running sum)
    cast(spells.spell_number as hugeint) as spell_number,
    spells.spell_start,
    spells.last_activity_date,
    spells.activity_days,
    spells.purchase_days,
    cast(spells.last_activity_date + spells.churn_days as date) as churn_date,
    spells.last_activity_date + spells.churn_days <= as_of.as_of_date as is_churned,
    spells.next_activity_date,
    spells.next_purchase_date
  from spells
  inner join customers on customers.customer_id = spells.customer_id
  cross join as_of
)

select * from final
