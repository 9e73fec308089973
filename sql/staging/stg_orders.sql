-- Order header: one row per order.
-- grain: one row per order; key: order_id
-- net_amount is THE revenue definition every mart uses:
--   cancelled orders are worth 0; otherwise gross − discount − refund.
with source as (
  select * from raw_orders
),

final as (
  select
    order_id,
    customer_id,
    ordered_at,
    cast(ordered_at as date) as order_date,
    status,
    channel,
    gross_amount,
    coalesce(discount_amount, 0) as discount_amount,
    coalesce(refund_amount, 0) as refund_amount,
    case
      when status = 'cancelled' then 0
      else gross_amount - coalesce(discount_amount, 0) - coalesce(refund_amount, 0)
    end as net_amount,
    coupon_code,
    campaign_id
  from source
)

select * from final
