// Page data for Satisfaction: NPS and CSAT monthly with intervals, by segment (month and quarter),
// negative feedback and new-customer CSAT. Aggregates from the satisfaction marts only.
import { monthsBefore, rounded, runLoader, toColumns } from "../lib/loader.ts";

/** Segment splits for the last two years keep the page light whatever the history length. */
const SEGMENT_MONTHS = 23;
/** Verbatim themes for the last eight quarters (start of the oldest quarter shipped = latest − 21 months). */
const THEME_MONTHS = 21;

await runLoader("satisfaction", async (k) => {
  const segmentCols = ["period_type", "period_start", "dimension", "segment", "responses"] as const;
  return {
    npsMonthly: rounded(
      await k.selectFrom("nps_monthly").select(["month", "responses", "nps", "ci_low", "ci_high", "change_vs_prev", "change_vs_last_year"]).orderBy("month").execute(),
    ),
    csatMonthly: rounded(
      await k
        .selectFrom("csat_monthly")
        .select(["month", "responses", "csat_share", "share_ci_low", "share_ci_high", "csat_mean", "mean_ci_low", "mean_ci_high"])
        .orderBy("month")
        .execute(),
    ),
    npsBySegment: toColumns(
      rounded(
        await k
          .selectFrom("nps_by_segment")
          .select([...segmentCols, "nps", "ci_low", "ci_high", "change_vs_prev"])
          .where("period_start", ">=", (eb) => eb.selectFrom("nps_by_segment").select((eb) => monthsBefore(eb.fn.max("period_start"), SEGMENT_MONTHS).as("since")))
          .orderBy("period_start").orderBy("dimension").orderBy("segment")
          .execute(),
      ),
    ),
    csatBySegment: toColumns(
      rounded(
        await k
          .selectFrom("csat_by_segment")
          .select([...segmentCols, "csat_share", "share_ci_low", "share_ci_high", "csat_mean"])
          .where("period_start", ">=", (eb) => eb.selectFrom("csat_by_segment").select((eb) => monthsBefore(eb.fn.max("period_start"), SEGMENT_MONTHS).as("since")))
          .orderBy("period_start").orderBy("dimension").orderBy("segment")
          .execute(),
      ),
    ),
    negative: rounded(
      await k.selectFrom("negative_feedback").select([...segmentCols, "negative_rate", "ci_low", "ci_high"]).where("dimension", "=", "all").orderBy("period_start").execute(),
    ),
    // Terms from free text: only those in ≥ 2 comments, so a one-off word (a name, say) never ships.
    themes: rounded(
      await k
        .selectFrom("verbatim_themes")
        .select(["period_start", "kind", "term", "language", "comments", "share_of_negative_comments", "negative_comments", "rank", "change"])
        .where("period_type", "=", "quarter")
        .where("period_start", ">=", (eb) =>
          eb.selectFrom("verbatim_themes").select((eb) => monthsBefore(eb.fn.max("period_start"), THEME_MONTHS).as("since")).where("period_type", "=", "quarter"),
        )
        .where("comments", ">=", 2)
        .where("rank", "<=", 10)
        .orderBy("period_start").orderBy("kind").orderBy("rank").orderBy("term")
        .execute(),
    ),
    newCustomerCsat: rounded(
      await k.selectFrom("new_customer_csat").select(["period_type", "period_start", "responses", "csat_share", "ci_low", "ci_high"]).orderBy("period_start").execute(),
    ),
  };
});
