import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import type { MetricsConfig } from "../config/lens-config.ts";
import type { BgNbdFit, GammaGammaFit } from "./fit-models.ts";
import { predictAliveGroups } from "./predict.ts";
import { POOLED, type RfmGroupRow } from "./summary-statistics.ts";

/** CLV settings the predictions use (from config_metrics). */
export type ClvSettings = Pick<MetricsConfig, "clv_horizon_months" | "clv_margin" | "clv_annual_discount_rate" | "warning_p_alive_below">;

/** What the writer needs of a fit: its segment ('ToC', 'ToB' or 'all') and its parameters, if any. */
export interface WriterFit {
  segment: string;
  bgnbd: BgNbdFit | null;
  gammaGamma: GammaGammaFit | null;
}

/** Temporary tables: the fits' parameters, and expected purchases if alive per (fit, x, T). */
export const FITS = "_clv_fits";
export const PREDICTIONS = "_clv_group_predictions";

/**
 * The rows of the output table for the customers whose model_segment (null counted as the pooled fit's)
 * is $batch, from the statistics, FITS and PREDICTIONS; `create` makes the table (with $batch = '', empty).
 */
const predictionsSql = (stats: string, table: string, verb: "create" | "insert") => `
${verb === "create" ? `create or replace table "${table}" as` : `insert into "${table}"`}
with stats as (
  select * from ${stats}
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

-- The customers of this batch: the rows are written one fit at a time, each as soon as its fit is done.
batch as (
  select * from assigned where coalesce(model_segment, '${POOLED}') = $batch
),

-- Every (fit, x, T) a fit scores has its row in predictions: one join brings the fit's parameters too.
scored as (
  select *
  from predictions
  inner join fits using (model_segment)
),

joined as (
  select
    batch.customer_id,
    batch.model_segment,
    batch.frequency,
    batch.recency_days,
    batch.age_days,
    batch.avg_repeat_value,
    -- P(alive | x, t_x, T) in weeks (FHL 2005 eq. 11, pAlive in lib/clv/bgnbd.ts):
    -- 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), the odds taken in logs.
    case
      when scored.model_segment is null then null
      when batch.frequency = 0 then 1
      else 1 / (1 + exp(
        ln(scored.a / (scored.b + batch.frequency - 1))
        + (scored.r + batch.frequency) * ln((scored.alpha + batch.age_days / 7) / (scored.alpha + batch.recency_days / 7))
      ))
    end as p_alive,
    -- T* in weeks, when P(alive) falls to p* = warning_p_alive_below: between purchases P(alive) only falls as T
    -- grows, and a/(b+x−1) · ((α+T*)/(α+t_x))^(r+x) = 1/p* − 1 gives T* = (α+t_x) · ((1/p* − 1)/(a/(b+x−1)))^(1/(r+x)) − α.
    -- Never before the last purchase: a customer already below p* then has been below since t_x.
    case
      when scored.model_segment is null or batch.frequency = 0 or $warn <= 0 then null
      when $warn >= 1 then batch.recency_days / 7
      else greatest(
        batch.recency_days / 7,
        (scored.alpha + batch.recency_days / 7)
          * exp((ln(1 / $warn - 1) - ln(scored.a / (scored.b + batch.frequency - 1))) / (scored.r + batch.frequency))
          - scored.alpha
      )
    end as below_warning_from_week,
    scored.alive_purchases,
    scored.alive_discounted,
    -- Gamma-Gamma conditional mean: p(v + m·x)/(p·x + q − 1); the population mean p·v/(q − 1) when x = 0.
    case when scored.spend_ok then
      scored.p * (scored.v + coalesce(batch.avg_repeat_value, 0) * batch.frequency) / (scored.p * batch.frequency + scored.q - 1)
    end as predicted_avg_spend
  from batch
  left join scored
    on scored.model_segment = batch.model_segment
    and scored.frequency = batch.frequency
    and scored.age_days = batch.age_days
),

-- E[Y(t) | x, t_x, T] = P(alive) × E[Y(t) | alive at T] (FHL 2005 eq. 10), month by month and discounted.
predicted as (
  select
    *,
    alive_purchases * p_alive as predicted_purchases,
    alive_discounted * p_alive as discounted_purchases
  from joined
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
    cast(model_segment as varchar) as model_segment,
    cast(case when p_alive < $warn then age_days / 7 - below_warning_from_week end as double) as weeks_below_warning
  from predicted
)

select * from final`;

/**
 * Start a statement with bound values and return a function that waits for it. The statement runs off the
 * JavaScript thread, so a fit can run meanwhile (`db.run` with values prepares asynchronously first, and
 * would only start executing once JavaScript yields).
 */
async function startStatement(db: DuckDBConnection, sql: string, values: Record<string, DuckDBValue>): Promise<() => Promise<void>> {
  const prepared = await db.prepare(sql);
  let running: Promise<unknown>;
  try {
    prepared.bind(values);
    running = prepared.run();
  } catch (error) {
    prepared.destroySync();
    throw error;
  }
  // A failure surfaces when the caller waits; until then it is expected, not unhandled.
  running.catch(() => undefined);
  return async () => {
    try {
      await running;
    } finally {
      prepared.destroySync();
    }
  };
}

/**
 * Writes the output one fit at a time: a fit's parameters and expected purchases (PREDICTIONS), then the
 * insert of the customers it scores, which runs in DuckDB while JavaScript fits the next segment.
 */
export class PredictionWriter {
  private pending: (() => Promise<void>) | undefined;

  /**
   * `stats`: the per-customer statistics (segmentedStatisticsSql) of the customers to score; `table`: the
   * output, created (empty) by open().
   */
  constructor(
    private readonly db: DuckDBConnection,
    private readonly stats: string,
    private readonly table: string,
    private readonly settings: ClvSettings,
  ) {}

  /** Create the work tables and the empty output table. */
  async open(): Promise<void> {
    await this.db.run(
      `create or replace temp table ${FITS} (model_segment varchar, r double, alpha double, a double, b double, spend_ok boolean, p double, q double, v double)`,
    );
    await this.db.run(
      `create or replace temp table ${PREDICTIONS} (model_segment varchar, frequency integer, age_days integer, alive_purchases double, alive_discounted double)`,
    );
    await this.db.run(predictionsSql(this.stats, this.table, "create"), { batch: "", margin: this.settings.clv_margin, warn: this.settings.warning_p_alive_below });
  }

  /**
   * Write `fit` and start inserting the customers it scores, whose distinct (x, T) are `scored`; returns
   * once the insert has started.
   */
  async write(fit: WriterFit, scored: Pick<RfmGroupRow, "frequency" | "age_days">[]): Promise<void> {
    // Computed before waiting for the previous insert, so that it overlaps it too.
    const { clv_horizon_months: months, clv_annual_discount_rate: rate } = this.settings;
    const alive = fit.bgnbd ? predictAliveGroups(fit.bgnbd.params, scored, months, rate) : [];
    await this.finish();
    if (fit.bgnbd) {
      const gg = fit.gammaGamma?.params;
      const spendOk = gg !== undefined && gg.q > 1;
      await this.db.run(`insert into ${FITS} values ($segment, $r, $alpha, $a, $b, $spend_ok, $p, $q, $v)`, {
        segment: fit.segment,
        ...fit.bgnbd.params,
        spend_ok: spendOk,
        p: spendOk ? gg.p : 0,
        q: spendOk ? gg.q : 2,
        v: spendOk ? gg.v : 0,
      });
      const appender = await this.db.createAppender(PREDICTIONS, "main", "temp");
      for (const p of alive) {
        appender.appendVarchar(fit.segment);
        appender.appendInteger(p.frequency);
        appender.appendInteger(p.age_days);
        appender.appendDouble(p.alive_purchases);
        appender.appendDouble(p.alive_discounted);
        appender.endRow();
      }
      appender.closeSync();
    }
    this.pending = await startStatement(this.db, predictionsSql(this.stats, this.table, "insert"), {
      batch: fit.segment,
      margin: this.settings.clv_margin,
      warn: this.settings.warning_p_alive_below,
    });
  }

  /** Wait for the insert in flight, if any. */
  async finish(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    await pending?.();
  }
}
