-- Activity timelines: each customer's activity days and purchase days, in order, as lists.
-- grain: one row per CRM customer with a purchase; key: customer_id
-- formula: an activity day is a local calendar day, on or after the customer's first purchase date, with a
--          purchase (int_customer_purchase_days) or an interaction: a survey response, a service ticket
--          opened, or a customer-initiated loyalty event (earn_signin, earn_review, earn_share, redeem;
--          earn_purchase, expire and tier_change are bookkeeping, not the customer acting). activity_dates
--          lists the days in ascending order, each once; has_purchase[i] and has_interaction[i] say what
--          happened on activity_dates[i]; purchase_dates lists the purchase days alone.
--          One row per day: select customer_id, unnest(activity_dates) as activity_date, unnest(has_purchase)
--          as has_purchase, unnest(has_interaction) as has_interaction from int_customer_activity_timelines.
-- window: all loaded history
-- Why lists: at l scale there are 14M activity days. Deduplicating them in a day-level aggregate and writing
-- them costs several times more than sorting each customer's events inside one list, and the customer-value
-- models walk the lists directly.
with customers as (
  select * from stg_customers
),

purchase_days as (
  select * from int_customer_purchase_days
),

survey_responses as (
  select * from stg_survey_responses
),

tickets as (
  select * from stg_tickets
),

loyalty_events as (
  select * from stg_loyalty_events
),

interactions as (
  select customer_id, cast(responded_at as date) as activity_date from survey_responses
  union all
  select customer_id, cast(created_at as date) from tickets
  union all
  select customer_id, cast(occurred_at as date)
  from loyalty_events
  where event_type in ('earn_signin', 'earn_review', 'earn_share', 'redeem')
),

-- Each event as one integer, day number × 2, plus 1 for an interaction: sorting the integers orders the
-- events by day, and a day's purchase (at most one per day) before its interactions.
event_codes as (
  select customer_id, cast((purchase_date - date '1970-01-01') * 2 as integer) as code from purchase_days
  union all
  select customer_id, cast((activity_date - date '1970-01-01') * 2 + 1 as integer) from interactions
),

customer_codes as (
  select
    customer_id,
    list(code) as codes,
    min(code) filter (where code % 2 = 0) as first_purchase_code
  from event_codes
  group by customer_id
),

-- CRM customers with a purchase only.
sorted_codes as (
  select
    customer_codes.customer_id,
    list_sort(customer_codes.codes, 'ASC') as codes,
    customer_codes.first_purchase_code
  from customer_codes
  inner join customers on customers.customer_id = customer_codes.customer_id
  where customer_codes.first_purchase_code is not null
),

-- Only from the first purchase on: in sorted order, everything from the first purchase's code.
active_codes as (
  select
    customer_id,
    list_slice(codes, list_position(codes, first_purchase_code), len(codes)) as codes
  from sorted_codes
),

-- A day's first event is the purchase when it has one, its last event an interaction when it has one.
day_bounds as (
  select
    customer_id,
    list_filter(codes, lambda code, i: i = 1 or codes[i - 1] // 2 <> code // 2) as first_codes,
    list_filter(codes, lambda code, i: i = len(codes) or codes[i + 1] // 2 <> code // 2) as last_codes
  from active_codes
),

final as (
  select
    customer_id,
    list_transform(first_codes, lambda code: date '1970-01-01' + code // 2) as activity_dates,
    list_transform(first_codes, lambda code: code % 2 = 0) as has_purchase,
    list_transform(last_codes, lambda code: code % 2 = 1) as has_interaction,
    list_transform(list_filter(first_codes, lambda code: code % 2 = 0), lambda code: date '1970-01-01' + code // 2) as purchase_dates
  from day_bounds
)

select * from final
