// The CLV model check (Fader, Hardie & Lee 2005, fig. 4): BG/NBD fitted on purchase days up to the
// calibration end, predicted against actual repeat purchase days in the holdout, by calibration frequency.
// grain: one row per calibration frequency bucket 0, 1, …, 6, 7+; key: frequency_bucket
// formula: calibration_end = int_as_of.as_of_date − 182 days; holdout = (calibration_end, as_of_date] (26 weeks).
//          Customers: first purchase day on or before calibration_end; consumers (ToC) when they can be
//          fitted, else every customer pooled ('all'). predicted = Σ E[Y(26 weeks) | x, t_x, T] (FHL 2005 eq. 10);
//          actual = purchase days in the holdout; means per customer of the bucket.
// window: purchases up to int_as_of.as_of_date. Empty (with the reason on stderr) when no fit is possible.
// It is a TS model because the maximum-likelihood fit is not SQL.
import type { ClvFitReport } from "../../lib/clv/fit.ts";
import type { TsModel } from "../../lib/models/ts-model.ts";

/** Length of the holdout, ending on the as-of date: 26 weeks. */
export const HOLDOUT_DAYS = 182;

/** Fit segments in order of preference: consumers, else everyone pooled. */
const SEGMENTS = ["ToC", "all"] as const;

export default {
  dependsOn: ["int_customer_purchase_days", "stg_customers", "int_as_of"],
  description:
    "Calibration/holdout check of the BG/NBD model: predicted vs actual repeat purchase days in the 26 weeks before int_as_of, one row per calibration frequency bucket (0 … 6, 7+).",
  async build(db, { name, model }) {
    // Imported here, not above: every lens command reads this file for dependsOn, few of them build it.
    const [{ fitClv }, { queryOne }] = await Promise.all([import("../../lib/clv/fit.ts"), import("../../lib/warehouse/query.ts")]);
    await db.run(
      `create table "${name}" (
        frequency_bucket integer not null, frequency varchar not null, customers bigint not null,
        actual_repeat_transactions bigint not null, predicted_repeat_transactions double not null,
        actual_mean double, predicted_mean double,
        segment varchar not null, n_customers bigint not null, calibration_end date not null, holdout_end date not null,
        holdout_weeks double not null, converged boolean not null, warnings varchar
      )`,
    );
    const asOf = (await queryOne<{ d: string | null }>(db, "select cast(max(as_of_date) as varchar) as d from int_as_of"))?.d;
    if (!asOf) {
      process.stderr.write(`${model}: int_as_of has no as-of date (no data loaded); the check is empty\n`);
      return;
    }
    const calibrationEnd = new Date(Date.parse(`${asOf}T00:00:00Z`) - HOLDOUT_DAYS * 86_400_000).toISOString().slice(0, 10);
    const failures: string[] = [];
    let report: ClvFitReport | undefined;
    for (const segment of SEGMENTS) {
      try {
        report = await fitClv(db, { calibrationEnd, holdoutEnd: asOf, segment });
        break;
      } catch (error) {
        failures.push(`${segment}: ${(error as Error).message}`);
      }
    }
    const holdout = report?.holdout;
    if (!report || !holdout) {
      process.stderr.write(`${model}: no calibration/holdout check (${failures.join("; ")}); the table is empty\n`);
      return;
    }
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    for (const [i, b] of holdout.by_frequency.entries()) {
      await db.run(
        `insert into "${name}" values ($bucket, $frequency, $customers, $actual, $predicted, $actual_mean, $predicted_mean,
           $segment, $n, cast($calibration_end as date), cast($holdout_end as date), $weeks, $converged, $warnings)`,
        {
          bucket: i,
          frequency: b.frequency,
          customers: b.customers,
          actual: b.actual,
          predicted: b.predicted,
          actual_mean: finite(b.actual_mean),
          predicted_mean: finite(b.predicted_mean),
          segment: report.segment,
          n: holdout.customers,
          calibration_end: calibrationEnd,
          holdout_end: asOf,
          weeks: holdout.weeks,
          converged: report.bgnbd.converged,
          warnings: report.warnings.join("; ") || null,
        },
      );
    }
  },
} satisfies TsModel;
