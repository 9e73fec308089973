-- Per-customer order history as of int_as_of, the base of every customer-value mart.
-- grain: one row per CRM customer (stg_customers); key: customer_id
-- formula: orders = purchase orders (not cancelled, not fully refunded); purchase_days = distinct days with
--          a purchase; net_revenue = sum of stg_orders.net_amount over all the customer's orders;
--          cohort_month = first day of the month of the first purchase; *_365d = the trailing year
--          (as_of_date − 364 … as_of_date, 365 days). Customers without purchases have null dates and 0 counts.
-- Orders whose customer_id is not in the CRM have no row here and so are in no customer-value mart
-- (customer_ltv's contract reconciles revenue for CRM customers only).
-- window: all loaded history up to as_of_date (orders are never later than it by construction)
with customers as (
  select * from stg_customers
),

orders as (
  select * from int_orders_classified
),

timelines as (
  select * from int_customer_activity_timelines
),

as_of as (
  select * from int_as_of
),

order_totals as (
  select
    customer_id,
    count(*) filter (where is_purchase) as orders,
    sum(net_amount) as net_revenue,
    sum(net_amount) filter (where order_date > as_of.as_of_date - 365) as net_revenue_365d
  from orders
  cross join as_of
  group by customer_id
),

-- Purchase days come in order, one list per customer with a purchase.
purchase_totals as (
  select
    timelines.customer_id,
    len(timelines.purchase_dates) as purchase_days,
    len(list_filter(timelines.purchase_dates, lambda day: day > as_of.as_of_date - 365)) as purchase_days_365d,
    timelines.purchase_dates[1] as first_purchase_date,
    timelines.purchase_dates[-1] as last_purchase_date
  from timelines
  cross join as_of
),

final as (
  select
    customers.customer_id,
    customers.customer_type,
    customers.acquisition_channel,
    customers.tier,
    customers.signup_date,
    coalesce(order_totals.orders, 0) as orders,
    coalesce(purchase_totals.purchase_days, 0) as purchase_days,
    coalesce(order_totals.net_revenue, 0) as net_revenue,
    coalesce(order_totals.net_revenue_365d, 0) as net_revenue_365d,
    coalesce(purchase_totals.purchase_days_365d, 0) as purchase_days_365d,
    purchase_totals.first_purchase_date,
    purchase_totals.last_purchase_date,
    cast(date_trunc('month', purchase_totals.first_purchase_date) as date) as cohort_month
  from customers
  left join order_totals on order_totals.customer_id = customers.customer_id
  left join purchase_totals on purchase_totals.customer_id = customers.customer_id
)

select * from final
