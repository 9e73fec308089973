-- Monthly churn rate.
-- grain: one row per month × customer_type ('all', or the CRM customer_type); key: month_start, customer_type
-- formula: churn = no purchase and no interaction (survey response, ticket, or customer-initiated loyalty
--          event: sign-in, review, share, redemption) for config churn_days (default 90) days; the customer
--          churns on last activity + churn_days. active_at_start = customers with a first purchase before
--          month_start who were not churned on month_start (last activity ≥ month_start − churn_days);
--          churned_customers = those of them whose churn date falls in the month (up to as_of_date);
--          churn_rate = churned_customers / active_at_start. new_customers = first purchase in the month;
--          reactivated_customers = churned customers whose activity resumed in the month.
-- window: each calendar month from the first purchase month to the as_of month; the as_of month is partial
--         (is_complete = false) and counts churn only up to as_of_date.
with months as (
  select * from int_calendar_months
),

spells as (
  select * from int_customer_activity_spells
),

customers as (
  select * from int_customer_orders_summarized
),

as_of as (
  select * from int_as_of
),

typed_months as (
  select months.*, customer_types.customer_type
  from months
  cross join (
    select 'all' as customer_type
    union
    select distinct coalesce(customer_type, 'unknown') from customers where first_purchase_date is not null
  ) as customer_types
),

-- Instead of joining every spell to every month it overlaps, count per month what starts and what ends
-- there; a running sum over the months then gives who was active at each month start.
spell_facts as (
  select
    coalesce(spells.customer_type, 'unknown') as customer_type,
    spells.spell_number,
    cast(date_trunc('month', spells.spell_start) as date) as start_month,
    cast(date_trunc('month', spells.churn_date) as date) as churn_month,
    spells.churn_date <= as_of.as_of_date as churned_by_as_of
  from spells
  cross join as_of
),

-- Each spell is two events: its start (in its start month) and its churn (in its churn month). A churn is
-- counted in the month only when the spell started before that month and the churn is not after as_of_date
-- (period_end is the month's end or as_of_date, and a churn date is never after its own month's end).
spell_events as (
  select
    customer_type,
    unnest([
      {'month_start': start_month, 'starts': 1, 'churns': 0, 'counted_churns': 0,
       'new': case when spell_number = 1 then 1 else 0 end, 'reactivated': case when spell_number > 1 then 1 else 0 end},
      {'month_start': churn_month, 'starts': 0, 'churns': 1,
       'counted_churns': case when start_month < churn_month and churned_by_as_of then 1 else 0 end, 'new': 0, 'reactivated': 0}
    ]) as event
  from spell_facts
),

monthly_events as (
  select
    event.month_start,
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    sum(event.starts) as starts,
    sum(event.churns) as churns,
    sum(event.counted_churns) as churned_customers,
    sum(event.new) as new_customers,
    sum(event.reactivated) as reactivated_customers
  from spell_events
  group by grouping sets ((event.month_start), (event.month_start, customer_type))
),

-- Active at the start of month M: spells started before M minus spells churned before M (a spell churns
-- after it starts, so the second are part of the first).
counted as (
  select
    typed_months.month_start,
    typed_months.customer_type,
    cast(coalesce(sum(monthly_events.starts - monthly_events.churns) over earlier, 0) as bigint) as active_at_start,
    cast(coalesce(monthly_events.churned_customers, 0) as bigint) as churned_customers,
    cast(coalesce(monthly_events.new_customers, 0) as bigint) as new_customers,
    cast(coalesce(monthly_events.reactivated_customers, 0) as bigint) as reactivated_customers,
    typed_months.period_end,
    typed_months.is_complete
  from typed_months
  left join monthly_events
    on monthly_events.month_start = typed_months.month_start
    and monthly_events.customer_type = typed_months.customer_type
  window earlier as (
    partition by typed_months.customer_type order by typed_months.month_start
    rows between unbounded preceding and 1 preceding
  )
),

final as (
  select
    month_start,
    customer_type,
    active_at_start,
    churned_customers,
    churned_customers / nullif(active_at_start, 0) as churn_rate,
    new_customers,
    reactivated_customers,
    period_end,
    is_complete
  from counted
)

select * from final
