-- Orders with the purchase flag every customer-value model uses.
-- grain: one row per order; key: order_id
-- formula: is_purchase = status is neither 'cancelled' nor 'refunded' (a cancelled or fully refunded
--          order is not a purchase; a partially refunded one is). Revenue stays stg_orders.net_amount
--          (cancelled = 0, else gross − discount − refund) on every order, purchase or not.
--          order_month = first day of the local (Asia/Shanghai) calendar month of the order.
-- window: all loaded history
with orders as (
  select * from stg_orders
),

final as (
  select
    order_id,
    customer_id,
    ordered_at,
    order_date,
    cast(date_trunc('month', order_date) as date) as order_month,
    status,
    channel,
    net_amount,
    status not in ('cancelled', 'refunded') as is_purchase
  from orders
)

select * from final
