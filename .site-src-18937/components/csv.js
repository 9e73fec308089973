// CSV downloads that Excel opens correctly with Chinese text: UTF-8 with a byte-order mark, CRLF rows,
// RFC 4180 quoting. Excel without the BOM reads UTF-8 as the local ANSI code page and garbles 中文.

/** CSV text (without BOM) for rows; `columns` fixes order and header. */
export function toCsv(rows, columns = rows.length ? Object.keys(rows[0]) : []) {
  const cell = (v) => {
    if (v == null) return "";
    const s = v instanceof Date ? v.toISOString() : String(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.map(cell).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** A "Download CSV" button that saves `rows()` (a function, so it reflects current filters). */
export function downloadButton(rows, filename, {columns, label = "Download CSV"} = {}) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "lens-download";
  button.textContent = `⬇ ${label}`;
  button.title = `${filename} (UTF-8 CSV, opens in Excel)`;
  button.onclick = () => {
    const data = typeof rows === "function" ? rows() : rows;
    const blob = new Blob(["\uFEFF", toCsv(data, columns ?? (data.length ? Object.keys(data[0]) : []))], {type: "text/csv;charset=utf-8"});
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = filename.endsWith(".csv") ? filename : `${filename}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return button;
}
