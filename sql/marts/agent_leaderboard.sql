-- Agent leaderboard (服务之星) per month and quarter, by pseudonymous agent_id (never a name).
-- grain: one row per period_type × period_start × agent_id with ≥ 1 ticket; key: period_type, period_start, agent_id
-- formulas (tickets created in the period): praise_count = tickets the customer praised;
--   resolution_rate = resolved / tickets; response_timeliness_rate = first responses met / (met + breached);
--   csat_responses, csat_mean and csat_share (4–5) over CSAT answers linked to the agent's tickets by ticket_id
--   (whenever answered). rank: 1 = most praise, then higher CSAT mean, then higher resolution rate.
-- window: calendar month / quarter of the ticket's created_at.
with tickets as (
  select * from int_tickets_sla where agent_id is not null
),

surveys as (
  select * from int_surveys_enriched where survey_type = 'csat' and ticket_id is not null
),

periods as (
  select *, 'month' as period_type, month as period_start from tickets
  union all
  select *, 'quarter' as period_type, quarter as period_start from tickets
),

ticket_stats as (
  select
    period_type,
    period_start,
    agent_id,
    count(*) as tickets,
    count(*) filter (where praised) as praise_count,
    count(*) filter (where is_resolved) as resolved,
    count(*) filter (where response_status = 'met') as responses_met,
    count(*) filter (where response_status = 'breached') as responses_breached
  from periods
  group by all
),

csat_stats as (
  select
    p.period_type,
    p.period_start,
    p.agent_id,
    count(*) as csat_responses,
    avg(s.score) as csat_mean,
    count(*) filter (where s.csat_satisfied) / count(*)::double as csat_share
  from periods as p
  inner join surveys as s on s.ticket_id = p.ticket_id
  group by all
),

joined as (
  select
    t.*,
    t.resolved / t.tickets::double as resolution_rate,
    t.responses_met / nullif(t.responses_met + t.responses_breached, 0)::double as response_timeliness_rate,
    coalesce(c.csat_responses, 0) as csat_responses,
    c.csat_mean,
    c.csat_share
  from ticket_stats as t
  left join csat_stats as c
    on c.period_type = t.period_type and c.period_start = t.period_start and c.agent_id = t.agent_id
),

final as (
  select
    *,
    rank() over (
      partition by period_type, period_start
      order by praise_count desc, csat_mean desc nulls last, resolution_rate desc
    ) as rank
  from joined
)

select * from final
