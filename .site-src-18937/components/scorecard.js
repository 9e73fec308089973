// KPI scorecard components for the Overview and the Quarterly review: tiles with status, target,
// change vs the previous period, a sparkline and the weakest segment ("why"); and the biggest movers.
import {sparkline} from "./charts.js";
import {el} from "./dom.js";
import {byUnit, changeByUnit} from "./format.js";
import {periodLabel, label} from "./data.js";

export const STATUS_TEXT = {met: "on target", "at risk": "at risk", missed: "off target", missing: "no data"};

/** Latest complete, measured review-period row per KPI (in the order KPIs first appear). */
export function latestByKpi(scorecard) {
  const latest = new Map();
  for (const r of scorecard) if (!r.is_partial_period && r.status !== "missing") latest.set(r.kpi, r);
  for (const r of scorecard) if (!latest.has(r.kpi)) latest.set(r.kpi, r);
  // Off target first, so the first row of tiles answers "where are we not on target".
  const order = {missed: 0, "at risk": 1, met: 2, missing: 3};
  const area = (k) => {
    const i = AREAS.findIndex(([, kpis]) => kpis.includes(k));
    return i < 0 ? AREAS.length : i;
  };
  return [...latest.values()].sort((a, b) => (order[a.status] ?? 4) - (order[b.status] ?? 4) || area(a.kpi) - area(b.kpi));
}

/** Whether a change moved the KPI toward its target direction. */
export function improved(row) {
  if (row.change == null) return null;
  return row.direction === "lower" ? row.change < 0 : row.change > 0;
}

export function statusBadge(status) {
  return el("span", {class: `status status-${String(status).replace(" ", "_")}`}, STATUS_TEXT[status] ?? status);
}

function targetText(r) {
  return `target ${r.direction === "lower" ? "≤" : "≥"} ${byUnit(r.target, r.unit)}`;
}

/** One KPI tile; `history` is that KPI's review-period rows, `driver` its weakest segment if any. */
export function kpiTile(r, {history = [], driver, width = 180} = {}) {
  const up = improved(r);
  const interval = r.ci_low != null && r.ci_high != null ? ` · 95% CI ${byUnit(r.ci_low, r.unit)} to ${byUnit(r.ci_high, r.unit)}` : "";
  return el(
    "div",
    {class: "card kpi", "data-kpi": r.kpi, "data-status": r.status},
    el("div", {class: "label"}, r.label),
    el("div", {}, statusBadge(r.status), " ", el("small", {class: "muted"}, `${periodLabel(r.period_start, r.period_type)} · ${targetText(r)}`)),
    el("div", {class: "value"}, byUnit(r.actual, r.unit)),
    el(
      "div",
      {class: "detail"},
      r.change != null
        ? el("span", {class: up ? "up" : "down", title: up ? "toward the target" : "away from the target"}, `${r.change > 0 ? "▲" : r.change < 0 ? "▼" : "■"} ${changeByUnit(r.change, r.unit)}`)
        : "no previous period",
      ` vs previous ${r.period_type}`,
      r.n != null ? ` · n = ${Number(r.n).toLocaleString("en-US")}` : "",
      interval,
    ),
    history.length > 1 ? sparkline(history.map((h) => ({period: h.period_start, value: h.actual})), {width, target: r.target}) : null,
    driver && r.status !== "met"
      ? el("div", {class: "detail why"}, `Why: weakest ${label(driver.dimension).toLowerCase()} is ${label(driver.segment)} at ${byUnit(driver.value, r.unit)} (n = ${driver.n})`)
      : null,
  );
}

/** KPIs with the largest change vs the previous period, relative to the size of their target. */
export function biggestMovers(latest, count = 5) {
  return latest
    .filter((r) => r.change != null && Number.isFinite(r.change))
    .map((r) => ({...r, magnitude: Math.abs(r.change) / Math.max(Math.abs(r.target ?? 0), 1e-9), better: improved(r)}))
    .sort((a, b) => b.magnitude - a.magnitude)
    .slice(0, count);
}

/** The areas of the plans, for grouping KPIs (Quarterly review pages). */
export const AREAS = [
  ["Satisfaction 满意度", ["nps", "csat_mean", "csat_share", "new_customer_csat", "negative_feedback_rate", "csat_yoy_uplift", "incentive_satisfaction"]],
  ["Service 服务与投诉", ["response_timeliness_rate", "median_first_response_minutes", "complaint_resolution_rate", "resolved_within_3_contacts", "resolution_time_change"]],
  ["Value and retention 价值与留存", ["high_value_revenue_share", "profile_completeness", "winback_rate", "core_customer_churn", "churn_rate_change", "repurchase_rate_change"]],
  ["Loyalty and incentives 忠诚与激励", ["incentive_roi", "referred_customers_change"]],
];

/** The area a KPI belongs to ("Other" for KPIs added in lens.config.json). */
export function areaOf(kpi) {
  return AREAS.find(([, kpis]) => kpis.includes(kpi))?.[0] ?? "Other";
}
