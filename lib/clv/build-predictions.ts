import type { DuckDBConnection } from "@duckdb/node-api";
import type { MetricsConfig } from "../config/lens-config.ts";
import { queryOne, queryRows } from "../warehouse/query.ts";
import { fitBgNbd, fitGammaGamma, type BgNbdFit, type GammaGammaFit } from "./fit-models.ts";
import { predictGroups } from "./predict.ts";
import { CUSTOMER_STATISTICS_SQL, toRfmGroups, type RfmGroupRow } from "./summary-statistics.ts";
import { spendGroups } from "./gamma-gamma.ts";

/** CLV settings the predictions use (from config_metrics). */
export type ClvSettings = Pick<MetricsConfig, "clv_horizon_months" | "clv_margin" | "clv_annual_discount_rate">;

/** What a build did, for logs and tests. */
export interface ClvBuildSummary {
  asOf: string | null;
  customers: number;
  groups: number;
  bgnbd: BgNbdFit | null;
  gammaGamma: GammaGammaFit | null;
  warnings: string[];
  milliseconds: number;
}

const STATS = "_clv_customer_statistics";
const PREDICTIONS = "_clv_group_predictions";

async function tableExists(db: DuckDBConnection, name: string): Promise<boolean> {
  const row = await queryOne(
    db,
    "select 1 as found from information_schema.tables where table_catalog = current_database() and table_schema = 'main' and table_name = $name",
    { name },
  );
  return row !== undefined;
}

/**
 * The as-of date: int_as_of.as_of_date when that table exists and is not null, else the latest
 * order_date in stg_orders; null when there are no orders.
 */
export async function clvAsOfDate(db: DuckDBConnection): Promise<string | null> {
  if (await tableExists(db, "int_as_of")) {
    const row = await queryOne<{ d: string | null }>(db, "select cast(max(as_of_date) as varchar) as d from int_as_of");
    if (row?.d) return row.d;
  }
  const row = await queryOne<{ d: string | null }>(db, "select cast(max(order_date) as varchar) as d from stg_orders");
  return row?.d ?? null;
}

/** CLV settings from config_metrics, falling back to the given defaults when the table is absent. */
export async function clvSettings(db: DuckDBConnection, fallback: ClvSettings): Promise<ClvSettings> {
  if (!(await tableExists(db, "config_metrics"))) return fallback;
  const row = await queryOne<ClvSettings>(db, "select clv_horizon_months, clv_margin, clv_annual_discount_rate from config_metrics");
  return row ? { clv_horizon_months: Number(row.clv_horizon_months), clv_margin: Number(row.clv_margin), clv_annual_discount_rate: Number(row.clv_annual_discount_rate) } : fallback;
}

/**
 * Fit BG/NBD and Gamma-Gamma on every purchase up to the as-of date and write
 * `int_customer_clv_predicted` (one row per customer with a purchase) and `clv_model_parameters`
 * (one row per model parameter). Predictions are computed once per distinct (x, t_x, T) in TypeScript,
 * appended to a temporary table, and joined back to the customers in SQL.
 */
export async function buildClvPredictions(db: DuckDBConnection, settings: ClvSettings, table = "int_customer_clv_predicted"): Promise<ClvBuildSummary> {
  const started = performance.now();
  const warnings: string[] = [];
  const asOf = await clvAsOfDate(db);
  await db.run(`create or replace temp table ${STATS} as ${CUSTOMER_STATISTICS_SQL}`, { calibration_end: asOf ?? "1970-01-01" });
  const rows = await queryRows<RfmGroupRow>(
    db,
    `select frequency, recency_days, age_days, count(*) as customers from ${STATS} group by all order by all`,
  );
  const customers = rows.reduce((s, r) => s + r.customers, 0);

  let bgnbd: BgNbdFit | null = null;
  let gammaGamma: GammaGammaFit | null = null;
  if (customers > 0) {
    try {
      bgnbd = fitBgNbd(toRfmGroups(rows));
      if (!bgnbd.converged) warnings.push(`BG/NBD did not converge cleanly (gradient ${bgnbd.gradientNorm.toExponential(2)})`);
    } catch (error) {
      warnings.push((error as Error).message);
    }
    try {
      const spend = await queryRows<{ frequency: number; avg_repeat_value: number; customers: number }>(
        db,
        `select frequency, avg_repeat_value, count(*) as customers from ${STATS} where frequency > 0 group by all order by all`,
      );
      gammaGamma = fitGammaGamma(spendGroups(spend.map((r) => ({ x: r.frequency, m: r.avg_repeat_value, n: r.customers }))));
      if (!(gammaGamma.params.q > 1)) warnings.push(`Gamma-Gamma q = ${gammaGamma.params.q.toFixed(3)} ≤ 1: expected spend is infinite, left null`);
    } catch (error) {
      warnings.push((error as Error).message);
    }
  }

  await db.run(
    `create or replace temp table ${PREDICTIONS} (frequency bigint, recency_days bigint, age_days bigint, p_alive double, predicted_purchases double, discounted_purchases double)`,
  );
  if (bgnbd) {
    const predictions = predictGroups(bgnbd.params, rows, settings.clv_horizon_months, settings.clv_annual_discount_rate);
    const appender = await db.createAppender(PREDICTIONS, "main", "temp");
    for (const p of predictions) {
      appender.appendBigInt(BigInt(p.frequency));
      appender.appendBigInt(BigInt(p.recency_days));
      appender.appendBigInt(BigInt(p.age_days));
      appender.appendDouble(p.p_alive);
      appender.appendDouble(p.predicted_purchases);
      appender.appendDouble(p.discounted_purchases);
      appender.endRow();
    }
    appender.closeSync();
  }

  const spendOk = gammaGamma !== null && gammaGamma.params.q > 1;
  await db.run(
    `create or replace table "${table}" as
     with stats as (
       select * from ${STATS}
     ),

     predictions as (
       select * from ${PREDICTIONS}
     ),

     joined as (
       select
         stats.customer_id,
         stats.frequency,
         stats.recency_days,
         stats.age_days,
         stats.avg_repeat_value,
         predictions.p_alive,
         predictions.predicted_purchases,
         predictions.discounted_purchases,
         -- Gamma-Gamma conditional mean: p(v + m·x)/(p·x + q − 1); the population mean p·v/(q − 1) when x = 0.
         case when $spend_ok then
           $p * ($v + coalesce(stats.avg_repeat_value, 0) * stats.frequency) / ($p * stats.frequency + $q - 1)
         end as predicted_avg_spend
       from stats
       left join predictions using (frequency, recency_days, age_days)
     ),

     final as (
       select
         cast(customer_id as varchar) as customer_id,
         cast(frequency as bigint) as frequency,
         cast(recency_days / 7 as double) as recency_weeks,
         cast(age_days / 7 as double) as age_weeks,
         cast(avg_repeat_value as double) as avg_repeat_value,
         cast(p_alive as double) as p_alive,
         cast(predicted_purchases as double) as predicted_purchases,
         cast(predicted_avg_spend as double) as predicted_avg_spend,
         cast(discounted_purchases * predicted_avg_spend * $margin as double) as predicted_clv
       from joined
     )

     select * from final order by customer_id`,
    {
      spend_ok: spendOk,
      p: spendOk ? gammaGamma!.params.p : 0,
      q: spendOk ? gammaGamma!.params.q : 2,
      v: spendOk ? gammaGamma!.params.v : 0,
      margin: settings.clv_margin,
    },
  );
  await writeParameters(db, asOf, bgnbd, gammaGamma);
  await db.run(`drop table if exists ${STATS}`);
  await db.run(`drop table if exists ${PREDICTIONS}`);
  return { asOf, customers, groups: rows.length, bgnbd, gammaGamma, warnings, milliseconds: performance.now() - started };
}

/** `clv_model_parameters`: one row per fitted parameter, for the site and for audit. */
async function writeParameters(db: DuckDBConnection, asOf: string | null, bgnbd: BgNbdFit | null, gammaGamma: GammaGammaFit | null): Promise<void> {
  await db.run(
    `create or replace table clv_model_parameters (
       model varchar, parameter varchar, estimate double, std_error double, log_likelihood double,
       n_customers bigint, calibration_end date, fitted_at timestamp
     )`,
  );
  const fits: [string, BgNbdFit | GammaGammaFit | null][] = [
    ["bgnbd", bgnbd],
    ["gamma_gamma", gammaGamma],
  ];
  for (const [model, fit] of fits) {
    if (!fit) continue;
    for (const [parameter, estimate] of Object.entries(fit.params)) {
      const se = (fit.stdErrors as Record<string, number>)[parameter];
      await db.run(
        `insert into clv_model_parameters values ($model, $parameter, $estimate, $std_error, $log_likelihood, $n, cast($calibration_end as date), cast(current_timestamp as timestamp))`,
        {
          model,
          parameter,
          estimate,
          std_error: Number.isFinite(se) ? se : null,
          log_likelihood: fit.logLikelihood,
          n: fit.customers,
          calibration_end: asOf,
        },
      );
    }
  }
}
