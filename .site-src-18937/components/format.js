// Number formats used on every page. Money is ¥ in Chinese units: 万 (10⁴) and 亿 (10⁸), so an
// executive reads ¥128.4万 rather than ¥1,284,000; the unit is chosen per value.
import * as d3 from "d3";

const grouped = d3.format(",.0f");

/** ¥ with 万/亿 units: ¥980, ¥1.2万, ¥128.4万, ¥3.25亿. */
export function yuan(value) {
  if (value == null || !Number.isFinite(value)) return "–";
  const sign = value < 0 ? "−" : "";
  const v = Math.abs(value);
  if (v >= 1e8) return `${sign}¥${trim(v / 1e8, 2)}亿`;
  if (v >= 1e4) return `${sign}¥${trim(v / 1e4, v >= 1e6 ? 0 : 1)}万`;
  return `${sign}¥${grouped(v)}`;
}

/** Axis tick format for ¥ axes, same units as `yuan`. */
export const yuanTick = (v) => (v === 0 ? "0" : yuan(v));

/** A share 0–1 as a percentage: 0.923 → 92.3%. */
export function pct(value, digits = 1) {
  if (value == null || !Number.isFinite(value)) return "–";
  return `${(value * 100).toFixed(digits)}%`;
}

/** A plain number with thousands separators; `digits` decimals. */
export function num(value, digits = 0) {
  if (value == null || !Number.isFinite(value)) return "–";
  return d3.format(`,.${digits}f`)(value);
}

/** A signed change, e.g. +2.4 or −1.0; `unit` is appended (pp, %, …). */
export function signed(value, digits = 1, unit = "") {
  if (value == null || !Number.isFinite(value)) return "–";
  const s = Math.abs(value).toFixed(digits);
  return `${value > 0 ? "+" : value < 0 ? "−" : "±"}${s}${unit}`;
}

/** Format a value in the unit a KPI target declares (lib/config/lens-config.ts Target.unit). */
export function byUnit(value, unit) {
  switch (unit) {
    case "percent":
      return value == null ? "–" : Math.abs(value) <= 1.5 ? pct(value) : `${num(value, 1)}%`;
    case "yuan":
      return yuan(value);
    case "minutes":
      return value == null ? "–" : `${num(value, 0)} min`;
    case "hours":
      return value == null ? "–" : `${num(value, 1)} h`;
    case "count":
      return num(value);
    case "ratio":
      // Relative changes and ROI: 0.3 → +30.0%.
      return value == null ? "–" : signed(value * 100, 1, "%");
    default:
      return value == null ? "–" : num(value, Math.abs(value) < 10 ? 2 : 1);
  }
}

function trim(v, digits) {
  return String(Number(v.toFixed(digits)));
}

/** A change between two values of a KPI, in the unit's terms: pp for percentages, % points of ratio, min… */
export function changeByUnit(change, unit) {
  if (change == null || !Number.isFinite(change)) return "–";
  switch (unit) {
    case "percent":
      return signed(change * 100, 1, " pp");
    case "ratio":
      return signed(change * 100, 1, " pp");
    case "yuan":
      return `${change >= 0 ? "+" : "−"}${yuan(Math.abs(change))}`;
    case "minutes":
      return signed(change, 0, " min");
    case "hours":
      return signed(change, 1, " h");
    default:
      return signed(change, Math.abs(change) < 10 ? 2 : 1);
  }
}
