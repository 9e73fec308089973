// Page data for Satisfaction: NPS and CSAT monthly with intervals, by segment (month and quarter),
// negative feedback and new-customer CSAT. Aggregates from the satisfaction marts only.
import { runLoader, selectFrom, toColumns } from "../lib/loader.ts";

await runLoader("satisfaction", async (db) => {
  const segmentCols = ["period_type", "period_start", "dimension", "segment", "responses"];
  return {
    npsMonthly: await selectFrom(db, "nps_monthly", ["month", "responses", "nps", "ci_low", "ci_high", "change_vs_prev", "change_vs_last_year"], "order by month"),
    csatMonthly: await selectFrom(db, "csat_monthly", ["month", "responses", "csat_share", "share_ci_low", "share_ci_high", "csat_mean", "mean_ci_low", "mean_ci_high"], "order by month"),
    npsBySegment: toColumns(await selectFrom(db, "nps_by_segment", [...segmentCols, "nps", "ci_low", "ci_high", "change_vs_prev"], "order by period_start, dimension, segment")),
    csatBySegment: toColumns(await selectFrom(db, "csat_by_segment", [...segmentCols, "csat_share", "share_ci_low", "share_ci_high", "csat_mean"], "order by period_start, dimension, segment")),
    negative: await selectFrom(db, "negative_feedback", [...segmentCols, "negative_rate", "ci_low", "ci_high"], "where dimension = 'all' order by period_start"),
    newCustomerCsat: await selectFrom(db, "new_customer_csat", ["period_type", "period_start", "responses", "csat_share", "ci_low", "ci_high"], "order by period_start"),
  };
});
