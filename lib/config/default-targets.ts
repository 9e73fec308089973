import { Target } from "./lens-config.ts";

/**
 * The KPI scorecard's default targets: the targets of ../shared/KPI-CATALOGUE.md. A `targets` entry in
 * lens.config.json with the same `kpi` replaces one; a new `kpi` is added (and shows as 'missing' until a mart
 * measures it). Units: `percent` values are fractions (0.92 = 92%); `score` is the survey scale (NPS −100…100,
 * CSAT 1–5); `ratio` is a relative change (−0.2 = 20% lower than the comparison period).
 * How each KPI is measured (numerator, denominator, window, source mart) is stated in sql/marts/kpi_scorecard.sql.
 */
export const DEFAULT_TARGETS: readonly Target[] = [
  { kpi: "nps", label: "NPS (净推荐值)", target: 40, direction: "higher", unit: "score", period: "month" },
  { kpi: "csat_mean", label: "CSAT mean score (客户满意度均分)", target: 4.2, direction: "higher", unit: "score", period: "month" },
  { kpi: "csat_share", label: "CSAT share 4–5 (客户满意度)", target: 0.92, direction: "higher", unit: "percent", period: "quarter" },
  { kpi: "new_customer_csat", label: "New-customer first-service CSAT (新客户首次服务满意度)", target: 0.85, direction: "higher", unit: "percent", period: "month" },
  { kpi: "negative_feedback_rate", label: "Negative-feedback rate (负面反馈率)", target: 0.05, direction: "lower", unit: "percent", period: "month" },
  { kpi: "csat_yoy_uplift", label: "CSAT uplift vs last year (满意度同比提升)", target: 0.2, direction: "higher", unit: "ratio", period: "quarter" },
  { kpi: "incentive_satisfaction", label: "Incentive-program satisfaction (激励满意度)", target: 0.88, direction: "higher", unit: "percent", period: "quarter" },
  { kpi: "response_timeliness_rate", label: "Response timeliness (响应及时率)", target: 0.9, direction: "higher", unit: "percent", period: "month" },
  { kpi: "median_first_response_minutes", label: "Median first response (首次响应时长)", target: 30, direction: "lower", unit: "minutes", period: "month" },
  { kpi: "complaint_resolution_rate", label: "Complaint resolution rate (投诉解决率)", target: 0.95, direction: "higher", unit: "percent", period: "month" },
  { kpi: "resolved_within_3_contacts", label: "Resolved within 3 contacts (三次内解决率)", target: 0.8, direction: "higher", unit: "percent", period: "month" },
  { kpi: "resolution_time_change", label: "Median complaint resolution time vs last year (解决时长同比)", target: -0.2, direction: "lower", unit: "ratio", period: "quarter" },
  { kpi: "high_value_revenue_share", label: "High-value revenue share (高价值客户收入占比)", target: 0.7, direction: "higher", unit: "percent", period: "quarter" },
  { kpi: "profile_completeness", label: "Customer-profile completeness (信息完整率)", target: 0.9, direction: "higher", unit: "percent", period: "month" },
  { kpi: "winback_rate", label: "Win-back rate (挽回成功率)", target: 0.3, direction: "higher", unit: "percent", period: "quarter" },
  { kpi: "core_customer_churn", label: "Core-customer churn (核心客户流失率)", target: 0.05, direction: "lower", unit: "percent", period: "quarter" },
  { kpi: "churn_rate_change", label: "Churn rate vs last year (流失率同比)", target: -0.3, direction: "lower", unit: "ratio", period: "quarter" },
  { kpi: "incentive_roi", label: "Incentive ROI, holdout campaigns (激励投入产出比)", target: 0.3, direction: "higher", unit: "ratio", period: "quarter" },
  { kpi: "repurchase_rate_change", label: "Repurchase rate vs last year (复购率同比)", target: 0.1, direction: "higher", unit: "ratio", period: "quarter" },
  { kpi: "referred_customers_change", label: "Referred new customers vs last year (推荐新客同比)", target: 0.4, direction: "higher", unit: "ratio", period: "quarter" },
].map((t) => Target.parse(t));

/** Defaults with the configured targets laid over them by `kpi` (configured ones win; new ones are appended). */
export function mergeTargets(configured: readonly Target[], defaults: readonly Target[] = DEFAULT_TARGETS): Target[] {
  const byKpi = new Map(defaults.map((t) => [t.kpi, t]));
  for (const t of configured) byKpi.set(t.kpi, t);
  return [...byKpi.values()];
}
