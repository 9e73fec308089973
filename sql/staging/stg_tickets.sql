-- Service desk tickets: one row per ticket.
-- grain: one row per ticket_id; key: ticket_id
with source as (
  select * from raw_tickets
),

final as (
  select
    ticket_id,
    customer_id,
    channel,
    touchpoint,
    category,
    is_complaint,
    severity,
    created_at,
    first_response_at,
    resolved_at,
    reopened_count,
    contacts,
    agent_id,
    callback_at,
    praised
  from source
)

select * from final
