// Tables with a CSV download under them: the same rows the reader sees, UTF-8 with BOM for Excel.
import * as Inputs from "@observablehq/inputs";
import {downloadButton} from "./csv.js";
import {el} from "./dom.js";

/**
 * A sortable table plus a "Download CSV" button. `columns` is [[key, header, format?], …]; the CSV
 * uses the raw values (not the formatted text) so Excel gets numbers.
 */
export function dataTable(rows, {columns, filename, rowsShown = 12, width} = {}) {
  const keys = columns ? columns.map((c) => c[0]) : rows.length ? Object.keys(rows[0]) : [];
  const header = Object.fromEntries((columns ?? []).map(([k, h]) => [k, h]));
  const format = Object.fromEntries((columns ?? []).filter((c) => c[2]).map(([k, , f]) => [k, (v) => f(v)]));
  const table = Inputs.table(rows, {columns: keys, header, format, rows: rowsShown, select: false, width});
  return el("div", {class: "lens-table"}, table, downloadButton(rows, filename, {columns: keys}));
}
