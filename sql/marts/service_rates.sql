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

-- The counts add up, so they are taken per finest cell first (some twelve thousand at l scale) and the
-- splits below add up cells instead of tickets.
cells as (
  select
    month, quarter, touchpoint, channel, severity, customer_type, value_tier_at_ticket, category,
    count(*) as tickets,
    count(*) filter (where response_status = 'met') as responses_met,
    count(*) filter (where response_status = 'breached') as responses_breached,
    count(*) filter (where response_status = 'pending') as responses_pending,
    count(first_response_at) as responded,
    count(*) filter (where answered_within_default) as responded_within_default,
    count(*) filter (where is_complaint) as complaints,
    count(*) filter (where is_complaint and is_resolved) as complaints_resolved,
    count(*) filter (where is_complaint and resolution_status = 'met') as complaints_resolution_met,
    count(*) filter (where is_complaint and resolution_status = 'breached') as complaints_resolution_breached,
    count(*) filter (where is_resolved) as resolved,
    count(*) filter (where resolved_within_max_contacts) as resolved_within_contacts,
    count(*) filter (where callback_within_window) as callbacks_within_window,
    count(*) filter (where was_reopened) as reopened,
    count(*) filter (where is_repeat_complaint) as repeat_complaints
  from tickets
  group by all
),

-- One grouping set per period (month, quarter) × split; 'all' is the period alone. Sums of counts are cast
-- back to the bigint a count is.
counted as (
  select
    grouping_id(month, quarter, touchpoint, channel, severity, customer_type, value_tier_at_ticket, category) as grouping_set,
    month, quarter, touchpoint, channel, severity, customer_type, value_tier_at_ticket, category,
    cast(sum(tickets) as bigint) as tickets,
    cast(sum(responses_met) as bigint) as responses_met,
    cast(sum(responses_breached) as bigint) as responses_breached,
    cast(sum(responses_pending) as bigint) as responses_pending,
    cast(sum(responded) as bigint) as responded,
    cast(sum(responded_within_default) as bigint) as responded_within_default,
    cast(sum(complaints) as bigint) as complaints,
    cast(sum(complaints_resolved) as bigint) as complaints_resolved,
    cast(sum(complaints_resolution_met) as bigint) as complaints_resolution_met,
    cast(sum(complaints_resolution_breached) as bigint) as complaints_resolution_breached,
    cast(sum(resolved) as bigint) as resolved,
    cast(sum(resolved_within_contacts) as bigint) as resolved_within_contacts,
    cast(sum(callbacks_within_window) as bigint) as callbacks_within_window,
    cast(sum(reopened) as bigint) as reopened,
    cast(sum(repeat_complaints) as bigint) as repeat_complaints
  from cells
  group by grouping sets (
    (month), (month, touchpoint), (month, channel), (month, severity), (month, customer_type),
    (month, value_tier_at_ticket), (month, category),
    (quarter), (quarter, touchpoint), (quarter, channel), (quarter, severity), (quarter, customer_type),
    (quarter, value_tier_at_ticket), (quarter, category)
  )
),

-- Medians do not add up: they come from the tickets themselves, in the same grouping sets.
medians as (
  select
    grouping_id(month, quarter, touchpoint, channel, severity, customer_type, value_tier_at_ticket, category) as grouping_set,
    month, quarter, touchpoint, channel, severity, customer_type, value_tier_at_ticket, category,
    median(first_response_minutes) as median_first_response_minutes,
    median(resolution_hours) filter (where is_complaint) as median_resolution_hours
  from tickets
  group by grouping sets (
    (month), (month, touchpoint), (month, channel), (month, severity), (month, customer_type),
    (month, value_tier_at_ticket), (month, category),
    (quarter), (quarter, touchpoint), (quarter, channel), (quarter, severity), (quarter, customer_type),
    (quarter, value_tier_at_ticket), (quarter, category)
  )
),

joined as (
  select
    c.*,
    m.median_first_response_minutes,
    m.median_resolution_hours
  from counted as c
  inner join medians as m
    on m.grouping_set = c.grouping_set
    and m.month is not distinct from c.month
    and m.quarter is not distinct from c.quarter
    and m.touchpoint is not distinct from c.touchpoint
    and m.channel is not distinct from c.channel
    and m.severity is not distinct from c.severity
    and m.customer_type is not distinct from c.customer_type
    and m.value_tier_at_ticket is not distinct from c.value_tier_at_ticket
    and m.category is not distinct from c.category
),

-- grouping_id has one bit per split column, set when the grouping set leaves the column out:
-- month 128, quarter 64, touchpoint 32, channel 16, severity 8, customer_type 4, value_tier_at_ticket 2, category 1.
labelled as (
  select
    case when grouping_set & 128 = 0 then 'month' else 'quarter' end as period_type,
    case when grouping_set & 128 = 0 then month else quarter end as period_start,
    case
      when grouping_set & 32 = 0 then 'touchpoint'
      when grouping_set & 16 = 0 then 'channel'
      when grouping_set & 8 = 0 then 'severity'
      when grouping_set & 4 = 0 then 'customer_type'
      when grouping_set & 2 = 0 then 'value_tier'
      when grouping_set & 1 = 0 then 'category'
      else 'all'
    end as dimension,
    case
      when grouping_set & 32 = 0 then touchpoint
      when grouping_set & 16 = 0 then channel
      when grouping_set & 8 = 0 then severity
      when grouping_set & 4 = 0 then customer_type
      when grouping_set & 2 = 0 then value_tier_at_ticket
      when grouping_set & 1 = 0 then category
      else 'all'
    end as segment,
    *
  from joined
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
  from labelled
)

select * from final
