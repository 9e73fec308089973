-- Service and complaint rates (服务与投诉) per month and quarter of ticket creation, overall and by segment.
-- grain: one row per period_type × period_start × dimension × segment with ≥ 1 ticket;
-- key: period_type, period_start, dimension, segment
-- dimension: 'all', 'touchpoint', 'channel', 'severity', 'customer_type', 'value_tier' (at ticket time), 'category'.
-- formulas (tickets created in the period, outcomes as of int_as_of):
--   response_timeliness_rate = first responses met / (met + breached); pending tickets are not yet decided.
--   first_response_within_default_rate = tickets answered within config first_response_minutes (30) / tickets
--     answered; median_first_response_minutes over answered tickets (wall clock).
--   complaint_resolution_rate = resolved complaints / complaints.
--   resolved_within_contacts_rate = resolved tickets with contacts_to_resolve ≤ max_contacts_to_resolve (3) /
--     resolved tickets.
--   resolution_met_rate = complaints resolved within their severity SLA (24 h general, 48 h serious, 72 h major)
--     / complaints decided (met + breached); median_resolution_hours over resolved complaints.
--   callback_rate = resolved tickets called back within callback_hours (24) / resolved tickets.
--   repeat_complaint_rate = complaints by a customer who complained within repeat_complaint_days (30) before /
--     complaints.
-- window: calendar month / quarter of created_at; outcomes as of int_as_of.
with tickets as (
  select * from int_tickets_sla
),

periods as (
  select *, 'month' as period_type, month as period_start from tickets
  union all
  select *, 'quarter' as period_type, quarter as period_start from tickets
),

fanned as (
  select p.*, d.dimension, d.segment
  from periods as p
  cross join lateral (
    values
      ('all', 'all'),
      ('touchpoint', p.touchpoint),
      ('channel', p.channel),
      ('severity', p.severity),
      ('customer_type', p.customer_type),
      ('value_tier', p.value_tier_at_ticket),
      ('category', p.category)
  ) as d(dimension, segment)
),

aggregated as (
  select
    f.period_type,
    f.period_start,
    f.dimension,
    f.segment,
    count(*) as tickets,
    count(*) filter (where f.response_status = 'met') as responses_met,
    count(*) filter (where f.response_status = 'breached') as responses_breached,
    count(*) filter (where f.response_status = 'pending') as responses_pending,
    count(f.first_response_at) as responded,
    count(*) filter (where f.answered_within_default) as responded_within_default,
    median(f.first_response_minutes) as median_first_response_minutes,
    count(*) filter (where f.is_complaint) as complaints,
    count(*) filter (where f.is_complaint and f.is_resolved) as complaints_resolved,
    count(*) filter (where f.is_complaint and f.resolution_status = 'met') as complaints_resolution_met,
    count(*) filter (where f.is_complaint and f.resolution_status = 'breached') as complaints_resolution_breached,
    median(f.resolution_hours) filter (where f.is_complaint) as median_resolution_hours,
    count(*) filter (where f.is_resolved) as resolved,
    count(*) filter (where f.resolved_within_max_contacts) as resolved_within_contacts,
    count(*) filter (where f.callback_within_window) as callbacks_within_window,
    count(*) filter (where f.was_reopened) as reopened,
    count(*) filter (where f.is_repeat_complaint) as repeat_complaints
  from fanned as f
  group by f.period_type, f.period_start, f.dimension, f.segment
),

final as (
  select
    period_type, period_start, dimension, segment, tickets,
    responses_met, responses_breached, responses_pending,
    responses_met / nullif(responses_met + responses_breached, 0)::double as response_timeliness_rate,
    responded, responded_within_default,
    responded_within_default / nullif(responded, 0)::double as first_response_within_default_rate,
    median_first_response_minutes,
    complaints, complaints_resolved,
    complaints_resolved / nullif(complaints, 0)::double as complaint_resolution_rate,
    complaints_resolution_met, complaints_resolution_breached,
    complaints_resolution_met / nullif(complaints_resolution_met + complaints_resolution_breached, 0)::double
      as resolution_met_rate,
    median_resolution_hours,
    resolved, resolved_within_contacts,
    resolved_within_contacts / nullif(resolved, 0)::double as resolved_within_contacts_rate,
    callbacks_within_window,
    callbacks_within_window / nullif(resolved, 0)::double as callback_rate,
    reopened,
    repeat_complaints,
    repeat_complaints / nullif(complaints, 0)::double as repeat_complaint_rate
  from aggregated
)

select * from final
