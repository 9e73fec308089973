// Page data for the Quarterly review (季度复盘): every KPI per quarter against its target and the
// previous quarter (kpi_scorecard, period_type 'quarter').
import { rounded, runLoader, toColumns } from "../lib/loader.ts";

await runLoader("quarterly", async (k) => {
  const scorecard = await k
    .selectFrom("kpi_scorecard")
    .select(["kpi", "label", "period_type", "period_start", "is_partial_period", "actual", "ci_low", "ci_high", "n", "target", "direction", "unit", "previous", "change", "status", "source_mart", "as_of_date"])
    .where("period_type", "=", "quarter")
    .orderBy("kpi")
    .orderBy("period_start")
    .execute();
  return { scorecard: toColumns(rounded(scorecard)) };
});
