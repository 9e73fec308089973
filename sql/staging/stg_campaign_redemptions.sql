-- Incentive redemptions and their cost.
-- grain: one row per redemption_id; key: redemption_id
with source as (
  select * from raw_campaign_redemptions
),

final as (
  select
    redemption_id,
    campaign_id,
    customer_id,
    order_id,
    redeemed_at,
    cost
  from source
)

select * from final
