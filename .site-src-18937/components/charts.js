// Chart components: each takes (data, {width, …}) and returns an element, so pages keep layout only.
// Plot and d3 come from node_modules (bundled by Framework; no CDN).
import * as Plot from "@observablehq/plot";
import * as d3 from "d3";
import {el} from "./dom.js";

const parseMonth = d3.utcParse("%Y-%m");

/** "2025-03" (or "2025-03-01") → UTC Date; other values pass through. */
export function asDate(v) {
  if (v instanceof Date) return v;
  if (typeof v === "string") return parseMonth(v.slice(0, 7)) ?? new Date(v);
  return v;
}

/**
 * A card: title that says what the chart shows, optional subtitle, the content, and a note with the
 * metric's definition (every chart on the site has one).
 */
export function chartCard({title, subtitle, note}, ...content) {
  return el(
    "figure",
    {class: "card lens-chart"},
    el("h2", {}, title),
    subtitle ? el("h3", {}, subtitle) : null,
    ...content,
    note ? el("figcaption", {class: "lens-note"}, note) : null,
  );
}

/** Monthly line with an optional interval band (low/high) and target rule. */
export function trendChart(data, {width, x = "month", y, low, high, target, targetLabel = "target", tickFormat, yLabel = null, height = 240, color = "var(--theme-foreground-focus)"} = {}) {
  const rows = data.filter((d) => d[y] != null).map((d) => ({...d, __x: asDate(d[x])}));
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    x: {type: "utc", label: null},
    y: {label: yLabel, grid: true, tickFormat, nice: true},
    marks: [
      low && high ? Plot.areaY(rows, {x: "__x", y1: low, y2: high, fill: color, fillOpacity: 0.15, curve: "monotone-x"}) : null,
      target != null ? Plot.ruleY([target], {stroke: "var(--theme-red, #d62728)", strokeDasharray: "4,3"}) : null,
      target != null ? Plot.text([target], {y: (d) => d, frameAnchor: "right", dy: -6, text: () => targetLabel, fill: "var(--theme-red, #d62728)", fontSize: 10}) : null,
      Plot.lineY(rows, {x: "__x", y, stroke: color, strokeWidth: 2, curve: "monotone-x"}),
      Plot.dot(rows, {x: "__x", y, fill: color, r: 2.5, tip: true, title: (d) => `${String(d[x]).slice(0, 7)}: ${tickFormat ? tickFormat(d[y]) : d[y]}`}),
    ],
  });
}

/** Several monthly lines, one per `series` value. */
export function multiLineChart(data, {width, x = "month", y, series, tickFormat, yLabel = null, height = 260} = {}) {
  const rows = data.filter((d) => d[y] != null).map((d) => ({...d, __x: asDate(d[x])}));
  return Plot.plot({
    width,
    height,
    marginLeft: 56,
    color: {legend: true},
    x: {type: "utc", label: null},
    y: {label: yLabel, grid: true, tickFormat, nice: true},
    marks: [Plot.lineY(rows, {x: "__x", y, stroke: series, strokeWidth: 1.8, tip: true})],
  });
}

/** A tiny trend line for scorecard tiles, with the target as a dashed rule. */
export function sparkline(values, {width = 160, height = 36, target} = {}) {
  const rows = values.filter((d) => d.value != null).map((d) => ({...d, __x: asDate(d.period)}));
  return Plot.plot({
    width,
    height,
    margin: 3,
    axis: null,
    x: {type: "utc"},
    y: {nice: false, domain: d3.extent([...rows.map((d) => d.value), ...(target != null ? [target] : [])])},
    marks: [
      target != null ? Plot.ruleY([target], {stroke: "currentColor", strokeOpacity: 0.35, strokeDasharray: "3,2"}) : null,
      Plot.lineY(rows, {x: "__x", y: "value", stroke: "var(--theme-foreground-focus)", strokeWidth: 1.5}),
      Plot.dot(rows.slice(-1), {x: "__x", y: "value", fill: "var(--theme-foreground-focus)", r: 2.5}),
    ],
  });
}

/** Horizontal bars, sorted by value; `x` is the measure, `y` the category. */
export function barChart(data, {width, x, y, tickFormat, xLabel = null, fill = "var(--theme-foreground-focus)", height, sort = true, marginLeft = 110} = {}) {
  const rows = data.filter((d) => d[x] != null);
  return Plot.plot({
    width,
    height: height ?? Math.max(120, rows.length * 22 + 40),
    marginLeft,
    x: {label: xLabel, grid: true, tickFormat, nice: true},
    // Unsorted bars keep the order of the data (e.g. value bands), not Plot's alphabetical default.
    y: {label: null, domain: sort ? undefined : rows.map((d) => d[y])},
    marks: [
      Plot.barX(rows, {x, y, fill, sort: sort ? {y: "-x"} : undefined, tip: true}),
      Plot.ruleX([0]),
    ],
  });
}

/** Estimates with 95% intervals as horizontal error bars; rows without an interval are drawn hollow. */
export function intervalChart(data, {width, y, x, low, high, tickFormat, xLabel = null, reference = 0, marginLeft = 140} = {}) {
  const rows = data.filter((d) => d[x] != null);
  return Plot.plot({
    width,
    height: Math.max(120, rows.length * 28 + 50),
    marginLeft,
    x: {label: xLabel, grid: true, tickFormat, nice: true},
    y: {label: null},
    marks: [
      Plot.ruleX([reference], {stroke: "currentColor", strokeOpacity: 0.5}),
      Plot.ruleY(rows.filter((d) => d[low] != null && d[high] != null), {y, x1: low, x2: high, stroke: "var(--theme-foreground-focus)", strokeWidth: 2}),
      Plot.dot(rows, {x, y, r: 4, fill: (d) => (d[low] != null ? "var(--theme-foreground-focus)" : "none"), stroke: "var(--theme-foreground-focus)", tip: true}),
    ],
  });
}

/** Cohort heatmap: rows are cohorts, columns periods since start, colour the rate (0–1). */
export function heatmap(data, {width, x, y, fill, tickFormat = d3.format(".0%"), xLabel = null, yLabel = null} = {}) {
  const ys = [...new Set(data.map((d) => d[y]))];
  return Plot.plot({
    width,
    height: Math.max(160, ys.length * 16 + 60),
    marginLeft: 70,
    padding: 0.05,
    x: {label: xLabel, type: "band"},
    y: {label: yLabel, type: "band", domain: ys},
    color: {scheme: "blues", legend: true, tickFormat, domain: [0, 1]},
    marks: [Plot.cell(data, {x, y, fill, tip: true, title: (d) => `${d[y]} +${d[x]}: ${tickFormat(d[fill])}`})],
  });
}

/** Stacked or grouped share bars (e.g. customers by segment). */
export function stackedBar(data, {width, x, y, fill, tickFormat, xLabel = null, height} = {}) {
  return Plot.plot({
    width,
    height: height ?? 60 + new Set(data.map((d) => d[y])).size * 26,
    marginLeft: 110,
    color: {legend: true},
    x: {label: xLabel, grid: true, tickFormat},
    y: {label: null},
    marks: [Plot.barX(data, {x, y, fill, tip: true}), Plot.ruleX([0])],
  });
}

/** Kaplan–Meier-style step curves with interval bands, one per `series`. */
export function survivalChart(data, {width, x = "months_since_first", y = "survival", low = "survival_ci_low", high = "survival_ci_high", series = "segment", height = 260} = {}) {
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    color: {legend: true},
    x: {label: "months since first purchase →"},
    y: {label: "↑ share not yet churned", domain: [0, 1], tickFormat: d3.format(".0%"), grid: true},
    marks: [
      Plot.areaY(data.filter((d) => d[low] != null), {x, y1: low, y2: high, fill: series, fillOpacity: 0.12, curve: "step-after"}),
      Plot.lineY(data, {x, y, stroke: series, curve: "step-after", tip: true}),
    ],
  });
}

/** Layered lineage graph: sources → staging → intermediate → marts, an edge per table read. */
export function lineageGraph({nodes, edges}, {width, highlight} = {}) {
  const layers = [...new Set(nodes.map((n) => n.layer))];
  const pos = new Map();
  const counts = new Map();
  for (const n of nodes) {
    const i = counts.get(n.layer) ?? 0;
    counts.set(n.layer, i + 1);
    pos.set(n.name, {x: layers.indexOf(n.layer), y: i, ...n});
  }
  const rows = Math.max(...counts.values());
  const links = edges.filter((e) => pos.has(e.from) && pos.has(e.to)).map((e) => ({from: pos.get(e.from), to: pos.get(e.to), hot: highlight && (e.from === highlight || e.to === highlight)}));
  return Plot.plot({
    width: Math.max(width, 640),
    height: rows * 15 + 50,
    marginLeft: 10,
    marginRight: 150,
    x: {axis: "top", label: null, domain: layers.map((_, i) => i), tickFormat: (i) => layers[i], type: "point", padding: 0.1},
    y: {axis: null, domain: [rows, -1]},
    marks: [
      Plot.link(links, {x1: (d) => d.from.x, y1: (d) => d.from.y, x2: (d) => d.to.x, y2: (d) => d.to.y, stroke: (d) => (d.hot ? "var(--theme-foreground-focus)" : "currentColor"), strokeOpacity: (d) => (d.hot ? 0.9 : 0.15), curve: "bump-x"}),
      Plot.dot([...pos.values()], {x: "x", y: "y", r: 3, fill: "layer", tip: true, title: (d) => `${d.name} (${d.layer}, ${d.materialization})${d.description ? `\n${d.description}` : ""}`}),
      Plot.text([...pos.values()], {x: "x", y: "y", text: "name", dx: 6, textAnchor: "start", fontSize: 9}),
    ],
  });
}

/** A left-to-right funnel: each step's count with its share of the first step. */
export function funnelChart(steps, {width, x = "count", y = "step"} = {}) {
  const first = steps[0]?.[x] || 1;
  return Plot.plot({
    width,
    height: steps.length * 34 + 40,
    marginLeft: 190,
    x: {label: null, grid: true},
    y: {label: null, domain: steps.map((d) => d[y])},
    marks: [
      Plot.barX(steps, {x, y, fill: "var(--theme-foreground-focus)", fillOpacity: 0.8}),
      Plot.text(steps, {x, y, text: (d) => `${d3.format(",")(d[x])} (${d3.format(".0%")(d[x] / first)})`, dx: 4, textAnchor: "start", fill: "currentColor"}),
    ],
  });
}
