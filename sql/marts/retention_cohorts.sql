-- Retention by monthly acquisition cohort.
-- grain: one row per cohort_month × months_since_first × customer_type × acquisition_channel × tier, where
--        each of the three dimensions is a value or 'all' (a CUBE: pages filter by fixing the others to
--        'all'); key: cohort_month, months_since_first, customer_type, acquisition_channel, tier.
--        Missing acquisition_channel is 'unknown'; missing tier (CRM loyalty tier) is 'none'.
-- formula: cohort = customers whose first purchase (not cancelled, not fully refunded) fell in cohort_month;
--          active_customers = cohort customers with a purchase in month cohort_month + months_since_first;
--          retention_rate = active_customers / cohort_customers; revenue = Σ net_amount of the cohort's
--          orders in that month; revenue_retention = revenue / the cohort's month-0 revenue.
-- window: every month from cohort_month to the month of int_as_of.as_of_date (the last one may be partial:
--         is_complete_month = false)
with customers as (
  select * from int_customer_orders_summarized
),

orders as (
  select * from int_orders_classified
),

as_of as (
  select * from int_as_of
),

cohort_members as (
  select
    customer_id,
    cohort_month,
    coalesce(customer_type, 'unknown') as customer_type,
    coalesce(acquisition_channel, 'unknown') as acquisition_channel,
    coalesce(tier, 'none') as tier
  from customers
  where first_purchase_date is not null
),

customer_months as (
  select
    customer_id,
    order_month,
    bool_or(is_purchase) as is_active,
    sum(net_amount) as revenue
  from orders
  group by customer_id, order_month
),

member_months as (
  select
    cohort_members.*,
    cast(date_sub('month', cohort_members.cohort_month, customer_months.order_month) as bigint) as months_since_first,
    customer_months.is_active,
    customer_months.revenue
  from cohort_members
  inner join customer_months on customer_months.customer_id = cohort_members.customer_id
  where customer_months.order_month >= cohort_members.cohort_month
),

-- Each customer sits in exactly one (type, channel, tier) cell, so counts and sums per cell add up to any
-- rollup: aggregate once at the finest grain, then CUBE the small result.
cell_sizes as (
  select cohort_month, customer_type, acquisition_channel, tier, count(*) as cohort_customers
  from cohort_members
  group by all
),

cell_activity as (
  select
    cohort_month,
    months_since_first,
    customer_type,
    acquisition_channel,
    tier,
    count(*) filter (where is_active) as active_customers,
    sum(revenue) as revenue
  from member_months
  group by all
),

cohort_sizes as (
  select
    cohort_month,
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    case when grouping(acquisition_channel) = 1 then 'all' else acquisition_channel end as acquisition_channel,
    case when grouping(tier) = 1 then 'all' else tier end as tier,
    sum(cohort_customers) as cohort_customers
  from cell_sizes
  group by cohort_month, cube (customer_type, acquisition_channel, tier)
),

month_activity as (
  select
    cohort_month,
    months_since_first,
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    case when grouping(acquisition_channel) = 1 then 'all' else acquisition_channel end as acquisition_channel,
    case when grouping(tier) = 1 then 'all' else tier end as tier,
    sum(active_customers) as active_customers,
    sum(revenue) as revenue
  from cell_activity
  group by cohort_month, months_since_first, cube (customer_type, acquisition_channel, tier)
),

grid as (
  select
    cohort_sizes.*,
    unnest(range(0, date_sub('month', cohort_sizes.cohort_month, cast(date_trunc('month', as_of.as_of_date) as date)) + 1)) as months_since_first,
    as_of.as_of_date
  from cohort_sizes
  cross join as_of
),

filled as (
  select
    grid.cohort_month,
    cast(grid.months_since_first as bigint) as months_since_first,
    grid.customer_type,
    grid.acquisition_channel,
    grid.tier,
    cast(grid.cohort_customers as bigint) as cohort_customers,
    cast(coalesce(month_activity.active_customers, 0) as bigint) as active_customers,
    coalesce(month_activity.revenue, 0) as revenue,
    cast(grid.cohort_month + to_months(cast(grid.months_since_first as integer) + 1) as date) - 1 <= grid.as_of_date as is_complete_month
  from grid
  left join month_activity
    on month_activity.cohort_month = grid.cohort_month
    and month_activity.months_since_first = grid.months_since_first
    and month_activity.customer_type = grid.customer_type
    and month_activity.acquisition_channel = grid.acquisition_channel
    and month_activity.tier = grid.tier
),

final as (
  select
    cohort_month,
    months_since_first,
    customer_type,
    acquisition_channel,
    tier,
    cohort_customers,
    active_customers,
    active_customers / cohort_customers as retention_rate,
    revenue,
    first_value(revenue) over cohort as month0_revenue,
    revenue / nullif(first_value(revenue) over cohort, 0) as revenue_retention,
    is_complete_month
  from filled
  window cohort as (partition by cohort_month, customer_type, acquisition_channel, tier order by months_since_first)
)

select * from final
