-- Customer lifetime value: historical value to date and the BG/NBD + Gamma-Gamma prediction.
-- grain: one row per CRM customer; key: customer_id
-- formula: net_revenue = Σ stg_orders.net_amount (cancelled = 0, else gross − discount − refund);
--          orders = purchase orders (not cancelled, not fully refunded); tenure_days = as_of_date −
--          first_order_date; avg_order_value = net_revenue / orders. Predicted columns come from
--          int_customer_clv_predicted (horizon config clv_horizon_months, margin clv_margin, discount
--          clv_annual_discount_rate) and are null for customers it does not score (e.g. no purchase).
-- window: all history up to int_as_of.as_of_date; prediction over the next clv_horizon_months
-- No personal data: ids and business attributes only.
with customers as (
  select * from int_customer_orders_summarized
),

predicted as (
  select * from int_customer_clv_predicted
),

as_of as (
  select * from int_as_of
),

config as (
  select clv_horizon_months from config_metrics
),

historical as (
  select
    customers.customer_id,
    customers.customer_type,
    customers.acquisition_channel,
    customers.tier,
    customers.signup_date,
    customers.orders,
    customers.purchase_days,
    customers.net_revenue,
    customers.net_revenue_365d,
    customers.first_purchase_date as first_order_date,
    customers.last_purchase_date as last_order_date,
    cast(as_of.as_of_date - customers.first_purchase_date as bigint) as tenure_days,
    customers.net_revenue / nullif(customers.orders, 0) as avg_order_value
  from customers
  cross join as_of
),

final as (
  select
    historical.*,
    predicted.frequency,
    predicted.recency_weeks,
    predicted.age_weeks,
    predicted.avg_repeat_value,
    predicted.p_alive,
    predicted.predicted_purchases,
    predicted.predicted_avg_spend,
    predicted.predicted_clv,
    config.clv_horizon_months
  from historical
  left join predicted on predicted.customer_id = historical.customer_id
  cross join config
)

select * from final
