-- When the customers of each acquisition cohort churn (first churn only).
-- grain: one row per cohort_month × months_since_first × customer_type ('all' or the CRM type);
--        key: cohort_month, months_since_first, customer_type
-- formula: cohort = customers whose first purchase fell in cohort_month; churned_customers = cohort
--          customers whose FIRST churn date (last activity + config churn_days without purchase or
--          interaction, see churn_monthly) falls in month cohort_month + months_since_first;
--          cumulative_churned = running sum; cumulative_churn_rate = cumulative_churned / cohort_customers.
--          Churn after a win-back is not counted again here (see churn_monthly for every churn).
-- window: months_since_first from 0 to the month of int_as_of.as_of_date (last month partial)
with customers as (
  select * from int_customer_orders_summarized
),

spells as (
  select * from int_customer_activity_spells
),

as_of as (
  select * from int_as_of
),

first_churn as (
  select
    customer_id,
    min(churn_date) as first_churn_date
  from spells
  where is_churned
  group by customer_id
),

members as (
  select
    customers.customer_id,
    customers.cohort_month,
    coalesce(customers.customer_type, 'unknown') as customer_type,
    cast(date_sub('month', customers.cohort_month, cast(date_trunc('month', first_churn.first_churn_date) as date)) as bigint) as churn_month_offset
  from customers
  left join first_churn on first_churn.customer_id = customers.customer_id
  where customers.first_purchase_date is not null
),

cohort_counts as (
  select
    cohort_month,
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    count(*) as cohort_customers
  from members
  group by grouping sets ((cohort_month), (cohort_month, customer_type))
),

churn_counts as (
  select
    cohort_month,
    churn_month_offset as months_since_first,
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    count(*) as churned_customers
  from members
  where churn_month_offset is not null
  group by grouping sets ((cohort_month, churn_month_offset), (cohort_month, churn_month_offset, customer_type))
),

grid as (
  select
    cohort_counts.*,
    cast(unnest(range(0, date_sub('month', cohort_counts.cohort_month, cast(date_trunc('month', as_of.as_of_date) as date)) + 1)) as bigint) as months_since_first
  from cohort_counts
  cross join as_of
),

final as (
  select
    grid.cohort_month,
    grid.months_since_first,
    grid.customer_type,
    grid.cohort_customers,
    coalesce(churn_counts.churned_customers, 0) as churned_customers,
    sum(coalesce(churn_counts.churned_customers, 0)) over cohort as cumulative_churned,
    sum(coalesce(churn_counts.churned_customers, 0)) over cohort / grid.cohort_customers as cumulative_churn_rate
  from grid
  left join churn_counts
    on churn_counts.cohort_month = grid.cohort_month
    and churn_counts.months_since_first = grid.months_since_first
    and churn_counts.customer_type = grid.customer_type
  window cohort as (
    partition by grid.cohort_month, grid.customer_type order by grid.months_since_first
    rows between unbounded preceding and current row
  )
)

select * from final
