-- Campaign assignments: one row per campaign and customer.
-- grain: one row per campaign_id + customer_id; key: campaign_id, customer_id
with source as (
  select * from raw_campaign_assignments
),

final as (
  select
    campaign_id,
    customer_id,
    arm,
    assigned_at
  from source
)

select * from final
