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

-- Month and quarter as two grouping sets of one pass (grouping(month) = 1 marks the quarter rows).
ticket_stats as (
  select
    case when grouping(month) = 0 then 'month' else 'quarter' end as period_type,
    case when grouping(month) = 0 then month else quarter end as period_start,
    agent_id,
    count(*) as tickets,
    count(*) filter (where praised) as praise_count,
    count(*) filter (where is_resolved) as resolved,
    count(*) filter (where response_status = 'met') as responses_met,
    count(*) filter (where response_status = 'breached') as responses_breached
  from tickets
  group by grouping sets ((month, agent_id), (quarter, agent_id))
),

-- Each CSAT answer on the ticket it followed, counted in that ticket's month and quarter.
ticket_answers as (
  select t.month, t.quarter, t.agent_id, s.score, s.csat_satisfied
  from tickets as t
  inner join surveys as s on s.ticket_id = t.ticket_id
),

csat_stats as (
  select
    case when grouping(month) = 0 then 'month' else 'quarter' end as period_type,
    case when grouping(month) = 0 then month else quarter end as period_start,
    agent_id,
    count(*) as csat_responses,
    avg(score) as csat_mean,
    count(*) filter (where csat_satisfied) / count(*)::double as csat_share
  from ticket_answers
  group by grouping sets ((month, agent_id), (quarter, agent_id))
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
