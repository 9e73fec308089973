// Page data for the Overview: the KPI scorecard (each KPI at its review period: month or quarter, from
// kpi_scorecard) and, for KPIs measured by segment, the weakest segment of the latest period — the "why".
import type { AliasedSelectQueryBuilder, Kysely } from "kysely";
import type { Database } from "../../lib/warehouse/schema.ts";
import { rounded, runLoader, toColumns } from "../lib/loader.ts";

/** A segment row of a KPI's mart, as the "why" compares them. */
interface SegmentRow {
  period_type: string;
  period_start: string;
  dimension: string;
  segment: string;
  value: number | null;
  n: number | null;
}

/**
 * Where each KPI's segment split lives: the mart's segment rows with its value column as `value` and
 * its sample size as `n` (typed: a renamed mart column fails tsc here), and whether lower is better.
 */
const DRIVERS: Record<string, { segments: (k: Kysely<Database>) => AliasedSelectQueryBuilder<SegmentRow, "s">; lowerIsBetter?: boolean }> = {
  nps: { segments: (k: Kysely<Database>) => k.selectFrom("nps_by_segment").select(["period_type", "period_start", "dimension", "segment", "nps as value", "responses as n"]).as("s") },
  csat_share: { segments: (k: Kysely<Database>) => k.selectFrom("csat_by_segment").select(["period_type", "period_start", "dimension", "segment", "csat_share as value", "responses as n"]).as("s") },
  csat_mean: { segments: (k: Kysely<Database>) => k.selectFrom("csat_by_segment").select(["period_type", "period_start", "dimension", "segment", "csat_mean as value", "responses as n"]).as("s") },
  negative_feedback_rate: {
    segments: (k: Kysely<Database>) => k.selectFrom("negative_feedback").select(["period_type", "period_start", "dimension", "segment", "negative_rate as value", "responses as n"]).as("s"),
    lowerIsBetter: true,
  },
  response_timeliness_rate: {
    segments: (k: Kysely<Database>) => k.selectFrom("service_rates").select(["period_type", "period_start", "dimension", "segment", "response_timeliness_rate as value", "tickets as n"]).as("s"),
  },
  complaint_resolution_rate: {
    segments: (k: Kysely<Database>) => k.selectFrom("service_rates").select(["period_type", "period_start", "dimension", "segment", "complaint_resolution_rate as value", "complaints as n"]).as("s"),
  },
  resolved_within_3_contacts: {
    segments: (k: Kysely<Database>) => k.selectFrom("service_rates").select(["period_type", "period_start", "dimension", "segment", "resolved_within_contacts_rate as value", "resolved as n"]).as("s"),
  },
  median_first_response_minutes: {
    segments: (k: Kysely<Database>) => k.selectFrom("service_rates").select(["period_type", "period_start", "dimension", "segment", "median_first_response_minutes as value", "tickets as n"]).as("s"),
    lowerIsBetter: true,
  },
};

/** Segments with fewer answers than this are too noisy to name as the reason. */
const MIN_SEGMENT_N = 30;

await runLoader("overview", async (k) => {
  const scorecard = rounded(
    await k
      .selectFrom("kpi_scorecard")
      .select(["kpi", "label", "period_type", "period_start", "is_partial_period", "actual", "ci_low", "ci_high", "n", "target", "direction", "unit", "previous", "change", "status", "source_mart", "as_of_date"])
      .where("is_review_period", "=", true)
      .orderBy("kpi")
      .orderBy("period_start")
      .execute(),
  );
  // Latest complete review period per KPI: the period the headline reports.
  const latest = new Map<string, (typeof scorecard)[number]>();
  for (const r of scorecard) if (!r.is_partial_period && r.status !== "missing") latest.set(r.kpi, r);
  const drivers: Record<string, unknown>[] = [];
  for (const [kpi, d] of Object.entries(DRIVERS)) {
    const row = latest.get(kpi);
    if (!row) continue;
    const worst = await k
      .selectFrom(d.segments(k))
      .select(["dimension", "segment", "value", "n"])
      .where("period_type", "=", row.period_type)
      .where("period_start", "=", row.period_start)
      .where("dimension", "<>", "all")
      .where("value", "is not", null)
      .where("n", ">=", MIN_SEGMENT_N)
      .orderBy("value", d.lowerIsBetter ? "desc" : "asc")
      .orderBy("segment")
      .limit(1)
      .executeTakeFirst();
    if (worst) drivers.push({ kpi, period_start: row.period_start, ...worst });
  }
  return { scorecard: toColumns(scorecard), drivers: rounded(drivers), minSegmentN: MIN_SEGMENT_N };
});
