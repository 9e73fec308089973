-- Business minutes a ticket spent waiting for its first response and for its resolution, for the
-- business-hours SLA option: only Monday–Friday between config business_hours_start and business_hours_end
-- (local business time) count. An open span (no response / not resolved yet) runs to the as-of moment.
-- grain: one row per ticket_id; key: ticket_id
-- formula (closed form, so a ticket open for years costs no more than one open for minutes):
--   same day: the overlap of [start, end) with that day's business hours (0 on Saturday and Sunday);
--   otherwise: overlap on the start day + overlap on the end day + weekdays strictly between × daily minutes,
--   where weekdays in n days from a weekday s = 5 × (n // 7) + #{i < n % 7 : (s − 1 + i) mod 7 < 5}.
-- Public holidays are not modelled.
-- window: every loaded ticket, clocks up to int_as_of.as_of_at.
with tickets as (
  select * from stg_tickets
),

as_of as (
  select * from int_as_of
),

config as (
  select
    cast(business_hours_start as integer) as start_hour,
    cast(business_hours_end as integer) as end_hour,
    (cast(business_hours_end as integer) - cast(business_hours_start as integer)) * 60 as daily_minutes
  from config_metrics
),

spans as (
  select
    t.ticket_id,
    'response' as span,
    t.created_at as span_start,
    coalesce(t.first_response_at, a.as_of_at) as span_end
  from tickets as t
  cross join as_of as a
  union all
  select
    t.ticket_id,
    'resolution' as span,
    t.created_at as span_start,
    coalesce(t.resolved_at, a.as_of_at) as span_end
  from tickets as t
  cross join as_of as a
),

bounded as (
  select
    s.*,
    cast(s.span_start as date) as start_day,
    cast(s.span_end as date) as end_day,
    c.start_hour,
    c.end_hour,
    c.daily_minutes
  from spans as s
  cross join config as c
  where s.span_end > s.span_start
),

parts as (
  select
    ticket_id,
    span,
    case
      when start_day = end_day then
        case when isodow(start_day) <= 5 then greatest(0, date_diff(
          'second',
          greatest(span_start, start_day + to_hours(start_hour)),
          least(span_end, start_day + to_hours(end_hour))
        )) / 60.0 else 0 end
      else
        -- start day: from span_start to the end of business hours
        (case when isodow(start_day) <= 5 then greatest(0, date_diff(
          'second',
          greatest(span_start, start_day + to_hours(start_hour)),
          start_day + to_hours(end_hour)
        )) / 60.0 else 0 end)
        -- end day: from the start of business hours to span_end
        + (case when isodow(end_day) <= 5 then greatest(0, date_diff(
          'second',
          end_day + to_hours(start_hour),
          least(span_end, end_day + to_hours(end_hour))
        )) / 60.0 else 0 end)
        -- whole weekdays in between: (end_day − start_day − 1) days starting the day after start_day
        + daily_minutes * (
          5 * ((end_day - start_day - 1) // 7)
          + len(list_filter(
            range((end_day - start_day - 1) % 7),
            i -> (isodow(start_day + 1) - 1 + i) % 7 < 5
          ))
        )
    end as minutes
  from bounded
),

final as (
  select
    t.ticket_id,
    coalesce(r.minutes, 0) as response_business_minutes,
    coalesce(z.minutes, 0) as resolution_business_minutes
  from tickets as t
  left join parts as r on r.ticket_id = t.ticket_id and r.span = 'response'
  left join parts as z on z.ticket_id = t.ticket_id and z.span = 'resolution'
)

select * from final
