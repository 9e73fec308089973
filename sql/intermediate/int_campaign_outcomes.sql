-- Intent-to-treat outcome of every campaign assignment: what the customer spent in the measurement window and
-- whether (and at what cost) they used the benefit, whatever arm they were in.
-- grain: one row per campaign_id × customer_id; key: campaign_id, customer_id
-- formula: net_revenue = Σ stg_orders.net_amount (cancelled = 0; gross − discount − refund) of the customer's
-- orders with order_date in [start_date, start_date + measurement_days); 0 when there are none (intent to treat:
-- every assigned customer counts, buyer or not). redemptions / redemption_cost: the customer's redemptions of
-- this campaign (any date; cost = discount, cashback, points at redemption value or referral reward).
-- window: each campaign's [start_date, start_date + measurement_days).
with campaigns as (
  select * from stg_campaigns
),

assignments as (
  select * from stg_campaign_assignments
),

orders as (
  select * from stg_orders
),

redemptions as (
  select * from stg_campaign_redemptions
),

revenue as (
  select
    a.campaign_id,
    a.customer_id,
    coalesce(sum(o.net_amount), 0) as net_revenue,
    count(o.order_id) as orders
  from assignments as a
  inner join campaigns as c on c.campaign_id = a.campaign_id
  left join orders as o
    on o.customer_id = a.customer_id
    and o.order_date >= c.start_date
    and o.order_date < c.start_date + cast(c.measurement_days as integer)
  group by a.campaign_id, a.customer_id
),

used as (
  select campaign_id, customer_id, count(*) as redemptions, sum(cost) as redemption_cost
  from redemptions
  group by campaign_id, customer_id
),

final as (
  select
    a.campaign_id,
    a.customer_id,
    a.arm,
    a.assigned_at,
    coalesce(r.net_revenue, 0) as net_revenue,
    coalesce(r.orders, 0) as orders,
    coalesce(u.redemptions, 0) as redemptions,
    coalesce(u.redemption_cost, 0) as redemption_cost
  from assignments as a
  left join revenue as r on r.campaign_id = a.campaign_id and r.customer_id = a.customer_id
  left join used as u on u.campaign_id = a.campaign_id and u.customer_id = a.customer_id
)

select * from final
