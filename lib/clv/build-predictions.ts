import type { DuckDBConnection } from "@duckdb/node-api";
import type { MetricsConfig } from "../config/lens-config.ts";
import { queryOne } from "../warehouse/query.ts";
import { bgnbdConvergenceWarning, fitBgNbd, fitGammaGamma, gammaGammaWarnings, type BgNbdFit, type GammaGammaFit } from "./fit-models.ts";
import { predictGroups } from "./predict.ts";
import { CLV_SEGMENTS, hasCustomerTypes, POOLED, purchaseDaysSql, queryColumns, segmentedStatisticsSql, toRfmGroups, type RfmGroupRow } from "./summary-statistics.ts";
import { spendGroups } from "./gamma-gamma.ts";

/** CLV settings the predictions use (from config_metrics). */
export type ClvSettings = Pick<MetricsConfig, "clv_horizon_months" | "clv_margin" | "clv_annual_discount_rate">;

/** One set of fitted parameters and the customers it scores. */
export interface SegmentFit {
  /** 'ToC', 'ToB' (a customer type fitted on its own) or 'all' (pooled over every customer). */
  segment: string;
  bgnbd: BgNbdFit | null;
  gammaGamma: GammaGammaFit | null;
  /** Customers whose predictions use this fit. */
  scored: number;
}

/** What a build did, for logs and tests. */
export interface ClvBuildSummary {
  asOf: string | null;
  customers: number;
  groups: number;
  /** Fits in the order they were made: the segments with their own fit, then the pooled fit if any customer needs it. */
  fits: SegmentFit[];
  warnings: string[];
  milliseconds: number;
}

/**
 * A customer type gets its own fits when at least this many of its customers have a repeat transaction
 * (x > 0) worth more than 0: with fewer, the three Gamma-Gamma and four BG/NBD parameters are poorly
 * determined, and its customers are scored by the pooled fit instead.
 */
export const MIN_SEGMENT_REPEAT_CUSTOMERS = 50;

const STATS = "_clv_customer_statistics";
const PREDICTIONS = "_clv_group_predictions";
const FITS = "_clv_fits";

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

/** Sum of customers over rows. */
const sumCustomers = (rows: { customers: number }[]) => rows.reduce((s, r) => s + r.customers, 0);

type SegmentRow = RfmGroupRow & { segment: string | null };
type SpendRow = { segment: string | null; frequency: number; avg_repeat_value: number | null; customers: number };

const toSpendGroups = (rows: SpendRow[]) => spendGroups(rows.map((r) => ({ x: r.frequency, m: r.avg_repeat_value, n: r.customers })));

/** The (segment, x, t_x, T) groups of the statistics, read column by column (hundreds of thousands at scale). */
async function readSegmentRows(db: DuckDBConnection): Promise<SegmentRow[]> {
  const c = await queryColumns(
    db,
    `select segment, frequency, recency_days, age_days, cast(count(*) as integer) as customers
     from ${STATS} group by all order by all`,
  );
  return (c.frequency as number[]).map((frequency, i) => ({
    segment: c.segment[i] as string | null,
    frequency,
    recency_days: c.recency_days[i] as number,
    age_days: c.age_days[i] as number,
    customers: c.customers[i] as number,
  }));
}

/** The (segment, x, m) spend groups of the customers with a repeat purchase. */
async function readSpendRows(db: DuckDBConnection): Promise<SpendRow[]> {
  const c = await queryColumns(
    db,
    `select segment, frequency, avg_repeat_value, cast(count(*) as integer) as customers
     from ${STATS} where frequency > 0 group by all order by all`,
  );
  return (c.frequency as number[]).map((frequency, i) => ({
    segment: c.segment[i] as string | null,
    frequency,
    avg_repeat_value: c.avg_repeat_value[i] as number | null,
    customers: c.customers[i] as number,
  }));
}

/**
 * Fit BG/NBD and Gamma-Gamma on every purchase up to the as-of date and write
 * `int_customer_clv_predicted` (one row per customer with a purchase) and `clv_model_parameters`
 * (one row per segment, model and parameter).
 *
 * Segments: each customer type of CLV_SEGMENTS (stg_customers.customer_type) with at least
 * MIN_SEGMENT_REPEAT_CUSTOMERS repeat customers gets its own BG/NBD and Gamma-Gamma fits, because consumers
 * and business accounts differ in buying rate and spend scale (pooled, the Gamma-Gamma fit can diverge).
 * Every other customer (a smaller type, a type not in the list, a customer the CRM does not know, or all of
 * them when the warehouse has no stg_customers) is scored by a pooled fit over all customers, made only
 * when someone needs it. Predictions are computed once per (fit, x, t_x, T) in TypeScript, appended to a
 * temporary table, and joined back to the customers in SQL.
 */
export async function buildClvPredictions(db: DuckDBConnection, settings: ClvSettings, table = "int_customer_clv_predicted"): Promise<ClvBuildSummary> {
  const started = performance.now();
  const warnings: string[] = [];
  const asOf = await clvAsOfDate(db);
  await db.run(`create or replace temp table ${STATS} as ${segmentedStatisticsSql(await hasCustomerTypes(db), await purchaseDaysSql(db))}`, {
    calibration_end: asOf ?? "1970-01-01",
  });
  const rows = await readSegmentRows(db);
  const spend = await readSpendRows(db);
  const customers = sumCustomers(rows);

  const fits: SegmentFit[] = [];
  for (const segment of CLV_SEGMENTS) {
    const segmentRows = rows.filter((r) => r.segment === segment);
    if (segmentRows.length === 0) continue;
    const segmentSpend = spend.filter((r) => r.segment === segment);
    const repeatCustomers = sumCustomers(segmentSpend.filter((r) => r.avg_repeat_value !== null && r.avg_repeat_value > 0));
    if (repeatCustomers < MIN_SEGMENT_REPEAT_CUSTOMERS) {
      warnings.push(`${segment}: ${repeatCustomers} customers with a repeat purchase (< ${MIN_SEGMENT_REPEAT_CUSTOMERS}), scored by the pooled fit`);
      continue;
    }
    try {
      const bgnbd = fitBgNbd(toRfmGroups(segmentRows));
      const gammaGamma = fitGammaGamma(toSpendGroups(segmentSpend));
      fits.push({ segment, bgnbd, gammaGamma, scored: sumCustomers(segmentRows) });
    } catch (error) {
      warnings.push(`${segment}: ${(error as Error).message}; scored by the pooled fit`);
    }
  }
  const ownFit = new Set(fits.map((f) => f.segment));
  const pooledRows = rows.filter((r) => r.segment === null || !ownFit.has(r.segment));
  if (pooledRows.length > 0) {
    const pooled: SegmentFit = { segment: POOLED, bgnbd: null, gammaGamma: null, scored: sumCustomers(pooledRows) };
    try {
      pooled.bgnbd = fitBgNbd(toRfmGroups(rows));
    } catch (error) {
      warnings.push((error as Error).message);
    }
    try {
      pooled.gammaGamma = fitGammaGamma(toSpendGroups(spend));
    } catch (error) {
      warnings.push((error as Error).message);
    }
    fits.push(pooled);
  }
  for (const fit of fits) {
    const label = ownFit.size > 0 || fit.segment !== POOLED ? `${fit.segment}: ` : "";
    const bgWarning = fit.bgnbd && bgnbdConvergenceWarning(fit.bgnbd, label);
    if (bgWarning) warnings.push(bgWarning);
    if (fit.gammaGamma) warnings.push(...gammaGammaWarnings(fit.gammaGamma, label).map((w) => (w.includes("≤ 1") ? `${w}, predicted spend left null` : w)));
  }

  await writeGroupPredictions(db, fits, rows, ownFit, settings);
  await db.run(`create or replace temp table ${FITS} (model_segment varchar, spend_ok boolean, p double, q double, v double)`);
  for (const fit of fits) {
    if (!fit.bgnbd) continue;
    const gg = fit.gammaGamma?.params;
    const spendOk = gg !== undefined && gg.q > 1;
    await db.run(`insert into ${FITS} values ($segment, $spend_ok, $p, $q, $v)`, {
      segment: fit.segment,
      spend_ok: spendOk,
      p: spendOk ? gg.p : 0,
      q: spendOk ? gg.q : 2,
      v: spendOk ? gg.v : 0,
    });
  }

  await db.run(
    `create or replace table "${table}" as
     with stats as (
       select * from ${STATS}
     ),

     fits as (
       select * from ${FITS}
     ),

     predictions as (
       select * from ${PREDICTIONS}
     ),

     -- A customer type with its own fit uses it; everyone else the pooled fit ('all'), when there is one.
     assigned as (
       select
         stats.*,
         coalesce(own.model_segment, pooled.model_segment) as model_segment
       from stats
       left join fits as own on own.model_segment = stats.segment and own.model_segment <> '${POOLED}'
       left join fits as pooled on pooled.model_segment = '${POOLED}'
     ),

     joined as (
       select
         assigned.customer_id,
         assigned.model_segment,
         assigned.frequency,
         assigned.recency_days,
         assigned.age_days,
         assigned.avg_repeat_value,
         predictions.p_alive,
         predictions.predicted_purchases,
         predictions.discounted_purchases,
         -- Gamma-Gamma conditional mean: p(v + m·x)/(p·x + q − 1); the population mean p·v/(q − 1) when x = 0.
         case when fits.spend_ok then
           fits.p * (fits.v + coalesce(assigned.avg_repeat_value, 0) * assigned.frequency) / (fits.p * assigned.frequency + fits.q - 1)
         end as predicted_avg_spend
       from assigned
       left join predictions using (model_segment, frequency, recency_days, age_days)
       left join fits using (model_segment)
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
         cast(discounted_purchases * predicted_avg_spend * $margin as double) as predicted_clv,
         cast(model_segment as varchar) as model_segment
       from joined
     )

     select * from final order by customer_id`,
    { margin: settings.clv_margin },
  );
  await writeParameters(db, asOf, fits);
  for (const temp of [STATS, PREDICTIONS, FITS]) await db.run(`drop table if exists ${temp}`);
  return { asOf, customers, groups: rows.length, fits, warnings, milliseconds: performance.now() - started };
}

/** BG/NBD predictions per (fit, x, t_x, T) for the customers each fit scores, into the PREDICTIONS temp table. */
async function writeGroupPredictions(db: DuckDBConnection, fits: SegmentFit[], rows: SegmentRow[], ownFit: Set<string>, settings: ClvSettings): Promise<void> {
  await db.run(
    `create or replace temp table ${PREDICTIONS} (model_segment varchar, frequency bigint, recency_days bigint, age_days bigint, p_alive double, predicted_purchases double, discounted_purchases double)`,
  );
  const appender = await db.createAppender(PREDICTIONS, "main", "temp");
  for (const fit of fits) {
    if (!fit.bgnbd) continue;
    const scored = rows.filter((r) => (fit.segment === POOLED ? r.segment === null || !ownFit.has(r.segment) : r.segment === fit.segment));
    // The pooled fit scores several segments that may share an (x, t_x, T): predict each once.
    const distinct = new Map(scored.map((r) => [`${r.frequency}|${r.recency_days}|${r.age_days}`, r]));
    for (const p of predictGroups(fit.bgnbd.params, [...distinct.values()], settings.clv_horizon_months, settings.clv_annual_discount_rate)) {
      appender.appendVarchar(fit.segment);
      appender.appendBigInt(BigInt(p.frequency));
      appender.appendBigInt(BigInt(p.recency_days));
      appender.appendBigInt(BigInt(p.age_days));
      appender.appendDouble(p.p_alive);
      appender.appendDouble(p.predicted_purchases);
      appender.appendDouble(p.discounted_purchases);
      appender.endRow();
    }
  }
  appender.closeSync();
}

/**
 * `clv_model_parameters`: one row per segment, model and parameter, for the site and for audit.
 * fitted_at records when the build ran (the same instant on every row); it is audit metadata only —
 * no model reads it, and the estimates themselves depend only on the data and the as-of date.
 */
async function writeParameters(db: DuckDBConnection, asOf: string | null, fits: SegmentFit[]): Promise<void> {
  await db.run(
    `create or replace table clv_model_parameters (
       segment varchar, model varchar, parameter varchar, estimate double, std_error double, log_likelihood double,
       n_customers bigint, converged boolean, calibration_end date, fitted_at timestamp
     )`,
  );
  for (const fit of fits) {
    const models: [string, BgNbdFit | GammaGammaFit | null][] = [
      ["bgnbd", fit.bgnbd],
      ["gamma_gamma", fit.gammaGamma],
    ];
    for (const [model, result] of models) {
      if (!result) continue;
      for (const [parameter, estimate] of Object.entries(result.params)) {
        const se = (result.stdErrors as Record<string, number>)[parameter];
        await db.run(
          `insert into clv_model_parameters values ($segment, $model, $parameter, $estimate, $std_error, $log_likelihood, $n, $converged, cast($calibration_end as date), null)`,
          {
            segment: fit.segment,
            model,
            parameter,
            estimate,
            std_error: Number.isFinite(se) ? se : null,
            log_likelihood: result.logLikelihood,
            n: result.customers,
            converged: result.converged,
            calibration_end: asOf,
          },
        );
      }
    }
  }
  // One statement, so one instant for every row.
  await db.run("update clv_model_parameters set fitted_at = cast(current_timestamp as timestamp)");
}
