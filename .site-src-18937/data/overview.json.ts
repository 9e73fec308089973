// Page data for the Overview: the KPI scorecard (each KPI at its review period: month or quarter, from
// kpi_scorecard) and, for KPIs measured by segment, the weakest segment of the latest period — the "why".
import { rows, rounded, runLoader, selectFrom, toColumns } from "../lib/loader.ts";

/** Where each KPI's segment split lives: mart, value column, and whether lower is better. */
const DRIVERS: Record<string, { mart: string; value: string; n: string; lowerIsBetter?: boolean }> = {
  nps: { mart: "nps_by_segment", value: "nps", n: "responses" },
  csat_share: { mart: "csat_by_segment", value: "csat_share", n: "responses" },
  csat_mean: { mart: "csat_by_segment", value: "csat_mean", n: "responses" },
  negative_feedback_rate: { mart: "negative_feedback", value: "negative_rate", n: "responses", lowerIsBetter: true },
  response_timeliness_rate: { mart: "service_rates", value: "response_timeliness_rate", n: "tickets" },
  complaint_resolution_rate: { mart: "service_rates", value: "complaint_resolution_rate", n: "complaints" },
  resolved_within_3_contacts: { mart: "service_rates", value: "resolved_within_contacts_rate", n: "resolved" },
  median_first_response_minutes: { mart: "service_rates", value: "median_first_response_minutes", n: "tickets", lowerIsBetter: true },
};

/** Segments with fewer answers than this are too noisy to name as the reason. */
const MIN_SEGMENT_N = 30;

await runLoader("overview", async (db) => {
  const scorecard = await selectFrom(
    db,
    "kpi_scorecard",
    ["kpi", "label", "period_type", "period_start", "is_partial_period", "actual", "ci_low", "ci_high", "n", "target", "direction", "unit", "previous", "change", "status", "source_mart", "as_of_date"],
    "where is_review_period order by kpi, period_start",
  );
  // Latest complete review period per KPI: the period the headline reports.
  const latest = new Map<string, Record<string, unknown>>();
  for (const r of scorecard) if (!r.is_partial_period && r.status !== "missing") latest.set(String(r.kpi), r);
  const drivers: Record<string, unknown>[] = [];
  for (const [kpi, d] of Object.entries(DRIVERS)) {
    const row = latest.get(kpi);
    if (!row) continue;
    const worst = await rows(
      db,
      `select dimension, segment, "${d.value}" as value, "${d.n}" as n from ${d.mart}
       where period_type = ? and period_start = ? and dimension <> 'all' and "${d.value}" is not null and "${d.n}" >= ?
       order by "${d.value}" ${d.lowerIsBetter ? "desc" : "asc"}, segment limit 1`,
      [row.period_type, row.period_start, MIN_SEGMENT_N],
    );
    if (worst[0]) drivers.push({ kpi, period_start: row.period_start, ...worst[0] });
  }
  return { scorecard: toColumns(scorecard), drivers: rounded(drivers), minSegmentN: MIN_SEGMENT_N };
});
