// Page data for Customer value: CLV distribution and by segment (binned here: no customer rows ship),
// RFM segment map, value tiers and lifecycle stages, high-value revenue share, profile completeness,
// and the CLV model check (the clv_calibration_holdout mart).
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Kysely } from "kysely";
import type { Database } from "../../lib/warehouse/schema.ts";
import { hasTable, rounded, rows, runLoader } from "../lib/loader.ts";

/** Upper bounds (¥, exclusive) of the CLV histogram's bins, on a log-like scale so the long tail stays readable. */
const CLV_BIN_TOPS = [100, 300, 1000, 3000, 10000, 30000];
const CLV_BANDS = ["< ¥100", "¥100–300", "¥300–1,000", "¥1,000–3,000", "¥3,000–1万", "¥1万–3万", "≥ ¥3万"];

/**
 * The calibration/holdout check of the BG/NBD model (Fader, Hardie & Lee 2005), fitted at build time into
 * clv_calibration_holdout. A check that could not be fitted (too little history) is reported on the page.
 */
async function clvHoldoutCheck(k: Kysely<Database>): Promise<Record<string, unknown>> {
  const buckets = await k
    .selectFrom("clv_calibration_holdout")
    .select([
      "frequency", "customers", "actual_repeat_transactions as actual", "predicted_repeat_transactions as predicted", "actual_mean", "predicted_mean",
      "segment", "calibration_end", "holdout_end", "n_customers", "converged", "holdout_weeks", "warnings",
    ])
    .orderBy("frequency_bucket")
    .execute();
  const check = buckets[0];
  if (!check) return { error: "too little purchase history before the holdout to fit the model (clv_calibration_holdout is empty; `lens build` says why)" };
  const actual = buckets.reduce((s, b) => s + b.actual, 0);
  const predicted = buckets.reduce((s, b) => s + b.predicted, 0);
  return {
    segment: check.segment,
    calibration_end: check.calibration_end,
    holdout_end: check.holdout_end,
    customers: check.n_customers,
    converged: check.converged,
    weeks: check.holdout_weeks,
    actual_total: actual,
    predicted_total: predicted,
    relative_error: actual > 0 ? (predicted - actual) / actual : null,
    by_frequency: rounded(buckets.map(({ frequency, customers, actual, predicted, actual_mean, predicted_mean }) => ({ frequency, customers, actual, predicted, actual_mean, predicted_mean }))),
    warnings: check.warnings ? check.warnings.split("; ") : [],
  };
}

/** Parameters of the CLV fits: clv_model_parameters is a side table of int_customer_clv_predicted, not a model, so it has no generated type. */
async function clvParameters(db: DuckDBConnection): Promise<Record<string, unknown>[]> {
  if (!(await hasTable(db, "clv_model_parameters"))) throw new Error("the warehouse has no clv_model_parameters; run `lens build` so int_customer_clv_predicted writes it");
  return rounded(await rows(db, "select segment, model, parameter, estimate, std_error, n_customers, converged, calibration_end from clv_model_parameters order by segment, model, parameter"));
}

await runLoader("value", async (k, db) => {
  const binned = k.selectFrom("customer_ltv").select((eb) => {
    let bin = eb.case().when("predicted_clv", "<", CLV_BIN_TOPS[0]).then(0);
    for (const [i, top] of CLV_BIN_TOPS.entries()) if (i > 0) bin = bin.when("predicted_clv", "<", top).then(i);
    return ["customer_type", bin.else(CLV_BIN_TOPS.length).end().as("bin")];
  });
  const clvBins = await k
    .selectFrom(binned.where("predicted_clv", "is not", null).as("b"))
    .select((eb) => ["customer_type", "bin", eb.fn.countAll<number>().as("customers")])
    .groupBy(["customer_type", "bin"])
    .orderBy("customer_type")
    .orderBy("bin")
    .execute();
  const bySegment = await k
    .selectFrom("customer_segments as s")
    .innerJoin("customer_ltv as l", "l.customer_id", "s.customer_id")
    .select((eb) => [
      "s.rfm_segment",
      "s.value_tier",
      "s.lifecycle_stage",
      "l.customer_type",
      eb.fn.countAll<number>().as("customers"),
      eb.fn.sum<number | null>("l.net_revenue").as("net_revenue"),
      eb.fn.sum<number | null>("l.predicted_clv").as("predicted_clv"),
      eb.fn.avg<number | null>("l.predicted_clv").as("mean_predicted_clv"),
      eb.fn.avg<number | null>("s.recency_days").as("mean_recency_days"),
      eb.fn.avg<number | null>("s.frequency").as("mean_frequency"),
      eb.fn.avg<number | null>("s.monetary").as("mean_monetary"),
    ])
    .groupBy(["s.rfm_segment", "s.value_tier", "s.lifecycle_stage", "l.customer_type"])
    .orderBy("customers", "desc")
    .orderBy("s.rfm_segment")
    .orderBy("s.value_tier")
    .orderBy("s.lifecycle_stage")
    .orderBy("l.customer_type")
    .execute();
  const rfmGrid = await k
    .selectFrom("customer_segments")
    .select((eb) => ["r_score", "f_score", eb.fn<string>("any_value", ["rfm_segment"]).as("rfm_segment"), eb.fn.countAll<number>().as("customers"), eb.fn.avg<number | null>("monetary").as("mean_monetary")])
    .where("r_score", "is not", null)
    .groupBy(["r_score", "f_score"])
    .orderBy("r_score")
    .orderBy("f_score")
    .execute();
  return {
    clvCheck: await clvHoldoutCheck(k),
    clvParameters: await clvParameters(db),
    clvBins: clvBins.map((r) => ({ customer_type: r.customer_type, bin: r.bin, band: CLV_BANDS[r.bin], customers: r.customers })),
    bySegment: rounded(bySegment),
    rfmGrid: rounded(rfmGrid),
    tiers: rounded(
      await k
        .selectFrom("value_tier_summary")
        .select(["customer_type", "value_tier", "customers", "customer_share", "revenue", "revenue_share"])
        .orderBy("customer_type")
        .orderBy("value_tier")
        .execute(),
    ),
    completeness: rounded(
      await k
        .selectFrom("profile_completeness")
        .select(["customer_type", "customers", "complete_customers", "completeness_rate", "with_contact", "with_city", "with_region"])
        .orderBy("customer_type")
        .execute(),
    ),
  };
});
