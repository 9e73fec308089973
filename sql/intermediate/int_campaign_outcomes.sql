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

-- Each assignment with its campaign's measurement window (none when the campaign is unknown: no orders count).
windows as (
  select
    a.campaign_id,
    a.customer_id,
    a.arm,
    a.assigned_at,
    c.start_date as window_start,
    c.start_date + cast(c.measurement_days as integer) as window_end
  from assignments as a
  left join campaigns as c on c.campaign_id = a.campaign_id
),

-- Grouped by the whole assignment row (its key decides the rest), so no second join is needed to get arm and
-- assigned_at back. A matched order always has an order_date, so counting it counts the matched orders.
revenue as (
  select
    w.campaign_id,
    w.customer_id,
    w.arm,
    w.assigned_at,
    coalesce(sum(o.net_amount), 0) as net_revenue,
    count(o.order_date) as orders
  from windows as w
  left join orders as o
    on o.customer_id = w.customer_id
    and o.order_date >= w.window_start
    and o.order_date < w.window_end
  group by all
),

used as (
  select campaign_id, customer_id, count(*) as redemptions, sum(cost) as redemption_cost
  from redemptions
  group by campaign_id, customer_id
),

final as (
  select
    r.campaign_id,
    r.customer_id,
    r.arm,
    r.assigned_at,
    r.net_revenue,
    r.orders,
    coalesce(u.redemptions, 0) as redemptions,
    coalesce(u.redemption_cost, 0) as redemption_cost
  from revenue as r
  left join used as u on u.campaign_id = r.campaign_id and u.customer_id = r.customer_id
)

select * from final
