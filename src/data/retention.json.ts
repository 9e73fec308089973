// Page data for Retention and churn: cohort retention (one filter dimension at a time), churn rate,
// Kaplan–Meier survival, win-back, repurchase and renewal rates, and the early-warning list by
// pseudonymous customer id (no contact details: the advisors' call list is `lens export call-list`).
import { monthsBefore, rounded, runLoader, toColumns } from "../lib/loader.ts";

/** The early-warning table on the page shows the customers with the most value at risk. */
const WARNING_ROWS = 100;

/** Cohort charts show the last 24 acquisition months. */
const COHORT_MONTHS = 23;

await runLoader("retention", async (k) => {
  // retention_cohorts is a CUBE over type × channel × tier; the page filters one dimension at a time,
  // for the last 24 cohorts. Nested as {slice: {cohort: [cohort_customers, active month 0, 1, …]}} to stay small.
  const cube = rounded(
    await k
      .selectFrom("retention_cohorts")
      .select(["cohort_month", "months_since_first", "customer_type", "acquisition_channel", "tier", "cohort_customers", "active_customers"])
      .where((eb) =>
        eb.or([
          eb.and([eb("customer_type", "=", "all"), eb("acquisition_channel", "=", "all")]),
          eb.and([eb("customer_type", "=", "all"), eb("tier", "=", "all")]),
          eb.and([eb("acquisition_channel", "=", "all"), eb("tier", "=", "all")]),
        ]),
      )
      .where("cohort_month", ">=", (eb) => eb.selectFrom("retention_cohorts").select((eb) => monthsBefore(eb.fn.max("cohort_month"), COHORT_MONTHS).as("since")))
      .orderBy("cohort_month")
      .orderBy("months_since_first")
      .execute(),
  );
  const cohorts: Record<string, Record<string, number[]>> = {};
  for (const r of cube) {
    const slice = r.customer_type !== "all" ? `customer_type:${r.customer_type}` : r.acquisition_channel !== "all" ? `acquisition_channel:${r.acquisition_channel}` : r.tier !== "all" ? `tier:${r.tier}` : "all";
    const month = String(r.cohort_month).slice(0, 7);
    const entry = ((cohorts[slice] ??= {})[month] ??= [Number(r.cohort_customers)]);
    entry[Number(r.months_since_first) + 1] = Number(r.active_customers);
  }
  // Cumulative churn by acquisition cohort (all customers), same nesting: {cohort: [size, rate month 0, 1, …]}.
  const churnCube = rounded(
    await k
      .selectFrom("churn_cohorts")
      .select(["cohort_month", "months_since_first", "cohort_customers", "cumulative_churn_rate"])
      .where("customer_type", "=", "all")
      .where("cohort_month", ">=", (eb) => eb.selectFrom("churn_cohorts").select((eb) => monthsBefore(eb.fn.max("cohort_month"), COHORT_MONTHS).as("since")))
      .orderBy("cohort_month")
      .orderBy("months_since_first")
      .execute(),
  );
  const churnCohorts: Record<string, number[]> = {};
  for (const r of churnCube) {
    const entry = (churnCohorts[String(r.cohort_month).slice(0, 7)] ??= [Number(r.cohort_customers)]);
    entry[Number(r.months_since_first) + 1] = Number(r.cumulative_churn_rate);
  }
  const warning = await k
    .selectFrom("churn_early_warning")
    .select([
      "customer_id", "customer_type", "value_tier", "lifecycle_stage", "reasons", "days_since_last_activity", "open_complaints",
      "negative_responses", "p_alive", "value_at_risk", "risk_rank", "hours_since_warning", "advisor_overdue",
    ])
    .orderBy("risk_rank")
    .limit(WARNING_ROWS)
    .execute();
  const warningSummary = rounded(
    await k
        .selectFrom("churn_early_warning")
        .select((eb) => [
          eb.fn.countAll<number>().as("customers"),
          eb.fn.sum<number | null>("value_at_risk").as("value_at_risk"),
          eb.fn.countAll<number>().filterWhere("advisor_overdue", "=", true).as("overdue"),
          eb.fn.countAll<number>().filterWhere("reason_inactive", "=", true).as("inactive"),
          eb.fn.countAll<number>().filterWhere("reason_unresolved_complaint", "=", true).as("unresolved_complaint"),
          eb.fn.countAll<number>().filterWhere("reason_negative_feedback", "=", true).as("negative_feedback"),
          eb.fn.countAll<number>().filterWhere("reason_low_p_alive", "=", true).as("low_p_alive"),
        ])
        .execute(),
    )[0];
    return {
      cohorts,
      churnCohorts,
      churn: rounded(
      await k
          .selectFrom("churn_monthly")
          .select(["month_start", "customer_type", "active_at_start", "churned_customers", "churn_rate", "new_customers", "reactivated_customers", "is_complete"])
          .orderBy("month_start")
          .orderBy("customer_type")
          .execute(),
      ),
      survival: toColumns(
        rounded(
        await k
            .selectFrom("churn_survival")
            .select(["segment_kind", "segment", "months_since_first", "at_risk", "survival", "survival_ci_low", "survival_ci_high"])
            .where("segment_kind", "in", ["all", "customer_type"])
            .orderBy("segment_kind")
            .orderBy("segment")
            .orderBy("months_since_first")
            .execute(),
        ),
      ),
      winback: rounded(
      await k
          .selectFrom("winback")
          .select(["churn_month", "customer_type", "churned_customers", "window_closed_customers", "won_back_customers", "winback_rate"])
          .orderBy("churn_month")
          .orderBy("customer_type")
          .execute(),
      ),
      repurchase: rounded(
        await k.selectFrom("repurchase_rate").select(["month_start", "tier", "buyers", "repeat_buyers", "repurchase_rate", "is_complete"]).orderBy("month_start").orderBy("tier").execute(),
      ),
      renewal: rounded(
      await k
          .selectFrom("renewal_rate")
          .select(["due_month", "contracts_due", "contracts_renewed", "renewal_rate", "due_annual_value", "value_renewal_rate", "is_complete"])
          .orderBy("due_month")
          .execute(),
      ),
      warning: toColumns(rounded(warning)),
      warningSummary,
      warningRowsShown: WARNING_ROWS,
    };
  });
  