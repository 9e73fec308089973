-- Per-ticket service clocks and SLA outcomes (definitions in int_tickets_sla).
-- grain: one row per ticket_id; key: ticket_id
-- formula: first_response_minutes = first_response_at − created_at; resolution_hours = resolved_at − created_at
-- (wall clock; *_business_* count Mon–Fri business hours only); response_status / resolution_status met,
-- breached or pending against the SLA of the ticket's touchpoint, customer tier and severity as of int_as_of.
-- window: every ticket loaded.
with tickets as (
  select * from int_tickets_sla
),

final as (
  select * from tickets
)

select * from final
