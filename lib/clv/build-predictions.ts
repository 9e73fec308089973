import type { DuckDBConnection } from "@duckdb/node-api";
import { queryOne } from "../warehouse/query.ts";
import { bgnbdConvergenceWarning, fitBgNbd, fitGammaGamma, gammaGammaWarnings, type BgNbdFit, type GammaGammaFit } from "./fit-models.ts";
import { FITS, PREDICTIONS, PredictionWriter, type ClvSettings } from "./prediction-writer.ts";
import { rfmGroupsFromColumns, type RfmGroups } from "./bgnbd.ts";
import { spendGroupsFromColumns, type SpendGroups } from "./gamma-gamma.ts";
import { CLV_SEGMENTS, DAYS_PER_WEEK, hasCustomerTypes, POOLED, purchaseDaysSql, queryColumns, segmentedStatisticsSql } from "./summary-statistics.ts";

export type { ClvSettings } from "./prediction-writer.ts";

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
const SEGMENTS = "_clv_segments";

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
  const row = await queryOne<ClvSettings>(
    db,
    "select clv_horizon_months, clv_margin, clv_annual_discount_rate, warning_p_alive_below from config_metrics",
  );
  return row
    ? {
        clv_horizon_months: Number(row.clv_horizon_months),
        clv_margin: Number(row.clv_margin),
        clv_annual_discount_rate: Number(row.clv_annual_discount_rate),
        warning_p_alive_below: Number(row.warning_p_alive_below),
      }
    : fallback;
}

/**
 * The segment as a number in SQL: its position in CLV_SEGMENTS, −1 for any other type or none. Only the
 * CLV_SEGMENTS are fitted on their own, so JavaScript needs no more; a varchar column costs far more to read
 * than the hundreds of thousands of numbers beside it.
 */
const SEGMENT_CODE = `case segment ${CLV_SEGMENTS.map((s, i) => `when '${s}' then ${i}`).join(" ")} else -1 end`;

/**
 * Every segment of the statistics with its rank in sort order (a customer without one has none, and sorts
 * last) and its SEGMENT_CODE. The groups are grouped and ordered by the rank, which is grouping and ordering
 * by the segment itself without a varchar key: inside the build's transaction the statistics are
 * uncommitted and have no column statistics, so DuckDB cannot compress such a key the way it otherwise would.
 */
async function createSegments(db: DuckDBConnection): Promise<void> {
  await db.run(
    `create or replace temp table ${SEGMENTS} as
     select
       segment,
       cast(row_number() over (order by segment) as integer) as segment_rank,
       ${SEGMENT_CODE} as segment_code
     from (select distinct segment from ${STATS} where segment is not null)`,
  );
}

const segmentOf = (code: number): string | null => CLV_SEGMENTS[code] ?? null;

/**
 * Groups column by column (hundreds of thousands at scale, so no object per group). `segment` is a
 * CLV_SEGMENTS type, or null for any other type or none: both are scored by the pooled fit.
 */
interface SegmentGroups {
  segment: (string | null)[];
  frequency: number[];
  recency_days: number[];
  age_days: number[];
  customers: number[];
}

interface SpendColumns {
  segment: (string | null)[];
  frequency: number[];
  avg_repeat_value: (number | null)[];
  customers: number[];
}

/** The (segment, x, t_x, T) groups of the statistics. */
async function readSegmentGroups(db: DuckDBConnection): Promise<SegmentGroups> {
  const c = await queryColumns(
    db,
    `select coalesce(segments.segment_code, -1) as segment_code, frequency, recency_days, age_days, cast(count(*) as integer) as customers
     from ${STATS} left join ${SEGMENTS} as segments using (segment)
     group by segments.segment_rank, segments.segment_code, frequency, recency_days, age_days
     order by segments.segment_rank, frequency, recency_days, age_days`,
  );
  return {
    segment: (c.segment_code as number[]).map(segmentOf),
    frequency: c.frequency as number[],
    recency_days: c.recency_days as number[],
    age_days: c.age_days as number[],
    customers: c.customers as number[],
  };
}

/** The (segment, x, m) spend groups of the customers with a repeat purchase. */
async function readSpendColumns(db: DuckDBConnection): Promise<SpendColumns> {
  const c = await queryColumns(
    db,
    `select coalesce(segments.segment_code, -1) as segment_code, frequency, avg_repeat_value, cast(count(*) as integer) as customers
     from ${STATS} left join ${SEGMENTS} as segments using (segment)
     where frequency > 0
     group by segments.segment_rank, segments.segment_code, frequency, avg_repeat_value
     order by segments.segment_rank, frequency, avg_repeat_value`,
  );
  return {
    segment: (c.segment_code as number[]).map(segmentOf),
    frequency: c.frequency as number[],
    avg_repeat_value: c.avg_repeat_value as (number | null)[],
    customers: c.customers as number[],
  };
}

/** Positions of the groups whose segment passes `keep`, in order. */
function positions(segment: (string | null)[], keep: (segment: string | null) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < segment.length; i++) if (keep(segment[i])) out.push(i);
  return out;
}

/** Customers in the groups at `at`. */
function customersAt(g: { customers: number[] }, at: number[]): number {
  let s = 0;
  for (const i of at) s += g.customers[i];
  return s;
}

/** BG/NBD groups (in weeks) of the groups at `at`: what toRfmGroups makes of the same rows. */
function rfmGroupsAt(g: SegmentGroups, at: number[]): RfmGroups {
  const x = new Float64Array(at.length);
  const tx = new Float64Array(at.length);
  const T = new Float64Array(at.length);
  const n = new Float64Array(at.length);
  at.forEach((i, k) => {
    x[k] = g.frequency[i];
    tx[k] = g.recency_days[i] / DAYS_PER_WEEK;
    T[k] = g.age_days[i] / DAYS_PER_WEEK;
    n[k] = g.customers[i];
  });
  return rfmGroupsFromColumns(x, tx, T, n);
}

/** Gamma-Gamma groups of the spend groups at `at`. */
function spendGroupsAt(s: SpendColumns, at: number[]): SpendGroups {
  return spendGroupsFromColumns(
    at.map((i) => s.frequency[i]),
    at.map((i) => s.avg_repeat_value[i]),
    at.map((i) => s.customers[i]),
  );
}

/** The distinct (x, T) of the groups at `at`: customers (and for the pooled fit, segments) that share them share the prediction. */
function distinctXT(g: SegmentGroups, at: number[]): { frequency: number; age_days: number }[] {
  let stride = 1;
  for (const i of at) stride = Math.max(stride, g.age_days[i] + 1);
  const distinct = new Map<number, { frequency: number; age_days: number }>();
  for (const i of at) {
    const frequency = g.frequency[i];
    const age_days = g.age_days[i];
    // x and T (days, both non-negative integers) as one exact number, small enough to be a cheap map key.
    const key = frequency * stride + age_days;
    if (!distinct.has(key)) distinct.set(key, { frequency, age_days });
  }
  return [...distinct.values()];
}

/** Customers with a repeat transaction worth more than 0, per CLV segment (what MIN_SEGMENT_REPEAT_CUSTOMERS counts). */
async function readRepeatCustomers(db: DuckDBConnection): Promise<Map<string | null, number>> {
  const c = await queryColumns(
    db,
    `select ${SEGMENT_CODE} as segment_code, cast(count(*) as integer) as customers
     from ${STATS}
     where frequency > 0 and avg_repeat_value > 0
     group by segment_code`,
  );
  return new Map((c.segment_code as number[]).map((code, i) => [segmentOf(code), c.customers[i] as number]));
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
 * when someone needs it. The expensive part of the predictions (expected purchases if alive, a ₂F₁ series
 * or a quadrature per month) is computed once per (fit, x, T) in TypeScript into a small temporary table;
 * SQL joins it back to the customers and multiplies it by P(alive | x, t_x, T), a closed form of the fitted
 * parameters. DuckDB reads the spend groups, and writes each fit's customers, while JavaScript fits.
 */
export async function buildClvPredictions(db: DuckDBConnection, settings: ClvSettings, table = "int_customer_clv_predicted"): Promise<ClvBuildSummary> {
  const started = performance.now();
  const warnings: string[] = [];
  const asOf = await clvAsOfDate(db);
  await db.run(`create or replace temp table ${STATS} as ${segmentedStatisticsSql(await hasCustomerTypes(db), await purchaseDaysSql(db))}`, {
    calibration_end: asOf ?? "1970-01-01",
  });
  await createSegments(db);
  const groups = await readSegmentGroups(db);
  const repeat = await readRepeatCustomers(db);
  const customers = groups.customers.reduce((sum, n) => sum + n, 0);
  const writer = new PredictionWriter(db, STATS, table, settings);
  await writer.open();

  // Read while the first BG/NBD fit runs.
  const spendRead = readSpendColumns(db);
  spendRead.catch(() => undefined);
  const fits: SegmentFit[] = [];
  try {
    for (const segment of CLV_SEGMENTS) {
      const at = positions(groups.segment, (s) => s === segment);
      if (at.length === 0) continue;
      const repeatCustomers = repeat.get(segment) ?? 0;
      if (repeatCustomers < MIN_SEGMENT_REPEAT_CUSTOMERS) {
        warnings.push(`${segment}: ${repeatCustomers} customers with a repeat purchase (< ${MIN_SEGMENT_REPEAT_CUSTOMERS}), scored by the pooled fit`);
        continue;
      }
      let bgnbd: BgNbdFit;
      let gammaGamma: GammaGammaFit;
      try {
        bgnbd = fitBgNbd(rfmGroupsAt(groups, at));
      } catch (error) {
        warnings.push(`${segment}: ${(error as Error).message}; scored by the pooled fit`);
        continue;
      }
      const spend = await spendRead;
      try {
        gammaGamma = fitGammaGamma(spendGroupsAt(spend, positions(spend.segment, (s) => s === segment)));
      } catch (error) {
        warnings.push(`${segment}: ${(error as Error).message}; scored by the pooled fit`);
        continue;
      }
      const fit: SegmentFit = { segment, bgnbd, gammaGamma, scored: customersAt(groups, at) };
      fits.push(fit);
      await writer.write(fit, distinctXT(groups, at));
    }
    const ownFit = new Set(fits.map((f) => f.segment));
    const pooledAt = positions(groups.segment, (s) => s === null || !ownFit.has(s));
    if (pooledAt.length > 0) {
      const pooled: SegmentFit = { segment: POOLED, bgnbd: null, gammaGamma: null, scored: customersAt(groups, pooledAt) };
      try {
        pooled.bgnbd = fitBgNbd(rfmGroupsAt(groups, positions(groups.segment, () => true)));
      } catch (error) {
        warnings.push((error as Error).message);
      }
      const spend = await spendRead;
      try {
        pooled.gammaGamma = fitGammaGamma(spendGroupsAt(spend, positions(spend.segment, () => true)));
      } catch (error) {
        warnings.push((error as Error).message);
      }
      fits.push(pooled);
      await writer.write(pooled, distinctXT(groups, pooledAt));
    }
    for (const fit of fits) {
      const label = ownFit.size > 0 || fit.segment !== POOLED ? `${fit.segment}: ` : "";
      const bgWarning = fit.bgnbd && bgnbdConvergenceWarning(fit.bgnbd, label);
      if (bgWarning) warnings.push(bgWarning);
      if (fit.gammaGamma) warnings.push(...gammaGammaWarnings(fit.gammaGamma, label).map((w) => (w.includes("≤ 1") ? `${w}, predicted spend left null` : w)));
    }
    await writer.finish();
  } finally {
    // Nothing may still run on the connection when this returns or throws.
    await spendRead.catch(() => undefined);
    await writer.finish().catch(() => undefined);
  }
  await writeParameters(db, asOf, fits);
  for (const temp of [STATS, SEGMENTS, PREDICTIONS, FITS]) await db.run(`drop table if exists ${temp}`);
  return { asOf, customers, groups: groups.frequency.length, fits, warnings, milliseconds: performance.now() - started };
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
