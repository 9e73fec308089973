-- Referral program (推荐): referred new customers and their value vs other new customers, per signup month/quarter.
-- grain: one row per period_type × period_start (signup_date) with ≥ 1 new customer; key: period_type, period_start
-- formulas: referred_new_customers = new customers with a referrer_id; referral_rate = referred / new customers;
--   referrers = distinct referrer_ids; *_revenue_per_customer = mean Σ net_amount (cancelled = 0) over each
--   customer's first 365 days from signup (0 if no purchase), referred vs not referred; value_window_complete is
--   false while signup + 365 days is after int_as_of (the means are still growing).
-- window: calendar month / quarter of signup_date; value over each customer's first 365 days.
with customers as (
  select * from stg_customers
),

orders as (
  select * from stg_orders
),

as_of as (
  select * from int_as_of
),

-- Only customers who bought in their first year get a row here; the others are worth 0.
first_year_spend as (
  select
    c.customer_id,
    sum(o.net_amount) as revenue
  from customers as c
  inner join orders as o
    on o.customer_id = c.customer_id
    and o.order_date >= c.signup_date
    and o.order_date < c.signup_date + 365
  group by c.customer_id
),

first_year as (
  select
    c.customer_id,
    c.signup_date,
    cast(date_trunc('month', c.signup_date) as date) as signup_month,
    cast(date_trunc('quarter', c.signup_date) as date) as signup_quarter,
    c.referrer_id is not null as is_referred,
    c.referrer_id,
    coalesce(r.revenue, 0) as first_year_revenue
  from customers as c
  left join first_year_spend as r on r.customer_id = c.customer_id
),

-- Month and quarter as two grouping sets of one pass (grouping(signup_month) = 1 marks the quarter rows).
aggregated as (
  select
    case when grouping(signup_month) = 0 then 'month' else 'quarter' end as period_type,
    case when grouping(signup_month) = 0 then signup_month else signup_quarter end as period_start,
    count(*) as new_customers,
    count(*) filter (where is_referred) as referred_new_customers,
    count(distinct referrer_id) as referrers,
    avg(first_year_revenue) filter (where is_referred) as referred_revenue_per_customer,
    avg(first_year_revenue) filter (where not is_referred) as other_revenue_per_customer,
    max(signup_date) as last_signup
  from first_year
  group by grouping sets ((signup_month), (signup_quarter))
),

final as (
  select
    a.period_type,
    a.period_start,
    a.new_customers,
    a.referred_new_customers,
    a.referred_new_customers / a.new_customers::double as referral_rate,
    a.referrers,
    a.referred_revenue_per_customer,
    a.other_revenue_per_customer,
    a.referred_revenue_per_customer - a.other_revenue_per_customer as referred_revenue_difference,
    coalesce(a.last_signup + 365 <= x.as_of_date, false) as value_window_complete
  from aggregated as a
  cross join as_of as x
)

select * from final
