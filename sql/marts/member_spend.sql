-- Member vs non-member spend per month.
-- grain: one row per month × membership ('member' / 'non_member'); key: month, membership
-- formula: membership = the CRM's current is_member flag (a snapshot: the program does not export join dates);
--   buying_customers = customers with ≥ 1 order in the month; revenue = Σ net_amount (cancelled = 0);
--   revenue_per_buying_customer = revenue / buying_customers; orders_per_buying_customer likewise;
--   average_order_value = revenue / orders (non-cancelled orders).
-- window: calendar month of ordered_at.
with orders as (
  select * from stg_orders
),

customers as (
  select * from stg_customers
),

-- Membership travels as a flag and becomes its label once per group, not once per order.
joined as (
  select
    o.customer_id,
    o.status,
    o.net_amount,
    coalesce(c.is_member, false) as is_member,
    cast(date_trunc('month', o.ordered_at) as date) as month
  from orders as o
  left join customers as c on c.customer_id = o.customer_id
),

aggregated as (
  select
    month,
    is_member,
    count(distinct customer_id) as buying_customers,
    count(*) filter (where status <> 'cancelled') as orders,
    sum(net_amount) as revenue
  from joined
  group by all
),

final as (
  select
    month,
    case when is_member then 'member' else 'non_member' end as membership,
    buying_customers,
    orders,
    revenue,
    revenue / buying_customers as revenue_per_buying_customer,
    orders / buying_customers::double as orders_per_buying_customer,
    revenue / nullif(orders, 0) as average_order_value
  from aggregated
)

select * from final
