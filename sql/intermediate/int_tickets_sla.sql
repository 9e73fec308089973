-- Service tickets with their clocks, SLA targets and outcomes.
-- grain: one row per ticket_id; key: ticket_id
-- value_tier_at_ticket: the customer's value tier when the ticket was opened, from orders in the 365 days before
--   created_at: 'core' when net spend > config core_annual_spend and orders ≥ core_min_orders, 'potential' when
--   spend > potential_annual_spend or ≥ 2 orders, else 'basic' (point in time, so later growth does not rewrite
--   an old SLA).
-- response_sla_minutes: pre_sale → sla_pre_sale_minutes (60); after_sale → sla_after_sale_core_minutes (60) for
--   core customers, sla_after_sale_basic_minutes (240) otherwise; purchase → first_response_minutes (30).
-- resolution_sla_hours: by severity: general 24, serious 48, major 72 (config resolution_hours_*).
-- Clocks: wall-clock minutes/hours; with config sla_business_hours = 1 the SLA compares business time instead
--   (int_tickets_business_minutes). response_status: 'met' when the first response came within the SLA,
--   'breached' when it came later or when none came and the SLA had already run out at the as-of moment,
--   'pending' when none came yet and the SLA is still running. resolution_status likewise against
--   resolved_at (the last resolution, so reopened tickets are timed to their final fix).
-- answered_within_default: first response within config first_response_minutes (30), whatever the ticket's SLA.
-- contacts_to_resolve: contacts, or 1 + reopened_count when contacts is missing.
-- callback_within_window: resolved and called back within callback_hours (24) after resolved_at; NULL if open.
-- is_repeat_complaint: a complaint whose customer complained before within repeat_complaint_days (30).
-- window: every loaded ticket; open clocks run to int_as_of.as_of_at.
with tickets as not materialized (
  select * from stg_tickets
),

business as (
  select * from int_tickets_business_minutes
),

customers as (
  select * from stg_customers
),

orders as (
  select * from stg_orders
),

as_of as (
  select * from int_as_of
),

config as (
  select * from config_metrics
),

-- Only tickets with an order in the window get a row here; the others have spent 0 in 0 orders.
spend_before as (
  select
    t.ticket_id,
    sum(o.net_amount) as spend_365d,
    count(*) as orders_365d
  from tickets as t
  inner join orders as o
    on o.customer_id = t.customer_id
    and o.ordered_at < t.created_at
    and o.ordered_at >= t.created_at - interval 365 day
    and o.status <> 'cancelled'
  group by t.ticket_id
),

tiered as (
  select
    t.*,
    case
      when coalesce(s.spend_365d, 0) > c.core_annual_spend and coalesce(s.orders_365d, 0) >= c.core_min_orders then 'core'
      when coalesce(s.spend_365d, 0) > c.potential_annual_spend or coalesce(s.orders_365d, 0) >= 2 then 'potential'
      else 'basic'
    end as value_tier_at_ticket
  from tickets as t
  left join spend_before as s on s.ticket_id = t.ticket_id
  cross join config as c
),

-- Each complaint's gap to the same customer's previous complaint, on the complaints alone (a narrow window
-- instead of one over every ticket with all its columns).
complaint_gaps as (
  select
    ticket_id,
    date_diff(
      'second',
      lag(created_at) over (partition by customer_id order by created_at, ticket_id),
      created_at
    ) as seconds_since_previous
  from tickets
  where is_complaint
),

clocks as (
  select
    t.*,
    coalesce(cu.customer_type, 'unknown') as customer_type,
    cast(date_trunc('month', t.created_at) as date) as month,
    cast(date_trunc('quarter', t.created_at) as date) as quarter,
    date_diff('second', t.created_at, t.first_response_at) / 60.0 as first_response_minutes,
    date_diff('second', t.created_at, t.resolved_at) / 3600.0 as resolution_hours,
    case when t.first_response_at is not null then b.response_business_minutes end as first_response_business_minutes,
    case when t.resolved_at is not null then b.resolution_business_minutes / 60.0 end as resolution_business_hours,
    -- time the SLA clock has run so far (to the response / resolution, or to the as-of moment if still open)
    case
      when c.sla_business_hours = 1 then b.response_business_minutes
      else date_diff('second', t.created_at, coalesce(t.first_response_at, a.as_of_at)) / 60.0
    end as response_clock_minutes,
    case
      when c.sla_business_hours = 1 then b.resolution_business_minutes / 60.0
      else date_diff('second', t.created_at, coalesce(t.resolved_at, a.as_of_at)) / 3600.0
    end as resolution_clock_hours,
    case t.touchpoint
      when 'pre_sale' then c.sla_pre_sale_minutes
      when 'after_sale' then
        case when t.value_tier_at_ticket = 'core' then c.sla_after_sale_core_minutes else c.sla_after_sale_basic_minutes end
      else c.first_response_minutes
    end as response_sla_minutes,
    case t.severity
      when 'general' then c.resolution_hours_general
      when 'serious' then c.resolution_hours_serious
      else c.resolution_hours_major
    end as resolution_sla_hours,
    t.first_response_at is not null
      and date_diff('second', t.created_at, t.first_response_at) / 60.0 <= c.first_response_minutes
      as answered_within_default,
    c.callback_hours,
    c.max_contacts_to_resolve,
    c.repeat_complaint_days,
    c.sla_business_hours,
    g.seconds_since_previous
  from tiered as t
  left join business as b on b.ticket_id = t.ticket_id
  left join complaint_gaps as g on g.ticket_id = t.ticket_id
  left join customers as cu on cu.customer_id = t.customer_id
  cross join as_of as a
  cross join config as c
),

outcomes as (
  select
    *,
    case
      when first_response_at is not null then
        case when response_clock_minutes <= response_sla_minutes then 'met' else 'breached' end
      when response_clock_minutes > response_sla_minutes then 'breached'
      else 'pending'
    end as response_status,
    case
      when resolved_at is not null then
        case when resolution_clock_hours <= resolution_sla_hours then 'met' else 'breached' end
      when resolution_clock_hours > resolution_sla_hours then 'breached'
      else 'pending'
    end as resolution_status,
    resolved_at is not null as is_resolved,
    coalesce(reopened_count, 0) > 0 as was_reopened,
    coalesce(contacts, 1 + coalesce(reopened_count, 0)) as contacts_to_resolve,
    case
      when resolved_at is null then null
      else callback_at is not null
        and callback_at >= resolved_at
        and callback_at <= resolved_at + to_minutes(cast(round(callback_hours * 60) as bigint))
    end as callback_within_window,
    is_complaint and coalesce(seconds_since_previous <= repeat_complaint_days * 86400, false) as is_repeat_complaint
  from clocks
),

final as (
  select
    ticket_id, customer_id, customer_type, value_tier_at_ticket, channel, touchpoint, category, is_complaint, severity,
    agent_id, month, quarter, created_at, first_response_at, resolved_at, callback_at,
    first_response_minutes, first_response_business_minutes, resolution_hours, resolution_business_hours,
    response_sla_minutes, response_clock_minutes, response_status, answered_within_default,
    resolution_sla_hours, resolution_clock_hours, resolution_status,
    is_resolved, coalesce(reopened_count, 0) as reopened_count, was_reopened, contacts_to_resolve,
    is_resolved and contacts_to_resolve <= max_contacts_to_resolve as resolved_within_max_contacts,
    callback_within_window, is_repeat_complaint, coalesce(praised, false) as praised,
    sla_business_hours = 1 as sla_in_business_hours
  from outcomes
)

select * from final
