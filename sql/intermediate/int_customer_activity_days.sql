-- Days on which a customer was active, for churn: a purchase or an interaction.
-- grain: one row per customer and local calendar day with activity; key: customer_id, activity_date
-- formula: interaction = a survey response, a service ticket opened, or a customer-initiated loyalty event
--          (earn_signin, earn_review, earn_share, redeem; earn_purchase, expire and tier_change are
--          bookkeeping, not the customer acting). Only customers with a purchase, and only from their
--          first purchase date on: churn is measured for people who became customers.
-- window: all loaded history
-- A view: the days are stored once, as per-customer lists in int_customer_activity_timelines (which the
-- customer-value models read); this is the same data one row per day.
with timelines as (
  select * from int_customer_activity_timelines
),

final as (
  select
    customer_id,
    unnest(activity_dates) as activity_date,
    unnest(has_purchase) as has_purchase,
    unnest(has_interaction) as has_interaction
  from timelines
)

select * from final
