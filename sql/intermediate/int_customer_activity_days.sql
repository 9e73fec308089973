-- Days on which a customer was active, for churn: a purchase or an interaction.
-- grain: one row per customer and local calendar day with activity; key: customer_id, activity_date
-- formula: interaction = a survey response, a service ticket opened, or a customer-initiated loyalty event
--          (earn_signin, earn_review, earn_share, redeem; earn_purchase, expire and tier_change are
--          bookkeeping, not the customer acting). Only customers with a purchase, and only from their
--          first purchase date on: churn is measured for people who became customers.
-- window: all loaded history
with customers as (
  select * from int_customer_orders_summarized
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

events as (
  select customer_id, purchase_date as activity_date, true as is_purchase from purchase_days
  union all
  select customer_id, cast(responded_at as date), false from survey_responses
  union all
  select customer_id, cast(created_at as date), false from tickets
  union all
  select customer_id, cast(occurred_at as date), false
  from loyalty_events
  where event_type in ('earn_signin', 'earn_review', 'earn_share', 'redeem')
),

customer_events as (
  select events.*
  from events
  inner join customers on customers.customer_id = events.customer_id
  where events.activity_date >= customers.first_purchase_date
),

final as (
  select
    customer_id,
    activity_date,
    bool_or(is_purchase) as has_purchase,
    bool_or(not is_purchase) as has_interaction
  from customer_events
  group by customer_id, activity_date
)

select * from final
