// Measures from the slices data (src/data/slices.json.ts) for a filter state. The file holds sums per
// month and slice; ratios are computed here after summing, so any period is exact.
import {periodMonths} from "./filters.js";

const MEASURES = ["revenue", "orders", "nps_n", "promoters", "detractors", "csat_n", "csat_satisfied", "csat_score", "tickets", "complaints", "complaints_resolved", "responded_in_sla"];

/** Rows of the column-oriented slices file; key columns given as positions in `slices.levels` become names again. */
export function sliceRows(slices) {
  const cols = slices.rows;
  const levels = slices.levels ?? {};
  const n = cols.month?.length ?? 0;
  const names = Object.keys(cols);
  const value = (k, v) => (levels[k] ? levels[k][v] : v);
  return Array.from({length: n}, (_, i) => Object.fromEntries(names.map((k) => [k, value(k, cols[k][i])])));
}

/** Monthly rows of the slice a filter state selects (all months; the period picks among them). */
export function monthlyFor(rows, state) {
  return rows
    .filter((r) => r.type === state.type && r.tier === state.tier && r.channel === state.channel && r.region === state.region)
    .map(withRatios)
    .sort((a, b) => a.month.localeCompare(b.month));
}

/** Totals over the filter's period, with ratios and the NPS interval. */
export function totalsFor(monthly, state, months) {
  const keep = new Set(periodMonths(state.period, months));
  const total = Object.fromEntries(MEASURES.map((m) => [m, 0]));
  for (const r of monthly) if (keep.has(r.month)) for (const m of MEASURES) total[m] += r[m] ?? 0;
  return withRatios(total);
}

/** The same-length window just before the filter's period, for "vs previous period". */
export function previousTotalsFor(monthly, state, months) {
  const current = periodMonths(state.period, months);
  if (!current.length) return withRatios({});
  const sorted = [...months].sort();
  const start = sorted.indexOf(current[0]);
  const prev = new Set(sorted.slice(Math.max(0, start - current.length), start));
  const total = Object.fromEntries(MEASURES.map((m) => [m, 0]));
  for (const r of monthly) if (prev.has(r.month)) for (const m of MEASURES) total[m] += r[m] ?? 0;
  return prev.size ? withRatios(total) : withRatios({});
}

/**
 * NPS = %promoters − %detractors on −100…100, with a 95% normal-approximation interval: each answer
 * scores +1/0/−1, so var = p + d − (p − d)² and se = √(var / n).
 */
export function npsInterval(n, promoters, detractors) {
  if (!n) return {nps: null, low: null, high: null};
  const p = promoters / n;
  const d = detractors / n;
  const se = Math.sqrt(Math.max(0, p + d - (p - d) ** 2) / n);
  return {nps: 100 * (p - d), low: 100 * (p - d - 1.96 * se), high: 100 * (p - d + 1.96 * se)};
}

function withRatios(r) {
  const ratio = (a, b) => (b ? a / b : null);
  const nps = npsInterval(r.nps_n, r.promoters, r.detractors);
  return {
    ...r,
    aov: ratio(r.revenue, r.orders),
    nps: nps.nps,
    nps_low: nps.low,
    nps_high: nps.high,
    csat_share: ratio(r.csat_satisfied, r.csat_n),
    csat_mean: ratio(r.csat_score, r.csat_n),
    complaint_rate: ratio(r.complaints, r.tickets),
    complaint_resolution: ratio(r.complaints_resolved, r.complaints),
    response_in_sla: ratio(r.responded_in_sla, r.tickets),
  };
}
