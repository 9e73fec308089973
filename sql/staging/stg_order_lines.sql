-- Order lines: one row per line of an order.
-- grain: one row per order_id + line_number; key: order_id, line_number
with source as (
  select * from raw_order_lines
),

final as (
  select
    order_id,
    line_number,
    customer_id,
    ordered_at,
    product_id,
    product_name,
    quantity,
    unit_price
  from source
)

select * from final
