// Predicted customer lifetime value (BG/NBD + Gamma-Gamma, fitted by maximum likelihood at every build).
// grain: one row per customer with at least one purchase day up to the as-of date; key: customer_id
// formula: x = frequency (repeat purchase days), t_x = recency_weeks, T = age_weeks (days / 7, from the first purchase day);
//          p_alive = P(alive | x, t_x, T); predicted_purchases = E[purchase days in the next clv_horizon_months];
//          predicted_avg_spend = Gamma-Gamma E[spend per purchase | x, avg_repeat_value];
//          predicted_clv = clv_margin × predicted_avg_spend × Σ_k (purchases in month k) × (1 + clv_annual_discount_rate)^(−k/12).
//          Fits per customer type (ToC, ToB) with ≥ 50 repeat customers, else a pooled fit ('all'): model_segment says which.
//          Parameters are written to clv_model_parameters (one row per segment, model and parameter, with standard errors).
// window: all purchases up to int_as_of.as_of_date (or the latest order_date when int_as_of is absent).
import { existsSync } from "node:fs";
import type { TsModel } from "../../lib/models/ts-model.ts";

// int_as_of is optional: depend on it only when the project has that model, so the build order is right either way.
const hasAsOf = ["sql", "ts"].some((ext) => existsSync(new URL(`./int_as_of.${ext}`, import.meta.url)));

export default {
  // stg_customers gives each customer's type, so consumers and business accounts are fitted separately.
  dependsOn: ["int_customer_purchase_days", "stg_customers", "config_metrics", ...(hasAsOf ? ["int_as_of"] : [])],
  description:
    "Predicted CLV per customer (BG/NBD purchases, Gamma-Gamma spend, P(alive), discounted margin over clv_horizon_months), fitted per customer type; grain: customer; key: customer_id.",
  async build(db, { name, model, config }) {
    // Imported here, not above: every lens command reads this file for dependsOn, few of them build it.
    const { buildClvPredictions, clvSettings } = await import("../../lib/clv/build-predictions.ts");
    const summary = await buildClvPredictions(db, await clvSettings(db, config.metrics), name);
    for (const warning of summary.warnings) process.stderr.write(`${model}: ${warning}\n`);
  },
} satisfies TsModel;
