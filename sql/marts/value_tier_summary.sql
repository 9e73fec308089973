-- Share of customers and of revenue per value tier; the core tier's revenue share is the
-- high-value revenue share KPI (target ≥ 70%).
-- grain: one row per customer_type ('all' or the CRM type) × value_tier (core, potential, basic);
--        key: customer_type, value_tier
-- formula: population = customers with ≥ 1 purchase in the trailing 365 days (as_of_date − 364 …
--          as_of_date); value_tier from customer_segments; customer_share = customers / total_customers;
--          revenue = Σ net_amount of their orders in the same 365 days; revenue_share = revenue / total_revenue
--          (totals over the same customer_type group).
-- window: trailing 365 days up to int_as_of.as_of_date
with segments as (
  select * from customer_segments
),

active as (
  select
    coalesce(customer_type, 'unknown') as customer_type,
    value_tier,
    net_revenue_365d
  from segments
  where purchase_days_365d >= 1
),

groups as (
  select 'all' as customer_type
  union
  select distinct customer_type from active
),

tiers as (
  select unnest(['core', 'potential', 'basic']) as value_tier
),

counted as (
  select
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    value_tier,
    count(*) as customers,
    sum(net_revenue_365d) as revenue
  from active
  group by grouping sets ((value_tier), (customer_type, value_tier))
),

filled as (
  select
    groups.customer_type,
    tiers.value_tier,
    coalesce(counted.customers, 0) as customers,
    coalesce(counted.revenue, 0) as revenue
  from groups
  cross join tiers
  left join counted on counted.customer_type = groups.customer_type and counted.value_tier = tiers.value_tier
),

final as (
  select
    customer_type,
    value_tier,
    customers,
    sum(customers) over by_group as total_customers,
    customers / nullif(sum(customers) over by_group, 0) as customer_share,
    revenue,
    sum(revenue) over by_group as total_revenue,
    revenue / nullif(sum(revenue) over by_group, 0) as revenue_share
  from filled
  window by_group as (partition by customer_type)
)

select * from final
