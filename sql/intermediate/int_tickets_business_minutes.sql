-- Business minutes a ticket spent waiting for its first response and for its resolution, for the
-- business-hours SLA option: only Monday–Friday between config business_hours_start and business_hours_end
-- (local business time) count. An open span (no response / not resolved yet) runs to the as-of moment.
-- grain: one row per ticket_id; key: ticket_id
-- formula (closed form, so a ticket open for years costs no more than one open for minutes), for a span
-- [start, end) with end after start (0 otherwise):
--   same day: the overlap of [start, end) with that day's business hours (0 on Saturday and Sunday);
--   otherwise: overlap on the start day + overlap on the end day + weekdays strictly between × daily minutes,
--   where weekdays in n days from a weekday s = 5 × (n // 7) + #{i < n % 7 : (s − 1 + i) mod 7 < 5}.
-- Both spans are computed side by side in one pass over the tickets (no row per span to join back).
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
    t.created_at as span_start,
    coalesce(t.first_response_at, a.as_of_at) as response_end,
    coalesce(t.resolved_at, a.as_of_at) as resolution_end
  from tickets as t
  cross join as_of as a
),

bounded as (
  select
    s.*,
    cast(s.span_start as date) as start_day,
    cast(s.response_end as date) as response_end_day,
    cast(s.resolution_end as date) as resolution_end_day,
    c.start_hour,
    c.end_hour,
    c.daily_minutes
  from spans as s
  cross join config as c
),

-- The same closed form twice, once per span end (SQL models cannot share a macro).
parts as (
  select
    ticket_id,
    case when response_end > span_start then
      case
        when start_day = response_end_day then
          case when isodow(start_day) <= 5 then greatest(0, date_diff(
            'second',
            greatest(span_start, start_day + to_hours(start_hour)),
            least(response_end, start_day + to_hours(end_hour))
          )) / 60.0 else 0 end
        else
          -- start day: from span_start to the end of business hours
          (case when isodow(start_day) <= 5 then greatest(0, date_diff(
            'second',
            greatest(span_start, start_day + to_hours(start_hour)),
            start_day + to_hours(end_hour)
          )) / 60.0 else 0 end)
          -- end day: from the start of business hours to the span's end
          + (case when isodow(response_end_day) <= 5 then greatest(0, date_diff(
            'second',
            response_end_day + to_hours(start_hour),
            least(response_end, response_end_day + to_hours(end_hour))
          )) / 60.0 else 0 end)
          -- whole weekdays in between: (end_day − start_day − 1) days starting the day after start_day
          + daily_minutes * (
            5 * ((response_end_day - start_day - 1) // 7)
            + len(list_filter(
              range((response_end_day - start_day - 1) % 7),
              i -> (isodow(start_day + 1) - 1 + i) % 7 < 5
            ))
          )
      end
    end as response_minutes,
    case when resolution_end > span_start then
      case
        when start_day = resolution_end_day then
          case when isodow(start_day) <= 5 then greatest(0, date_diff(
            'second',
            greatest(span_start, start_day + to_hours(start_hour)),
            least(resolution_end, start_day + to_hours(end_hour))
          )) / 60.0 else 0 end
        else
          (case when isodow(start_day) <= 5 then greatest(0, date_diff(
            'second',
            greatest(span_start, start_day + to_hours(start_hour)),
            start_day + to_hours(end_hour)
          )) / 60.0 else 0 end)
          + (case when isodow(resolution_end_day) <= 5 then greatest(0, date_diff(
            'second',
            resolution_end_day + to_hours(start_hour),
            least(resolution_end, resolution_end_day + to_hours(end_hour))
          )) / 60.0 else 0 end)
          + daily_minutes * (
            5 * ((resolution_end_day - start_day - 1) // 7)
            + len(list_filter(
              range((resolution_end_day - start_day - 1) % 7),
              i -> (isodow(start_day + 1) - 1 + i) % 7 < 5
            ))
          )
      end
    end as resolution_minutes
  from bounded
),

final as (
  select
    ticket_id,
    coalesce(response_minutes, 0) as response_business_minutes,
    coalesce(resolution_minutes, 0) as resolution_business_minutes
  from parts
)

select * from final
