// Page data for Service: SLA attainment and resolution times by month/quarter and segment
// (service_rates), the complaint funnel per quarter (aggregated from ticket_sla), and the agent
// leaderboard by pseudonymous agent id (agent_leaderboard).
import { monthsBefore, rounded, runLoader, toColumns } from "../lib/loader.ts";

/** The leaderboard ships the last twelve months (and their quarters). */
const LEADERBOARD_MONTHS = 11;

await runLoader("service", async (k) => {
  const rates = await k
    .selectFrom("service_rates")
    .select([
      "period_type", "period_start", "dimension", "segment", "tickets", "response_timeliness_rate", "first_response_within_default_rate",
      "median_first_response_minutes", "complaints", "complaint_resolution_rate", "resolution_met_rate", "median_resolution_hours",
      "resolved_within_contacts_rate", "callback_rate", "repeat_complaint_rate",
    ])
    .orderBy("period_type")
    .orderBy("period_start")
    .orderBy("dimension")
    .orderBy("segment")
    .execute();
  const funnel = await k
    .selectFrom("ticket_sla")
    .select((eb) => [
      "quarter",
      eb.fn.countAll<number>().as("complaints"),
      eb.fn.countAll<number>().filterWhere("first_response_at", "is not", null).as("responded"),
      eb.fn.countAll<number>().filterWhere("is_resolved", "=", true).as("resolved"),
      eb.fn.countAll<number>().filterWhere("resolution_status", "=", "met").as("resolved_in_sla"),
      eb.fn.countAll<number>().filterWhere("callback_within_window", "=", true).as("called_back"),
    ])
    .where("is_complaint", "=", true)
    .groupBy("quarter")
    .orderBy("quarter")
    .execute();
  const leaderboard = await k
    .selectFrom("agent_leaderboard")
    .select(["period_type", "period_start", "agent_id", "tickets", "praise_count", "resolution_rate", "response_timeliness_rate", "csat_responses", "csat_mean", "csat_share", "rank"])
    .where("period_start", ">=", (eb) => eb.selectFrom("agent_leaderboard").select((eb) => monthsBefore(eb.fn.max("period_start"), LEADERBOARD_MONTHS).as("since")))
    .orderBy("period_type")
    .orderBy("period_start")
    .orderBy("rank")
    .execute();
  return { rates: toColumns(rounded(rates)), funnel: rounded(funnel), leaderboard: toColumns(rounded(leaderboard)) };
});
