-- Customer-profile completeness (信息完整率): how many CRM records have the required fields, never the values.
-- grain: one row per customer_type ('all' or the CRM type); key: customer_type
-- formula: a field is filled when it is not null and not blank. Required: contact (phone or email), name
--          (for ToB the contact name or the company name), city, region. complete_customers = customers with
--          all four filled; completeness_rate = complete_customers / customers. Per-field counts come along.
-- window: the current CRM snapshot (all customers loaded)
with customers as (
  select * from stg_customers
),

flags as (
  select
    coalesce(customer_type, 'unknown') as customer_type,
    coalesce(trim(phone), '') <> '' or coalesce(trim(email), '') <> '' as has_contact,
    coalesce(trim(name), '') <> '' or (customer_type = 'ToB' and coalesce(trim(company_name), '') <> '') as has_name,
    coalesce(trim(city), '') <> '' as has_city,
    coalesce(trim(region), '') <> '' as has_region
  from customers
),

counted as (
  select
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    count(*) as customers,
    count(*) filter (where has_contact and has_name and has_city and has_region) as complete_customers,
    count(*) filter (where has_contact) as with_contact,
    count(*) filter (where has_name) as with_name,
    count(*) filter (where has_city) as with_city,
    count(*) filter (where has_region) as with_region
  from flags
  group by grouping sets ((), (customer_type))
),

all_row as (
  select 'all' as customer_type
),

final as (
  select
    all_row.customer_type,
    coalesce(counted.customers, 0) as customers,
    coalesce(counted.complete_customers, 0) as complete_customers,
    counted.complete_customers / nullif(counted.customers, 0) as completeness_rate,
    coalesce(counted.with_contact, 0) as with_contact,
    coalesce(counted.with_name, 0) as with_name,
    coalesce(counted.with_city, 0) as with_city,
    coalesce(counted.with_region, 0) as with_region
  from all_row
  left join counted on counted.customer_type = all_row.customer_type
  union all
  select
    customer_type,
    customers,
    complete_customers,
    complete_customers / customers,
    with_contact,
    with_name,
    with_city,
    with_region
  from counted
  where customer_type <> 'all'
)

select * from final
