// Page data for Satisfaction: NPS and CSAT monthly with intervals, by segment (month and quarter),
// negative feedback and new-customer CSAT. Aggregates from the satisfaction marts only.
import { runLoader, selectFrom, toColumns } from "../lib/loader.ts";

await runLoader("satisfaction", async (db) => {
  const segmentCols = ["period_type", "period_start", "dimension", "segment", "responses"];
  // Segment splits for the last two years keep the page light whatever the history length.
  const recent = (table: string) => `where period_start >= (select max(period_start) - interval 23 month from ${table}) order by period_start, dimension, segment`;
  return {
    npsMonthly: await selectFrom(db, "nps_monthly", ["month", "responses", "nps", "ci_low", "ci_high", "change_vs_prev", "change_vs_last_year"], "order by month"),
    csatMonthly: await selectFrom(db, "csat_monthly", ["month", "responses", "csat_share", "share_ci_low", "share_ci_high", "csat_mean", "mean_ci_low", "mean_ci_high"], "order by month"),
    npsBySegment: toColumns(await selectFrom(db, "nps_by_segment", [...segmentCols, "nps", "ci_low", "ci_high", "change_vs_prev"], recent("nps_by_segment"))),
    csatBySegment: toColumns(await selectFrom(db, "csat_by_segment", [...segmentCols, "csat_share", "share_ci_low", "share_ci_high", "csat_mean"], recent("csat_by_segment"))),
    negative: await selectFrom(db, "negative_feedback", [...segmentCols, "negative_rate", "ci_low", "ci_high"], "where dimension = 'all' order by period_start"),
    // Terms from free text: only those in ≥ 2 comments, so a one-off word (a name, say) never ships.
    themes: await selectFrom(
      db,
      "verbatim_themes",
      ["period_start", "kind", "term", "language", "comments", "share_of_negative_comments", "negative_comments", "rank", "change"],
      "where period_type = 'quarter' and comments >= 2 and rank <= 10 order by period_start, kind, rank, term",
    ),
    newCustomerCsat: await selectFrom(db, "new_customer_csat", ["period_type", "period_start", "responses", "csat_share", "ci_low", "ci_high"], "order by period_start"),
  };
});
