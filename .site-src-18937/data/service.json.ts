// Page data for Service: SLA attainment and resolution times by month/quarter and segment
// (service_rates), the complaint funnel per quarter (aggregated from ticket_sla), and the agent
// leaderboard by pseudonymous agent id (agent_leaderboard).
import { rows, rounded, runLoader, selectFrom, toColumns } from "../lib/loader.ts";

await runLoader("service", async (db) => {
  const rates = await selectFrom(
    db,
    "service_rates",
    ["period_type", "period_start", "dimension", "segment", "tickets", "response_timeliness_rate", "first_response_within_default_rate", "median_first_response_minutes", "complaints", "complaint_resolution_rate", "resolution_met_rate", "median_resolution_hours", "resolved_within_contacts_rate", "callback_rate", "repeat_complaint_rate"],
    "order by period_type, period_start, dimension, segment",
  );
  const funnel = rounded(
    await rows(
      db,
      `select strftime(quarter, '%Y-%m-%d') as quarter, count(*) as complaints,
         count(*) filter (where first_response_at is not null) as responded,
         count(*) filter (where is_resolved) as resolved,
         count(*) filter (where resolution_status = 'met') as resolved_in_sla,
         count(*) filter (where callback_within_window) as called_back
       from ticket_sla where is_complaint group by all order by quarter`,
    ),
  );
  const leaderboard = await selectFrom(
    db,
    "agent_leaderboard",
    ["period_type", "period_start", "agent_id", "tickets", "praise_count", "resolution_rate", "response_timeliness_rate", "csat_responses", "csat_mean", "csat_share", "rank"],
    `where period_start >= (select max(period_start) - interval 11 month from agent_leaderboard) order by period_type, period_start, rank`,
  );
  return { rates: toColumns(rates), funnel, leaderboard: toColumns(leaderboard) };
});
