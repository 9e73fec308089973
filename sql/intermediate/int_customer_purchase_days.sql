-- Purchase days: orders on the same day count as one purchase (one transaction, as in the CLV model).
-- grain: one row per customer and local calendar day with at least one purchase; key: customer_id, purchase_date
-- formula: purchase_orders = purchase orders that day; net_amount = their summed net_amount
-- window: all loaded history
with orders as (
  select * from int_orders_classified
),

purchases as (
  select * from orders where is_purchase
),

-- The month follows from the day, so it is derived after grouping (a narrower key for ~9M groups).
daily as (
  select
    customer_id,
    order_date as purchase_date,
    count(*) as purchase_orders,
    sum(net_amount) as net_amount
  from purchases
  group by customer_id, order_date
),

final as (
  select
    customer_id,
    purchase_date,
    cast(date_trunc('month', purchase_date) as date) as purchase_month,
    purchase_orders,
    net_amount
  from daily
)

select * from final
