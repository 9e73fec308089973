// Page data files store wide tables column-wise ({col: [...]}) to stay small; this turns them back into rows.

/** Rows from an array of rows or a column object. */
export function rowsOf(table) {
  if (Array.isArray(table)) return table;
  if (!table || typeof table !== "object") return [];
  const names = Object.keys(table);
  const n = names.length ? table[names[0]].length : 0;
  return Array.from({length: n}, (_, i) => Object.fromEntries(names.map((k) => [k, table[k][i]])));
}

/** "2025-07-01" → "2025-07"; quarters → "2025 Q3". */
export function periodLabel(periodStart, periodType = "month") {
  const s = String(periodStart);
  if (periodType === "quarter") return `${s.slice(0, 4)} Q${Math.floor((Number(s.slice(5, 7)) - 1) / 3) + 1}`;
  return s.slice(0, 7);
}

/** Friendly names for dimension and segment codes used by the marts. */
export const LABELS = {
  all: "All",
  touchpoint: "Touchpoint",
  customer_type: "Business type",
  tier: "Tier",
  channel: "Channel",
  acquisition_channel: "Acquisition channel",
  region: "Region",
  pre_sale: "Pre-sale 售前",
  purchase: "Purchase 售中",
  after_sale: "After-sale 售后",
  loyalty: "Loyalty program",
};

export const label = (v) => LABELS[v] ?? v;

/**
 * The latest monthly row that is not a thin partial month: a last month with fewer than half the median
 * responses (the as-of month still filling up) gives way to the month before.
 */
export function latestFull(rows, n = "responses") {
  if (rows.length < 2) return rows.at(-1);
  const sorted = rows.map((d) => d[n] ?? 0).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const last = rows.at(-1);
  return (last[n] ?? 0) < median / 2 ? rows.at(-2) : last;
}
