// Executive filters (period, business type, tier, channel, region) over the pre-aggregated slices
// data, with the state kept in the URL query string so a filtered view can be shared as a link.
// The slices are business type × one of tier / channel / region (see src/data/slices.json.ts), so
// choosing a tier, channel or region resets the other two.
import {el} from "./dom.js";

export const FILTER_KEYS = ["period", "type", "tier", "channel", "region"];
const EXCLUSIVE = ["tier", "channel", "region"];
const LABELS = {period: "Period", type: "Business type", tier: "Tier", channel: "Acquisition channel", region: "Region"};
const ALL = "*";

/** Period choices for the months present: rolling windows, then years and quarters, newest first. */
export function periodOptions(months) {
  const years = [...new Set(months.map((m) => m.slice(0, 4)))].sort().reverse();
  const quarters = [...new Set(months.map(quarterOf))].sort().reverse();
  return [
    ["last12", "Last 12 months"],
    ["last3", "Last 3 months"],
    ...years.map((y) => [y, y]),
    ...quarters.map((q) => [q, q.replace("Q", " Q")]),
  ];
}

/** "2025-08" → "2025Q3". */
export function quarterOf(month) {
  return `${month.slice(0, 4)}Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The months (sorted "YYYY-MM") a period choice covers. */
export function periodMonths(period, months) {
  const sorted = [...months].sort();
  if (period === "last12") return sorted.slice(-12);
  if (period === "last3") return sorted.slice(-3);
  if (/^\d{4}Q\d$/.test(period)) return sorted.filter((m) => quarterOf(m) === period);
  if (/^\d{4}$/.test(period)) return sorted.filter((m) => m.startsWith(period));
  return sorted.slice(-12);
}

/** The filter state in a query string, with defaults and unknown values dropped. */
export function readFilters(search, {dims, months}) {
  const params = new URLSearchParams(search);
  const state = {period: "last12", type: ALL, tier: ALL, channel: ALL, region: ALL};
  const periods = new Set(periodOptions(months).map(([v]) => v));
  if (periods.has(params.get("period"))) state.period = params.get("period");
  for (const k of ["type", ...EXCLUSIVE]) {
    const v = params.get(k);
    if (v != null && dims[k]?.includes(v)) state[k] = v;
  }
  const set = EXCLUSIVE.filter((k) => state[k] !== ALL);
  for (const k of set.slice(1)) state[k] = ALL;
  return state;
}

/** The query string for a filter state; defaults are left out so the plain URL is the default view. */
export function filtersToSearch(state) {
  const params = new URLSearchParams();
  if (state.period !== "last12") params.set("period", state.period);
  for (const k of ["type", ...EXCLUSIVE]) if (state[k] !== ALL) params.set(k, state[k]);
  const s = params.toString();
  return s ? `?${s}` : "";
}

/**
 * A filter bar usable with Framework's view(): its value is the filter state; every change updates
 * the URL (replaceState, so Back leaves the page) and fires "input".
 */
export function filterBar({dims, months}) {
  const form = el("form", {class: "lens-filters", "aria-label": "Filters", onsubmit: (e) => e.preventDefault()});
  form.value = readFilters(location.search, {dims, months});
  const selects = {};
  const choice = (key, options) => {
    const select = el(
      "select",
      {name: key, "data-filter": key},
      options.map(([v, label]) => el("option", {value: v, selected: form.value[key] === v}, label)),
    );
    select.addEventListener("input", (e) => e.stopPropagation());
    select.addEventListener("change", () => {
      const next = {...form.value, [key]: select.value};
      if (EXCLUSIVE.includes(key) && select.value !== ALL) for (const k of EXCLUSIVE) if (k !== key) next[k] = ALL;
      form.value = next;
      for (const [k, s] of Object.entries(selects)) s.value = next[k];
      history.replaceState(history.state, "", `${location.pathname}${filtersToSearch(next)}${location.hash}`);
      form.dispatchEvent(new Event("input", {bubbles: true}));
    });
    selects[key] = select;
    return el("label", {}, el("span", {}, LABELS[key]), select);
  };
  const all = (key, label = "All") => [[ALL, label], ...dims[key].map((v) => [v, v])];
  form.append(
    choice("period", periodOptions(months)),
    choice("type", all("type", "ToB + ToC")),
    choice("tier", all("tier")),
    choice("channel", all("channel")),
    choice("region", all("region")),
    el("small", {class: "muted"}, "Tier, channel and region combine with business type one at a time."),
  );
  return form;
}

/** A one-line description of the filter state for chart subtitles and file names. */
export function describeFilters(state) {
  const parts = [];
  if (state.type !== ALL) parts.push(state.type);
  for (const k of EXCLUSIVE) if (state[k] !== ALL) parts.push(`${LABELS[k].toLowerCase()} ${state[k]}`);
  return parts.length ? parts.join(", ") : "all customers";
}

/**
 * A labelled select whose value lives in the URL query string under `key` (shareable views).
 * `options` is [[value, label], …]; the first option is the default and is left out of the URL.
 */
export function urlSelect(key, options, {label = key} = {}) {
  const values = options.map(([v]) => String(v));
  const fromUrl = new URLSearchParams(location.search).get(key);
  const select = el("select", {name: key, "data-filter": key}, options.map(([v, text]) => el("option", {value: v}, text)));
  select.value = values.includes(fromUrl) ? fromUrl : values[0];
  const wrapper = el("label", {class: "lens-select"}, el("span", {}, label), select);
  wrapper.value = select.value;
  select.addEventListener("change", () => {
    wrapper.value = select.value;
    const params = new URLSearchParams(location.search);
    if (select.value === values[0]) params.delete(key);
    else params.set(key, select.value);
    const s = params.toString();
    history.replaceState(history.state, "", `${location.pathname}${s ? `?${s}` : ""}${location.hash}`);
    wrapper.dispatchEvent(new Event("input", {bubbles: true}));
  });
  select.addEventListener("input", (e) => e.stopPropagation());
  return wrapper;
}

/** Filter controls laid out in a row (same look as the Overview filter bar). */
export function filterRow(...controls) {
  return el("form", {class: "lens-filters", "aria-label": "Filters", onsubmit: (e) => e.preventDefault()}, controls);
}
