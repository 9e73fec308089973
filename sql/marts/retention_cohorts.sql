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

timelines as (
  select * from int_customer_activity_timelines
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

-- Each customer sits in exactly one (type, channel, tier) cell, so counts and sums per cell add up to any
-- rollup: aggregate once at the finest grain, then CUBE the small result. Revenue and active customers are
-- summed straight into cells, never per customer and month (millions of groups at scale).
cell_sizes as (
  select cohort_month, customer_type, acquisition_channel, tier, count(*) as cohort_customers
  from cohort_members
  group by all
),

-- Months are counted as year × 12 + month − 1 until the cells are small: integer arithmetic on every order
-- is far cheaper than date truncation.
cell_revenue as (
  select
    cohort_members.cohort_month,
    year(orders.order_date) * 12 + month(orders.order_date) - 1 as month_number,
    cohort_members.customer_type,
    cohort_members.acquisition_channel,
    cohort_members.tier,
    sum(orders.net_amount) as revenue
  from orders
  inner join cohort_members on cohort_members.customer_id = orders.customer_id
  where orders.order_date >= cohort_members.cohort_month
  group by all
),

-- The months in which each cohort member bought, once each: purchase_dates are in order, so a month is
-- new when it differs from the one before.
purchase_months as (
  select
    cohort_members.*,
    list_transform(timelines.purchase_dates, lambda day: year(day) * 12 + month(day) - 1) as month_numbers
  from cohort_members
  inner join timelines on timelines.customer_id = cohort_members.customer_id
),

member_active_months as (
  select
    cohort_month,
    unnest(list_filter(month_numbers, lambda month_number, i: i = 1 or month_number <> month_numbers[i - 1])) as month_number,
    customer_type,
    acquisition_channel,
    tier
  from purchase_months
),

cell_active_counts as (
  select cohort_month, month_number, customer_type, acquisition_channel, tier, count(*) as active_customers
  from member_active_months
  group by all
),

-- A month with a purchase has an order, so every active cell-month has a revenue row.
cell_activity as (
  select
    cell_revenue.cohort_month,
    cell_revenue.month_number - (year(cell_revenue.cohort_month) * 12 + month(cell_revenue.cohort_month) - 1) as months_since_first,
    cell_revenue.customer_type,
    cell_revenue.acquisition_channel,
    cell_revenue.tier,
    coalesce(cell_active_counts.active_customers, 0) as active_customers,
    cell_revenue.revenue
  from cell_revenue
  left join cell_active_counts
    on cell_active_counts.cohort_month = cell_revenue.cohort_month
    and cell_active_counts.month_number = cell_revenue.month_number
    and cell_active_counts.customer_type = cell_revenue.customer_type
    and cell_active_counts.acquisition_channel = cell_revenue.acquisition_channel
    and cell_active_counts.tier = cell_revenue.tier
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
