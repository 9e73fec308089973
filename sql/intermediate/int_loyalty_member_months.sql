-- Loyalty members month by month: points moved in the month, balance and tier at month end.
-- grain: one row per customer_id × month, from the member's signup (or first ledger) month to the as-of month;
-- key: customer_id, month
-- members: customers with is_member = true or with any loyalty-ledger event.
-- formula: earned = Σ points of earn_* events; redeemed / expired = Σ points of those events; balance = running
--   Σ (earned − redeemed − expired) through month end. tier_at_month_end = tier_to of the customer's last
--   tier_change on or before month end; before the first change, that change's tier_from; with no change at all,
--   the CRM's current tier ('none' if empty).
-- window: each member's first month to the month of int_as_of.as_of_date.
with customers as (
  select * from stg_customers
),

-- Read by two steps; scanning the ledger twice costs less than holding a copy of it in memory.
events as not materialized (
  select * from stg_loyalty_events
),

as_of as (
  select * from int_as_of
),

-- Points are bigint, not the hugeint sum() returns: DuckDB reads, sorts and writes hugeint several times
-- slower, and the marts that sum these columns still get hugeint totals. Sums of case expressions (0 for other
-- types) aggregate faster than filtered sums, and the month is the event's date less its day of month, which
-- costs less than date_trunc on a timestamp. A month's tier changes ride along: the tier its last change
-- leaves (tier_to, kept even when null, as the as-of rule does), null when the month has no change.
flows as (
  select
    customer_id,
    cast(occurred_at as date) - cast(day(occurred_at) - 1 as integer) as month,
    cast(sum(case when event_type like 'earn_%' then points else 0 end) as bigint) as earned,
    cast(sum(case when event_type = 'earn_purchase' then points else 0 end) as bigint) as earned_purchase,
    cast(sum(case when event_type in ('earn_signin', 'earn_review', 'earn_share') then points else 0 end) as bigint)
      as earned_tasks,
    cast(sum(case when event_type = 'redeem' then points else 0 end) as bigint) as redeemed,
    cast(sum(case when event_type = 'expire' then points else 0 end) as bigint) as expired,
    arg_max_null(struct_pack(tier := tier_to), occurred_at) filter (where event_type = 'tier_change') as month_change
  from events
  group by all
),

-- flows has a row for every customer and month with a ledger event, so its first month is the first event's.
ledger_starts as (
  select customer_id, min(month) as first_month
  from flows
  group by customer_id
),

tier_changes as (
  select customer_id, occurred_at, tier_from
  from events
  where event_type = 'tier_change'
),

first_change as (
  select customer_id, arg_min(tier_from, occurred_at) as initial_tier
  from tier_changes
  group by customer_id
),

-- fallback_tier: the tier before any change (the first change's tier_from, else the CRM's tier, else 'none').
members as (
  select
    c.customer_id,
    cast(date_trunc('month', least(c.signup_date, l.first_month)) as date) as first_month,
    l.first_month as ledger_first_month,
    coalesce(fc.initial_tier, c.tier, 'none') as fallback_tier
  from customers as c
  left join ledger_starts as l on l.customer_id = c.customer_id
  left join first_change as fc on fc.customer_id = c.customer_id
  where c.is_member or l.customer_id is not null
),

-- Balance and tier only change in months with ledger events, so they are computed on those months (and each
-- member's first month) and carried over the quiet months in between, instead of on every member month.
-- The first month is a ledger month unless the member signed up before the first event (or has none); only
-- then does it need a row of its own. A member's first month is never after its first ledger month, so every
-- ledger month of a member is in its window up to the as-of month.
changes as (
  select
    f.customer_id,
    f.month,
    m.fallback_tier,
    coalesce(f.earned, 0) as earned,
    coalesce(f.earned_purchase, 0) as earned_purchase,
    coalesce(f.earned_tasks, 0) as earned_tasks,
    coalesce(f.redeemed, 0) as redeemed,
    coalesce(f.expired, 0) as expired,
    f.month_change
  from flows as f
  inner join members as m on m.customer_id = f.customer_id
  cross join as_of as a
  where f.month <= date_trunc('month', a.as_of_date)
  union all
  select
    m.customer_id,
    m.first_month as month,
    m.fallback_tier,
    0, 0, 0, 0, 0,
    null
  from members as m
  cross join as_of as a
  where (m.ledger_first_month is null or m.first_month < m.ledger_first_month)
    and m.first_month <= date_trunc('month', a.as_of_date)
),

states as (
  select
    customer_id,
    month,
    earned,
    earned_purchase,
    earned_tasks,
    redeemed,
    expired,
    fallback_tier,
    sum(earned - redeemed - expired) over history as balance,
    -- the latest change up to this month; its tier_to may be null, which falls back like no change at all
    last_value(month_change ignore nulls) over history as last_change,
    lead(month) over by_month as next_change_month
  from changes
  window
    by_month as (partition by customer_id order by month),
    history as (by_month rows between unbounded preceding and current row)
),

-- Read twice (for its spans and for the grid), so it is computed once.
tiered as materialized (
  select
    s.customer_id,
    s.month,
    s.earned,
    s.earned_purchase,
    s.earned_tasks,
    s.redeemed,
    s.expired,
    cast(s.balance as bigint) as balance,
    coalesce(s.last_change.tier, s.fallback_tier) as tier_at_month_end,
    coalesce(s.next_change_month, cast(date_trunc('month', a.as_of_date) + interval 1 month as date)) as next_month
  from states as s
  cross join as_of as a
),

-- Each change month stands for itself and the quiet months up to the next change (or the as-of month). The
-- few distinct (month, next_month) spans are expanded to their months once, and an equality join on the span
-- copies them to the change months: far cheaper than a generated series unnested on every change month.
span_bounds as (
  select distinct month, next_month
  from tiered
),

spans as (
  select
    month,
    next_month,
    cast(unnest(generate_series(month, next_month - interval 1 month, interval 1 month)) as date) as grid_month
  from span_bounds
),

grid as (
  select t.*, s.grid_month
  from tiered as t
  inner join spans as s on s.month = t.month and s.next_month = t.next_month
),

final as (
  select
    customer_id,
    grid_month as month,
    case when grid_month = month then earned else 0 end as earned,
    case when grid_month = month then earned_purchase else 0 end as earned_purchase,
    case when grid_month = month then earned_tasks else 0 end as earned_tasks,
    case when grid_month = month then redeemed else 0 end as redeemed,
    case when grid_month = month then expired else 0 end as expired,
    balance,
    tier_at_month_end
  from grid
)

select * from final
