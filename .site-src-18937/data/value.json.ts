// Page data for Customer value: CLV distribution and by segment (binned here: no customer rows ship),
// RFM segment map, value tiers and lifecycle stages, high-value revenue share, profile completeness.
import type { DuckDBConnection } from "@duckdb/node-api";
import { fitClv } from "../../lib/clv/fit.ts";
import { rows, rounded, runLoader, selectFrom } from "../lib/loader.ts";

/** Length of the holdout period of the CLV model check, ending on the as-of date. */
const HOLDOUT_DAYS = 182;

/**
 * The calibration/holdout check of the BG/NBD model (Fader, Hardie & Lee 2005, fig. 3): fit on purchases
 * up to as-of − 26 weeks, compare predicted and actual repeat purchases in the last 26 weeks by
 * calibration frequency. Consumers (ToC) when they can be fitted, else all customers pooled. A check
 * that cannot be fitted (too little history) is reported on the page, not a build failure.
 */
async function clvHoldoutCheck(db: DuckDBConnection): Promise<Record<string, unknown>> {
  const [asOf] = await rows<{ d: string }>(db, "select strftime(as_of_date, '%Y-%m-%d') as d from int_as_of");
  if (!asOf?.d) return { error: "int_as_of has no as-of date" };
  const end = new Date(`${asOf.d}T00:00:00Z`);
  const calibrationEnd = new Date(end.getTime() - HOLDOUT_DAYS * 86_400_000).toISOString().slice(0, 10);
  const errors: string[] = [];
  for (const segment of ["ToC", "all"] as const) {
    try {
      const report = await fitClv(db, { calibrationEnd, holdoutEnd: asOf.d, segment });
      if (!report.holdout) throw new Error("no holdout comparison");
      return {
        segment,
        calibration_end: calibrationEnd,
        holdout_end: asOf.d,
        customers: report.customers,
        converged: report.bgnbd.converged,
        weeks: report.holdout.weeks,
        actual_total: report.holdout.actual_total,
        predicted_total: report.holdout.predicted_total,
        relative_error: report.holdout.relative_error,
        by_frequency: rounded(report.holdout.by_frequency as unknown as Record<string, unknown>[]),
        warnings: report.warnings,
      };
    } catch (error) {
      errors.push(`${segment}: ${(error as Error).message}`);
    }
  }
  return { error: errors.join("; ") };
}

await runLoader("value", async (db) => {
  // CLV histogram on a log-like ¥ scale, so the long tail stays readable.
  const clvBins = rounded(
    await rows(
      db,
      `with bins as (
         select customer_type,
           case when predicted_clv < 100 then 0 when predicted_clv < 300 then 1 when predicted_clv < 1000 then 2
                when predicted_clv < 3000 then 3 when predicted_clv < 10000 then 4 when predicted_clv < 30000 then 5 else 6 end as bin
         from customer_ltv where predicted_clv is not null
       )
       select customer_type, bin, (['< ¥100', '¥100–300', '¥300–1,000', '¥1,000–3,000', '¥3,000–1万', '¥1万–3万', '≥ ¥3万'])[bin + 1] as band, count(*) as customers
       from bins group by all order by customer_type, bin`,
    ),
  );
  const bySegment = rounded(
    await rows(
      db,
      `select s.rfm_segment, s.value_tier, s.lifecycle_stage, l.customer_type, count(*) as customers,
         sum(l.net_revenue) as net_revenue, sum(l.predicted_clv) as predicted_clv, avg(l.predicted_clv) as mean_predicted_clv,
         avg(s.recency_days) as mean_recency_days, avg(s.frequency) as mean_frequency, avg(s.monetary) as mean_monetary
       from customer_segments s join customer_ltv l using (customer_id)
       group by all order by customers desc`,
    ),
  );
  const rfmGrid = rounded(
    await rows(db, `select r_score, f_score, any_value(rfm_segment) as rfm_segment, count(*) as customers, avg(monetary) as mean_monetary from customer_segments where r_score is not null group by all order by r_score, f_score`),
  );
  return {
    clvCheck: await clvHoldoutCheck(db),
    clvParameters: await selectFrom(db, "clv_model_parameters", ["segment", "model", "parameter", "estimate", "std_error", "n_customers", "converged", "calibration_end"], "order by segment, model, parameter"),
    clvBins,
    bySegment,
    rfmGrid,
    tiers: await selectFrom(db, "value_tier_summary", ["customer_type", "value_tier", "customers", "customer_share", "revenue", "revenue_share"], "order by customer_type, value_tier"),
    completeness: await selectFrom(db, "profile_completeness", ["customer_type", "customers", "complete_customers", "completeness_rate", "with_contact", "with_city", "with_region"], "order by customer_type"),
  };
});
