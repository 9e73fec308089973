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

events as (
  select * from stg_loyalty_events
),

as_of as (
  select * from int_as_of
),

members as (
  select
    c.customer_id,
    least(c.signup_date, min(cast(e.occurred_at as date))) as since,
    any_value(c.tier) as crm_tier
  from customers as c
  left join events as e on e.customer_id = c.customer_id
  where c.is_member or e.event_id is not null
  group by c.customer_id, c.signup_date
),

grid as (
  select
    m.customer_id,
    m.crm_tier,
    cast(unnest(generate_series(date_trunc('month', m.since), date_trunc('month', a.as_of_date), interval 1 month)) as date) as month
  from members as m
  cross join as_of as a
  where a.as_of_date is not null and m.since is not null
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

with_flows as (
  select
    g.customer_id,
    g.month,
    g.crm_tier,
    coalesce(f.earned, 0) as earned,
    coalesce(f.earned_purchase, 0) as earned_purchase,
    coalesce(f.earned_tasks, 0) as earned_tasks,
    coalesce(f.redeemed, 0) as redeemed,
    coalesce(f.expired, 0) as expired,
    g.month + interval 1 month as month_end_exclusive
  from grid as g
  left join flows as f on f.customer_id = g.customer_id and f.month = g.month
),

balances as (
  select
    *,
    sum(earned - redeemed - expired) over (partition by customer_id order by month) as balance
  from with_flows
),

tiered as (
  select
    b.*,
    coalesce(last_change.tier_to, fc.initial_tier, b.crm_tier, 'none') as tier_at_month_end
  from balances as b
  asof left join tier_changes as last_change
    on last_change.customer_id = b.customer_id
    and last_change.occurred_at < b.month_end_exclusive
  left join first_change as fc on fc.customer_id = b.customer_id
),

final as (
  select
    customer_id, month, earned, earned_purchase, earned_tasks, redeemed, expired, balance, tier_at_month_end
  from tiered
)

select * from final
