-- Win-back rate: churned customers who buy again within config winback_days of churning.
-- grain: one row per churn month × customer_type ('all' or the CRM type); key: churn_month, customer_type
-- formula: a churn event is a customer's churn on last activity + config churn_days without purchase or
--          interaction (every churn, including a second churn after a win-back). window_closed_customers =
--          churn events whose win-back window (churn_date, churn_date + winback_days] ended by as_of_date;
--          won_back_customers = those of them with a purchase in the window; winback_rate =
--          won_back_customers / window_closed_customers. won_back_so_far counts purchases in windows still open.
-- window: churn dates from the first churn to int_as_of.as_of_date, grouped by the month of the churn date
with spells as (
  select * from int_customer_activity_spells
),

as_of as (
  select * from int_as_of
),

config as (
  select cast(winback_days as integer) as winback_days from config_metrics
),

churn_events as (
  select
    cast(date_trunc('month', spells.churn_date) as date) as churn_month,
    coalesce(spells.customer_type, 'unknown') as customer_type,
    spells.churn_date + config.winback_days <= as_of.as_of_date as window_closed,
    spells.next_purchase_date is not null
      and spells.next_purchase_date <= spells.churn_date + config.winback_days as bought_in_window
  from spells
  cross join config
  cross join as_of
  where spells.is_churned
),

counted as (
  select
    churn_month,
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    count(*) as churned_customers,
    count(*) filter (where window_closed) as window_closed_customers,
    count(*) filter (where window_closed and bought_in_window) as won_back_customers,
    count(*) filter (where not window_closed and bought_in_window) as won_back_so_far
  from churn_events
  group by grouping sets ((churn_month), (churn_month, customer_type))
),

final as (
  select
    churn_month,
    customer_type,
    churned_customers,
    window_closed_customers,
    won_back_customers,
    won_back_customers / nullif(window_closed_customers, 0) as winback_rate,
    won_back_so_far,
    config.winback_days
  from counted
  cross join config
)

select * from final
