-- Activity spells and churn events: a spell is a run of activity days with no gap longer than
-- churn_days; it ends in churn on churn_date = last activity + churn_days (config_metrics.churn_days).
-- grain: one row per customer and spell; key: customer_id, spell_number
-- formula: a customer is churned on day t when their last activity (purchase or interaction, see
--          int_customer_activity_days) before or on t is churn_days or more days earlier. is_churned =
--          churn_date ≤ as_of_date. next_purchase_date = first purchase after the spell (win-back).
-- window: all loaded history up to as_of_date
with activity_days as (
  select * from int_customer_activity_days
),

customers as (
  select * from int_customer_orders_summarized
),

as_of as (
  select * from int_as_of
),

config as (
  select cast(churn_days as integer) as churn_days from config_metrics
),

gaps as (
  select
    activity_days.customer_id,
    activity_days.activity_date,
    activity_days.has_purchase,
    case
      when activity_days.activity_date > lag(activity_days.activity_date) over (
        partition by activity_days.customer_id order by activity_days.activity_date
      ) + config.churn_days then 1
      else 0
    end as starts_spell,
    config.churn_days
  from activity_days
  cross join config
),

numbered as (
  select
    *,
    1 + sum(starts_spell) over (
      partition by customer_id order by activity_date rows between unbounded preceding and current row
    ) as spell_number
  from gaps
),

grouped as (
  select
    customer_id,
    spell_number,
    min(activity_date) as spell_start,
    max(activity_date) as last_activity_date,
    count(*) as activity_days,
    count(*) filter (where has_purchase) as purchase_days,
    min(activity_date) filter (where has_purchase) as first_purchase_in_spell,
    any_value(churn_days) as churn_days
  from numbered
  group by customer_id, spell_number
),

-- The next activity starts the next spell; the next purchase is the first purchase of any later spell.
spells as (
  select
    *,
    lead(spell_start) over later as next_activity_date,
    min(first_purchase_in_spell) over (later rows between 1 following and unbounded following) as next_purchase_date
  from grouped
  window later as (partition by customer_id order by spell_number)
),

final as (
  select
    spells.customer_id,
    customers.customer_type,
    customers.acquisition_channel,
    customers.tier,
    customers.first_purchase_date,
    customers.cohort_month,
    spells.spell_number,
    spells.spell_start,
    spells.last_activity_date,
    spells.activity_days,
    spells.purchase_days,
    cast(spells.last_activity_date + spells.churn_days as date) as churn_date,
    spells.last_activity_date + spells.churn_days <= as_of.as_of_date as is_churned,
    spells.next_activity_date,
    spells.next_purchase_date
  from spells
  inner join customers on customers.customer_id = spells.customer_id
  cross join as_of
)

select * from final
