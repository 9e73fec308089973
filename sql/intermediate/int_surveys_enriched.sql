-- Survey answers with the respondent's segment and the scores' building blocks.
-- grain: one row per response_id; key: response_id
-- nps_point: +1 promoter (9–10), 0 passive (7–8), −1 detractor (0–6), NULL for CSAT answers.
-- csat_satisfied: score 4–5 on a CSAT answer, NULL for NPS answers.
-- is_negative: NPS ≤ 6 or CSAT ≤ 2 (the negative-feedback and verbatim-theme definition).
-- channel: the channel of the order or ticket the survey followed, else 'unknown'. tier: CRM loyalty tier.
-- value_tier: the respondent's value tier when answering, from non-cancelled orders in the 365 days before:
--   'core' (net spend > config core_annual_spend and ≥ core_min_orders orders), 'potential' (spend >
--   potential_annual_spend or ≥ 2 orders), else 'basic' (as in int_tickets_sla).
-- Out-of-range answers (a CSAT outside 1–5) are left out; the loader's range check admits 0–10 for both.
-- window: every loaded answer.
with responses as (
  select * from stg_survey_responses
),

customers as (
  select * from stg_customers
),

-- Read by two steps, each for a few columns: two narrow scans cost less than holding a copy of every order.
orders as not materialized (
  select * from stg_orders
),

tickets as (
  select * from stg_tickets
),

config as (
  select * from config_metrics
),

valid as (
  select *
  from responses
  where (survey_type = 'nps' and score between 0 and 10)
     or (survey_type = 'csat' and score between 1 and 5)
),

-- Only answers with an order in the window get a row here; the others have spent 0 in 0 orders.
spend_before as (
  select
    v.response_id,
    sum(o.net_amount) as spend_365d,
    count(*) as orders_365d
  from valid as v
  inner join orders as o
    on o.customer_id = v.customer_id
    and o.ordered_at < v.responded_at
    and o.ordered_at >= v.responded_at - interval 365 day
    and o.status <> 'cancelled'
  group by v.response_id
),

-- The channel of the order each answer followed: the orders answered about, found by a semi join, so the
-- join below holds those few instead of every order (at 30M orders that hash table no longer fit a 2 GB
-- memory_limit beside the others).
answered_orders as (
  select
    o.order_id,
    o.channel
  from orders as o
  semi join valid as v on v.order_id = o.order_id
),

joined as (
  select
    v.response_id,
    v.customer_id,
    v.responded_at,
    cast(date_trunc('month', v.responded_at) as date) as month,
    cast(date_trunc('quarter', v.responded_at) as date) as quarter,
    v.survey_type,
    v.touchpoint,
    v.score,
    v.comment,
    v.order_id,
    v.ticket_id,
    coalesce(c.customer_type, 'unknown') as customer_type,
    coalesce(c.tier, 'none') as tier,
    coalesce(c.region, 'unknown') as region,
    coalesce(o.channel, t.channel, 'unknown') as channel,
    case
      when coalesce(sb.spend_365d, 0) > cfg.core_annual_spend and coalesce(sb.orders_365d, 0) >= cfg.core_min_orders then 'core'
      when coalesce(sb.spend_365d, 0) > cfg.potential_annual_spend or coalesce(sb.orders_365d, 0) >= 2 then 'potential'
      else 'basic'
    end as value_tier
  from valid as v
  left join spend_before as sb on sb.response_id = v.response_id
  cross join config as cfg
  left join customers as c on c.customer_id = v.customer_id
  left join answered_orders as o on o.order_id = v.order_id
  left join tickets as t on t.ticket_id = v.ticket_id
),

final as (
  select
    *,
    case
      when survey_type <> 'nps' then null
      when score >= 9 then 1
      when score >= 7 then 0
      else -1
    end as nps_point,
    case when survey_type = 'csat' then score >= 4 end as csat_satisfied,
    (survey_type = 'nps' and score <= 6) or (survey_type = 'csat' and score <= 2) as is_negative
  from joined
)

select * from final
