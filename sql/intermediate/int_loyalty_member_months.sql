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

flows as (
  select
    customer_id,
    cast(date_trunc('month', occurred_at) as date) as month,
    sum(points) filter (where event_type like 'earn_%') as earned,
    sum(points) filter (where event_type = 'earn_purchase') as earned_purchase,
    sum(points) filter (where event_type in ('earn_signin', 'earn_review', 'earn_share')) as earned_tasks,
    sum(points) filter (where event_type = 'redeem') as redeemed,
    sum(points) filter (where event_type = 'expire') as expired
  from events
  group by all
),

-- flows has a row for every customer and month with a ledger event, so its first month is the first event's.
ledger_starts as (
  select customer_id, min(month) as first_month
  from flows
  group by customer_id
),

members as (
  select
    c.customer_id,
    cast(date_trunc('month', least(c.signup_date, l.first_month)) as date) as first_month,
    c.tier as crm_tier
  from customers as c
  left join ledger_starts as l on l.customer_id = c.customer_id
  where c.is_member or l.customer_id is not null
),

tier_changes as (
  select customer_id, occurred_at, tier_from, tier_to
  from events
  where event_type = 'tier_change'
),

first_change as (
  select customer_id, arg_min(tier_from, occurred_at) as initial_tier
  from tier_changes
  group by customer_id
),

-- The tier a month's changes leave: tier_to of its last change (kept even when null, as the as-of rule does).
month_tiers as (
  select
    customer_id,
    cast(date_trunc('month', occurred_at) as date) as month,
    arg_max_null(tier_to, occurred_at) as tier_to
  from tier_changes
  where occurred_at is not null
  group by all
),

-- Balance and tier only change in months with ledger events, so they are computed on those months (and each
-- member's first month) and carried over the quiet months in between, instead of on every member month.
change_months as (
  select customer_id, month from flows where month is not null
  union
  select customer_id, first_month from members
),

changes as (
  select
    k.customer_id,
    k.month,
    m.crm_tier,
    coalesce(f.earned, 0) as earned,
    coalesce(f.earned_purchase, 0) as earned_purchase,
    coalesce(f.earned_tasks, 0) as earned_tasks,
    coalesce(f.redeemed, 0) as redeemed,
    coalesce(f.expired, 0) as expired,
    case when t.customer_id is not null then struct_pack(tier := t.tier_to) end as month_change,
    cast(date_trunc('month', a.as_of_date) as date) as last_month
  from change_months as k
  inner join members as m on m.customer_id = k.customer_id
  cross join as_of as a
  left join flows as f on f.customer_id = k.customer_id and f.month = k.month
  left join month_tiers as t on t.customer_id = k.customer_id and t.month = k.month
  where a.as_of_date is not null and k.month >= m.first_month and k.month <= date_trunc('month', a.as_of_date)
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
    crm_tier,
    last_month,
    sum(earned - redeemed - expired) over history as balance,
    -- the latest change up to this month; its tier_to may be null, which falls back like no change at all
    last_value(month_change ignore nulls) over history as last_change,
    lead(month) over by_month as next_change_month
  from changes
  window
    by_month as (partition by customer_id order by month),
    history as (by_month rows between unbounded preceding and current row)
),

tiered as (
  select
    s.*,
    coalesce(s.last_change.tier, fc.initial_tier, s.crm_tier, 'none') as tier_at_month_end,
    coalesce(s.next_change_month, s.last_month + interval 1 month) as next_month
  from states as s
  left join first_change as fc on fc.customer_id = s.customer_id
),

-- Each change month stands for itself and the quiet months up to the next change (or the as-of month).
grid as (
  select
    t.*,
    cast(unnest(generate_series(t.month, t.next_month - interval 1 month, interval 1 month)) as date) as grid_month
  from tiered as t
),

-- Points are bigint, not the hugeint sum() returns: DuckDB reads and writes hugeint columns several times
-- slower, and the marts that sum these columns still get hugeint totals.
final as (
  select
    customer_id,
    grid_month as month,
    cast(case when grid_month = month then earned else 0 end as bigint) as earned,
    cast(case when grid_month = month then earned_purchase else 0 end as bigint) as earned_purchase,
    cast(case when grid_month = month then earned_tasks else 0 end as bigint) as earned_tasks,
    cast(case when grid_month = month then redeemed else 0 end as bigint) as redeemed,
    cast(case when grid_month = month then expired else 0 end as bigint) as expired,
    cast(balance as bigint) as balance,
    tier_at_month_end
  from grid
)

select * from final
