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

joined as (
  select
    o.*,
    case when coalesce(c.is_member, false) then 'member' else 'non_member' end as membership,
    cast(date_trunc('month', o.ordered_at) as date) as month
  from orders as o
  left join customers as c on c.customer_id = o.customer_id
),

final as (
  select
    month,
    membership,
    count(distinct customer_id) as buying_customers,
    count(*) filter (where status <> 'cancelled') as orders,
    sum(net_amount) as revenue,
    sum(net_amount) / count(distinct customer_id) as revenue_per_buying_customer,
    count(*) filter (where status <> 'cancelled') / count(distinct customer_id)::double as orders_per_buying_customer,
    sum(net_amount) / nullif(count(*) filter (where status <> 'cancelled'), 0) as average_order_value
  from joined
  group by all
)

select * from final
