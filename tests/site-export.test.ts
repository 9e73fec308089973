// The advisors' call list: contact details leave the warehouse only through this CLI export (never the
// site). Checked against the demo warehouse the site tests build.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CALL_LIST_COLUMNS, excelCsv } from "../lib/cli/commands/export.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { demoSite, lens, ROOT, type DemoSite } from "./util/site.ts";

let site: DemoSite;
beforeAll(async () => {
  site = await demoSite();
});

/** Minimal RFC 4180 parser for the checks (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      (row = []), (field = ""), i++;
    } else field += ch;
  }
  return rows;
}

describe("excelCsv", () => {
  it("writes a BOM, CRLF rows and RFC 4180 quoting", () => {
    const csv = excelCsv([{ a: "x,y", b: '他说"好"', c: null }, { a: "plain", b: 3, c: "line\nbreak" }], ["a", "b", "c"]);
    expect(csv).toBe('\uFEFFa,b,c\r\n"x,y","他说""好""",\r\nplain,3,"line\nbreak"\r\n');
  });
});

describe("lens export call-list", () => {
  it("lists every early-warning customer by risk rank with the contact details of the CRM", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "lens-call-list-")), "call-list.csv");
    await lens(["export", "call-list", "--warehouse", site.warehouse, "--out", out]);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString("utf8"));
    expect(header).toEqual([...CALL_LIST_COLUMNS]);
    const w = await openWarehouse(site.warehouse, { readOnly: true });
    const [{ n }] = await queryRows<{ n: number }>(w.db, "select count(*) as n from churn_early_warning");
    const col = (name: string) => header.indexOf(name);
    // Compare a sample of rows with the CRM master, read independently of the export's join.
    const sample = [rows[0], rows[Math.floor(rows.length / 2)], rows.at(-1)!];
    const crm = await queryRows<{ customer_id: string; name: string | null; phone: string | null; email: string | null }>(
      w.db,
      "select customer_id, name, phone, email from raw_customers where customer_id in (?, ?, ?)",
      sample.map((r) => r[col("customer_id")]),
    );
    w.close();
    expect(n).toBeGreaterThan(0);
    expect(rows).toHaveLength(n);
    expect(rows.map((r) => Number(r[col("risk_rank")]))).toEqual(rows.map((_, i) => i + 1));
    for (const r of sample) {
      const c = crm.find((x) => x.customer_id === r[col("customer_id")])!;
      expect([r[col("name")], r[col("phone")], r[col("email")]]).toEqual([c.name ?? "", c.phone ?? "", c.email ?? ""]);
    }
    expect(rows.some((r) => /\p{Script=Han}/u.test(r[col("name")]))).toBe(true);
  });

  it("--overdue-only keeps the customers past the advisor deadline", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "lens-call-list-")), "overdue.csv");
    await lens(["export", "call-list", "--warehouse", site.warehouse, "--out", out, "--overdue-only", "--limit", "100000"]);
    const [header, ...rows] = parseCsv(readFileSync(out, "utf8").slice(1));
    const w = await openWarehouse(site.warehouse, { readOnly: true });
    const [{ n }] = await queryRows<{ n: number }>(w.db, "select count(*) as n from churn_early_warning where advisor_overdue");
    w.close();
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r[header.indexOf("advisor_overdue")]))).toEqual(new Set(n ? ["true"] : []));
  });

  it("refuses to write into the published site", async () => {
    const error = await lens(["export", "call-list", "--warehouse", site.warehouse, "--out", join(ROOT, "dist/call-list.csv")]).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/refusing to write the call list into dist/);
  });
});
