-- Incentive campaigns: one row per campaign.
-- grain: one row per campaign_id; key: campaign_id
with source as (
  select * from raw_campaigns
),

final as (
  select
    campaign_id,
    campaign_name,
    campaign_type,
    start_date,
    end_date,
    measurement_days,
    has_holdout,
    offer
  from source
)

select * from final
