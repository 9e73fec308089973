// Page data for Retention and churn: cohort retention (one filter dimension at a time), churn rate,
// Kaplan–Meier survival, win-back, repurchase and renewal rates, and the early-warning list by
// pseudonymous customer id (no contact details: the advisors' call list is `lens export call-list`).
import { rows, rounded, runLoader, selectFrom, toColumns } from "../lib/loader.ts";

/** The early-warning table on the page shows the customers with the most value at risk. */
const WARNING_ROWS = 100;

await runLoader("retention", async (db) => {
  // retention_cohorts is a CUBE over type × channel × tier; the page filters one dimension at a time,
  // for the last 24 cohorts. Nested as {slice: {cohort: [cohort_customers, active month 0, 1, …]}} to stay small.
  const cube = await selectFrom(
    db,
    "retention_cohorts",
    ["cohort_month", "months_since_first", "customer_type", "acquisition_channel", "tier", "cohort_customers", "active_customers"],
    `where (customer_type <> 'all')::int + (acquisition_channel <> 'all')::int + (tier <> 'all')::int <= 1
       and cohort_month >= (select max(cohort_month) - interval 23 month from retention_cohorts)
     order by cohort_month, months_since_first`,
  );
  const cohorts: Record<string, Record<string, number[]>> = {};
  for (const r of cube) {
    const slice = r.customer_type !== "all" ? `customer_type:${r.customer_type}` : r.acquisition_channel !== "all" ? `acquisition_channel:${r.acquisition_channel}` : r.tier !== "all" ? `tier:${r.tier}` : "all";
    const month = String(r.cohort_month).slice(0, 7);
    const entry = ((cohorts[slice] ??= {})[month] ??= [Number(r.cohort_customers)]);
    entry[Number(r.months_since_first) + 1] = Number(r.active_customers);
  }
  // Cumulative churn by acquisition cohort (all customers), same nesting: {cohort: [size, rate month 0, 1, …]}.
  const churnCube = await selectFrom(
    db,
    "churn_cohorts",
    ["cohort_month", "months_since_first", "cohort_customers", "cumulative_churn_rate"],
    `where customer_type = 'all' and cohort_month >= (select max(cohort_month) - interval 23 month from churn_cohorts)
     order by cohort_month, months_since_first`,
  );
  const churnCohorts: Record<string, number[]> = {};
  for (const r of churnCube) {
    const entry = (churnCohorts[String(r.cohort_month).slice(0, 7)] ??= [Number(r.cohort_customers)]);
    entry[Number(r.months_since_first) + 1] = Number(r.cumulative_churn_rate);
  }
  const warning = await selectFrom(
    db,
    "churn_early_warning",
    ["customer_id", "customer_type", "value_tier", "lifecycle_stage", "reasons", "days_since_last_activity", "open_complaints", "negative_responses", "p_alive", "value_at_risk", "risk_rank", "hours_since_warning", "advisor_overdue"],
    "order by risk_rank limit ?",
    [WARNING_ROWS],
  );
  const warningSummary = rounded(
    await rows(
      db,
      `select count(*) as customers, sum(value_at_risk) as value_at_risk, count(*) filter (where advisor_overdue) as overdue,
         count(*) filter (where reason_inactive) as inactive, count(*) filter (where reason_unresolved_complaint) as unresolved_complaint,
         count(*) filter (where reason_negative_feedback) as negative_feedback, count(*) filter (where reason_low_p_alive) as low_p_alive
       from churn_early_warning`,
    ),
  )[0];
  return {
    cohorts,
    churnCohorts,
    churn: await selectFrom(db, "churn_monthly", ["month_start", "customer_type", "active_at_start", "churned_customers", "churn_rate", "new_customers", "reactivated_customers", "is_complete"], "order by month_start, customer_type"),
    survival: toColumns(
      await selectFrom(db, "churn_survival", ["segment_kind", "segment", "months_since_first", "at_risk", "survival", "survival_ci_low", "survival_ci_high"], "where segment_kind in ('all', 'customer_type') order by segment_kind, segment, months_since_first"),
    ),
    winback: await selectFrom(db, "winback", ["churn_month", "customer_type", "churned_customers", "window_closed_customers", "won_back_customers", "winback_rate"], "order by churn_month, customer_type"),
    repurchase: await selectFrom(db, "repurchase_rate", ["month_start", "tier", "buyers", "repeat_buyers", "repurchase_rate", "is_complete"], "order by month_start, tier"),
    renewal: await selectFrom(db, "renewal_rate", ["due_month", "contracts_due", "contracts_renewed", "renewal_rate", "due_annual_value", "value_renewal_rate", "is_complete"], "order by due_month"),
    warning: toColumns(warning),
    warningSummary,
    warningRowsShown: WARNING_ROWS,
  };
});
