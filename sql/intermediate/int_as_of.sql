-- The warehouse's "today": the latest event in the loaded data, so every as-of metric is reproducible
-- from the data alone (rebuilding an old extract gives the same answer).
-- grain: exactly one row; key: none (single row)
-- formula: as_of_date = greatest(max order_date, max survey response date, max ticket created date,
--          max loyalty event date); as_of_at = the same over the event timestamps (local business time).
--          Both are null when every source is empty.
-- window: all loaded history
with orders as (
  select max(ordered_at) as last_at from stg_orders
),

survey_responses as (
  select max(responded_at) as last_at from stg_survey_responses
),

tickets as (
  select max(created_at) as last_at from stg_tickets
),

loyalty_events as (
  select max(occurred_at) as last_at from stg_loyalty_events
),

latest as (
  select
    greatest(orders.last_at, survey_responses.last_at, tickets.last_at, loyalty_events.last_at) as as_of_at
  from orders
  cross join survey_responses
  cross join tickets
  cross join loyalty_events
),

final as (
  select
    cast(as_of_at as date) as as_of_date,
    as_of_at
  from latest
)

select * from final
