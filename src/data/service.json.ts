// Page data for Service: SLA attainment and resolution times by month (overall) and by quarter and segment
// (service_rates), the complaint funnel per quarter (aggregated from ticket_sla), and the agent
// leaderboard by pseudonymous agent id (agent_leaderboard): the top agents of each period plus a summary
// of all of them and their praise distribution in bins, so the page's size does not grow with the
// number of tickets or agents.
import { monthsBefore, rounded, runLoader, toColumns } from "../lib/loader.ts";

/** The leaderboard ships the last twelve months (and their quarters). */
const LEADERBOARD_MONTHS = 11;
/** Agents shipped per leaderboard period, by rank (ties broken by agent id). */
const TOP_AGENTS = 50;
/** At most this many bins in each period's praise-per-agent histogram. */
const PRAISE_BINS = 20;

await runLoader("service", async (k) => {
  const rateCols = [
    "period_type", "period_start", "dimension", "segment", "tickets", "response_timeliness_rate", "first_response_within_default_rate",
    "median_first_response_minutes", "complaints", "complaint_resolution_rate", "resolution_met_rate", "median_resolution_hours",
    "resolved_within_contacts_rate", "callback_rate", "repeat_complaint_rate",
  ] as const;
  // Months feed the overall trend only; segment splits are read per quarter. Segments are the marts' fixed
  // code lists (touchpoint, channel, severity, ...), so the rows grow with history, not with ticket counts.
  const rates = await k
    .selectFrom("service_rates")
    .select(rateCols)
    .where((eb) => eb.or([eb("period_type", "=", "quarter"), eb("dimension", "=", "all")]))
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

  const recent = k
    .selectFrom("agent_leaderboard")
    .where("period_start", ">=", (eb) => eb.selectFrom("agent_leaderboard").select((eb) => monthsBefore(eb.fn.max("period_start"), LEADERBOARD_MONTHS).as("since")));
  // rank ≤ N can return a few more than N on ties; the cut below keeps exactly N per period.
  const ranked = await recent
    .select(["period_type", "period_start", "agent_id", "tickets", "praise_count", "resolution_rate", "response_timeliness_rate", "csat_responses", "csat_mean", "csat_share", "rank"])
    .where("rank", "<=", TOP_AGENTS)
    .orderBy("period_type")
    .orderBy("period_start")
    .orderBy("rank")
    .orderBy("agent_id")
    .execute();
  const shipped = new Map<string, number>();
  const leaderboard = ranked.filter((r) => {
    const key = `${r.period_type}:${r.period_start}`;
    const n = (shipped.get(key) ?? 0) + 1;
    shipped.set(key, n);
    return n <= TOP_AGENTS;
  });
  const summary = await recent
    .select((eb) => [
      "period_type",
      "period_start",
      eb.fn.countAll<number>().as("agents"),
      eb.fn.sum<number>("tickets").as("tickets"),
      eb.fn.sum<number>("praise_count").as("praise"),
      eb.fn.sum<number>("resolved").as("resolved"),
      eb.fn.countAll<number>().filterWhere("praise_count", ">", 0).as("praised_agents"),
      eb.fn<number>("median", ["tickets"]).as("median_tickets"),
      eb.fn<number>("median", ["praise_count"]).as("median_praise"),
      eb.fn.max<number>("praise_count").as("max_praise"),
      eb.fn.sum<number>("csat_responses").as("csat_responses"),
    ])
    .groupBy(["period_type", "period_start"])
    .orderBy("period_type")
    .orderBy("period_start")
    .execute();
  // Agents per praise count: one row per distinct count (a handful), binned below to ≤ PRAISE_BINS.
  const praiseCounts = await recent
    .select((eb) => ["period_type", "period_start", "praise_count", eb.fn.countAll<number>().as("agents")])
    .groupBy(["period_type", "period_start", "praise_count"])
    .execute();
  const praiseBins = summary.flatMap((s) => {
    const width = Math.max(1, Math.ceil((s.max_praise + 1) / PRAISE_BINS));
    const bins = Array.from({ length: Math.ceil((s.max_praise + 1) / width) }, (_, i) => ({
      period_type: s.period_type, period_start: s.period_start, praise_from: i * width, praise_to: (i + 1) * width - 1, agents: 0,
    }));
    for (const c of praiseCounts) if (c.period_type === s.period_type && c.period_start === s.period_start) bins[Math.floor(c.praise_count / width)].agents += c.agents;
    return bins;
  });
  return {
    rates: toColumns(rounded(rates)),
    funnel: rounded(funnel),
    topAgents: TOP_AGENTS,
    leaderboard: toColumns(rounded(leaderboard)),
    agentSummary: rounded(summary.map((s) => ({ ...s, resolution_rate: s.tickets ? s.resolved / s.tickets : null }))),
    praiseBins: toColumns(praiseBins),
  };
});
