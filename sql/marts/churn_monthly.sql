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

typed_months as (
  select months.*, customer_types.customer_type
  from months
  cross join (
    select 'all' as customer_type
    union
    select distinct coalesce(customer_type, 'unknown') from customers where first_purchase_date is not null
  ) as customer_types
),

spell_facts as (
  select
    coalesce(customer_type, 'unknown') as customer_type,
    spell_number,
    spell_start,
    churn_date,
    is_churned
  from spells
),

month_spells as (
  select
    months.month_start,
    case when grouping(spell_facts.customer_type) = 1 then 'all' else spell_facts.customer_type end as customer_type,
    count(*) filter (where spell_facts.spell_start < months.month_start and spell_facts.churn_date >= months.month_start) as active_at_start,
    count(*) filter (
      where spell_facts.spell_start < months.month_start
      and spell_facts.churn_date between months.month_start and months.period_end
    ) as churned_customers,
    count(*) filter (where spell_facts.spell_number = 1 and spell_facts.spell_start >= months.month_start) as new_customers,
    count(*) filter (where spell_facts.spell_number > 1 and spell_facts.spell_start >= months.month_start) as reactivated_customers
  from months
  inner join spell_facts
    on spell_facts.spell_start <= months.month_end
    and spell_facts.churn_date >= months.month_start
  group by grouping sets ((months.month_start), (months.month_start, spell_facts.customer_type))
),

final as (
  select
    typed_months.month_start,
    typed_months.customer_type,
    coalesce(month_spells.active_at_start, 0) as active_at_start,
    coalesce(month_spells.churned_customers, 0) as churned_customers,
    month_spells.churned_customers / nullif(month_spells.active_at_start, 0) as churn_rate,
    coalesce(month_spells.new_customers, 0) as new_customers,
    coalesce(month_spells.reactivated_customers, 0) as reactivated_customers,
    typed_months.period_end,
    typed_months.is_complete
  from typed_months
  left join month_spells
    on month_spells.month_start = typed_months.month_start
    and month_spells.customer_type = typed_months.customer_type
)

select * from final
