-- First-service CSAT of new customers (新客户首次服务满意度).
-- grain: one row per period_type × period_start with ≥ 1 qualifying answer; key: period_type, period_start
-- definition: a customer's first service CSAT is their earliest CSAT answer (ties broken by response_id). It is
-- a new-customer answer when it was given within config new_customer_days (default 90) days of the customer's
-- start = the earlier of signup_date and first order date (customers with neither are left out).
-- formula: share = qualifying answers scoring 4–5 / qualifying answers, 95% Wilson interval (z = 1.96).
-- window: calendar month / quarter of the answer.
with answers as (
  select * from int_surveys_enriched where survey_type = 'csat'
),

customers as (
  select * from stg_customers
),

orders as (
  select * from stg_orders
),

config as (
  select * from config_metrics
),

first_orders as (
  select customer_id, min(order_date) as first_order_date
  from orders
  group by customer_id
),

starts as (
  select c.customer_id, least(c.signup_date, f.first_order_date) as start_date
  from customers as c
  left join first_orders as f on f.customer_id = c.customer_id
),

first_answers as (
  select *
  from answers
  qualify row_number() over (partition by customer_id order by responded_at, response_id) = 1
),

qualifying as (
  select a.*
  from first_answers as a
  inner join starts as s on s.customer_id = a.customer_id
  cross join config
  where cast(a.responded_at as date) >= s.start_date
    and cast(a.responded_at as date) < s.start_date + cast(config.new_customer_days as integer)
),

periods as (
  select 'month' as period_type, month as period_start, csat_satisfied from qualifying
  union all
  select 'quarter' as period_type, quarter as period_start, csat_satisfied from qualifying
),

aggregated as (
  select
    period_type,
    period_start,
    count(*) as responses,
    count(*) filter (where csat_satisfied) as satisfied,
    count(*) filter (where csat_satisfied) / count(*)::double as csat_share
  from periods
  group by all
),

final as (
  select
    *,
    greatest(0, (csat_share + 1.96 * 1.96 / (2 * responses)
      - 1.96 * sqrt(csat_share * (1 - csat_share) / responses + 1.96 * 1.96 / (4.0 * responses * responses)))
      / (1 + 1.96 * 1.96 / responses)) as ci_low,
    least(1, (csat_share + 1.96 * 1.96 / (2 * responses)
      + 1.96 * sqrt(csat_share * (1 - csat_share) / responses + 1.96 * 1.96 / (4.0 * responses * responses)))
      / (1 + 1.96 * 1.96 / responses)) as ci_high
  from aggregated
)

select * from final
