-- Loyalty ledger: one row per points movement or tier change.
-- grain: one row per event_id; key: event_id
with source as (
  select * from raw_loyalty_events
),

final as (
  select
    event_id,
    customer_id,
    occurred_at,
    event_type,
    points,
    order_id,
    tier_from,
    tier_to
  from source
)

select * from final
