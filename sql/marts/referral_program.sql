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

first_year as (
  select
    c.customer_id,
    c.signup_date,
    c.referrer_id is not null as is_referred,
    c.referrer_id,
    coalesce(sum(o.net_amount), 0) as first_year_revenue
  from customers as c
  left join orders as o
    on o.customer_id = c.customer_id
    and o.order_date >= c.signup_date
    and o.order_date < c.signup_date + 365
  group by all
),

periods as (
  select *, 'month' as period_type, cast(date_trunc('month', signup_date) as date) as period_start from first_year
  union all
  select *, 'quarter' as period_type, cast(date_trunc('quarter', signup_date) as date) as period_start from first_year
),

aggregated as (
  select
    period_type,
    period_start,
    count(*) as new_customers,
    count(*) filter (where is_referred) as referred_new_customers,
    count(distinct referrer_id) as referrers,
    avg(first_year_revenue) filter (where is_referred) as referred_revenue_per_customer,
    avg(first_year_revenue) filter (where not is_referred) as other_revenue_per_customer,
    max(signup_date) as last_signup
  from periods
  group by all
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
