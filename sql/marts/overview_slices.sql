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

order_facts as (
  select
    date_trunc('month', order_date)::date as month, customer_id,
    net_amount as revenue, (status <> 'cancelled')::int as orders,
    0 as nps_n, 0 as promoters, 0 as detractors, 0 as csat_n, 0 as csat_satisfied, 0 as csat_score,
    0 as tickets, 0 as complaints, 0 as complaints_resolved, 0 as responded_in_sla
  from orders
),

survey_facts as (
  select
    date_trunc('month', responded_at)::date as month, customer_id, 0 as revenue, 0 as orders,
    (survey_type = 'nps')::int as nps_n,
    (survey_type = 'nps' and score >= 9)::int as promoters,
    (survey_type = 'nps' and score <= 6)::int as detractors,
    (survey_type = 'csat')::int as csat_n,
    (survey_type = 'csat' and score >= 4)::int as csat_satisfied,
    case when survey_type = 'csat' then score else 0 end as csat_score,
    0 as tickets, 0 as complaints, 0 as complaints_resolved, 0 as responded_in_sla
  from survey_responses
),

ticket_facts as (
  select
    date_trunc('month', t.created_at)::date as month, t.customer_id, 0 as revenue, 0 as orders,
    0 as nps_n, 0 as promoters, 0 as detractors, 0 as csat_n, 0 as csat_satisfied, 0 as csat_score,
    1 as tickets,
    t.is_complaint::int as complaints,
    (t.is_complaint and t.resolved_at is not null)::int as complaints_resolved,
    coalesce(date_diff('minute', t.created_at, t.first_response_at) <= c.first_response_minutes, false)::int as responded_in_sla
  from tickets as t
  cross join config as c
),

facts as (
  select * from order_facts
  union all by name
  select * from survey_facts
  union all by name
  select * from ticket_facts
),

joined as (
  select
    f.*,
    coalesce(s.customer_type, '(unknown)') as customer_type,
    coalesce(s.tier, '(unknown)') as tier,
    coalesce(s.acquisition_channel, '(unknown)') as acquisition_channel,
    coalesce(s.region, '(unknown)') as region
  from facts as f
  left join customer_slices as s using (customer_id)
  where f.month is not null
),

-- The finest slice first: the eight grouping sets below then add up a few thousand cells instead of every fact.
cells as (
  select
    month,
    customer_type,
    tier,
    acquisition_channel,
    region,
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
  from joined
  group by month, customer_type, tier, acquisition_channel, region
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
