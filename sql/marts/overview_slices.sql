-- Additive monthly measures behind the Overview's filters (period, business type, tier, channel, region):
-- sums only, never ratios, so the site can add any months and slices in the browser before dividing.
-- grain: one row per month × customer_type × one of tier / acquisition_channel / region (the others 'all');
--        key: month, customer_type, tier, acquisition_channel, region
-- formula: revenue = Σ stg_orders.net_amount; orders = orders not cancelled; nps_n / promoters (9–10) /
--          detractors (0–6) over NPS answers; csat_n / csat_satisfied (4–5) / csat_score (Σ score) over CSAT
--          answers; tickets, complaints, complaints_resolved (resolved_at set), responded_in_sla (first
--          response within config first_response_minutes wall-clock minutes of creation, a column too).
--          Customer attributes from stg_customers, '(unknown)' when missing or the customer is not in the CRM.
-- window: calendar month of order_date, responded_at, created_at; all history.
with customers as (
  select * from stg_customers
),

orders as (
  select * from stg_orders
),

survey_responses as (
  select * from stg_survey_responses
),

tickets as (
  select * from stg_tickets
),

config as (
  select * from config_metrics
),

customer_slices as (
  select
    customer_id,
    coalesce(customer_type, '(unknown)') as customer_type,
    coalesce(tier, '(unknown)') as tier,
    coalesce(acquisition_channel, '(unknown)') as acquisition_channel,
    coalesce(region, '(unknown)') as region
  from customers
),

-- Each source is summed per finest slice on its own (orders, the big one, with only its two measures), and the
-- three sets of cells are then added up: tens of thousands of rows instead of every fact. A fact whose customer
-- is not in the CRM has null slices here; cells names them '(unknown)'.
order_cells as (
  select
    date_trunc('month', o.order_date)::date as month,
    s.customer_type,
    s.tier,
    s.acquisition_channel,
    s.region,
    sum(o.net_amount) as revenue,
    sum((o.status <> 'cancelled')::int) as orders,
    0 as nps_n, 0 as promoters, 0 as detractors, 0 as csat_n, 0 as csat_satisfied, 0 as csat_score,
    0 as tickets, 0 as complaints, 0 as complaints_resolved, 0 as responded_in_sla
  from orders as o
  left join customer_slices as s on s.customer_id = o.customer_id
  where o.order_date is not null
  group by all
),

survey_cells as (
  select
    date_trunc('month', r.responded_at)::date as month,
    s.customer_type,
    s.tier,
    s.acquisition_channel,
    s.region,
    0 as revenue, 0 as orders,
    sum((r.survey_type = 'nps')::int) as nps_n,
    sum((r.survey_type = 'nps' and r.score >= 9)::int) as promoters,
    sum((r.survey_type = 'nps' and r.score <= 6)::int) as detractors,
    sum((r.survey_type = 'csat')::int) as csat_n,
    sum((r.survey_type = 'csat' and r.score >= 4)::int) as csat_satisfied,
    sum(case when r.survey_type = 'csat' then r.score else 0 end) as csat_score,
    0 as tickets, 0 as complaints, 0 as complaints_resolved, 0 as responded_in_sla
  from survey_responses as r
  left join customer_slices as s on s.customer_id = r.customer_id
  where r.responded_at is not null
  group by all
),

ticket_cells as (
  select
    date_trunc('month', t.created_at)::date as month,
    s.customer_type,
    s.tier,
    s.acquisition_channel,
    s.region,
    0 as revenue, 0 as orders, 0 as nps_n, 0 as promoters, 0 as detractors, 0 as csat_n, 0 as csat_satisfied,
    0 as csat_score,
    count(*) as tickets,
    sum(t.is_complaint::int) as complaints,
    sum((t.is_complaint and t.resolved_at is not null)::int) as complaints_resolved,
    sum(coalesce(date_diff('minute', t.created_at, t.first_response_at) <= c.first_response_minutes, false)::int)
      as responded_in_sla
  from tickets as t
  left join customer_slices as s on s.customer_id = t.customer_id
  cross join config as c
  where t.created_at is not null
  group by all
),

facts as (
  select * from order_cells
  union all by name
  select * from survey_cells
  union all by name
  select * from ticket_cells
),

-- The finest slice: the eight grouping sets below add up these few thousand cells.
cells as (
  select
    month,
    coalesce(customer_type, '(unknown)') as customer_type,
    coalesce(tier, '(unknown)') as tier,
    coalesce(acquisition_channel, '(unknown)') as acquisition_channel,
    coalesce(region, '(unknown)') as region,
    sum(revenue) as revenue,
    sum(orders) as orders,
    sum(nps_n) as nps_n,
    sum(promoters) as promoters,
    sum(detractors) as detractors,
    sum(csat_n) as csat_n,
    sum(csat_satisfied) as csat_satisfied,
    sum(csat_score) as csat_score,
    sum(tickets) as tickets,
    sum(complaints) as complaints,
    sum(complaints_resolved) as complaints_resolved,
    sum(responded_in_sla) as responded_in_sla
  from facts
  group by all
),

sliced as (
  select
    month,
    case when grouping(customer_type) = 1 then 'all' else customer_type end as customer_type,
    case when grouping(tier) = 1 then 'all' else tier end as tier,
    case when grouping(acquisition_channel) = 1 then 'all' else acquisition_channel end as acquisition_channel,
    case when grouping(region) = 1 then 'all' else region end as region,
    round(sum(revenue), 2) as revenue,
    sum(orders) as orders,
    sum(nps_n) as nps_n,
    sum(promoters) as promoters,
    sum(detractors) as detractors,
    sum(csat_n) as csat_n,
    sum(csat_satisfied) as csat_satisfied,
    sum(csat_score) as csat_score,
    sum(tickets) as tickets,
    sum(complaints) as complaints,
    sum(complaints_resolved) as complaints_resolved,
    sum(responded_in_sla) as responded_in_sla
  from cells
  group by grouping sets (
    (month), (month, customer_type),
    (month, tier), (month, customer_type, tier),
    (month, acquisition_channel), (month, customer_type, acquisition_channel),
    (month, region), (month, customer_type, region)
  )
),

final as (
  select sliced.*, config.first_response_minutes
  from sliced
  cross join config
)

select * from final
