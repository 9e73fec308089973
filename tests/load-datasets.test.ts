import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Warehouse } from "../lib/warehouse/open.ts";
import type { LoadSummary } from "../loaders/load.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { load } from "../loaders/load.ts";
import { planFromConfig } from "../loaders/load-config.ts";

// The real public datasets live beside the repository and are never copied into it; these tests must run in CI.
const repoRoot = resolve(import.meta.dirname, "..");
const datasets = resolve(repoRoot, "../shared/datasets");
const examples = resolve(repoRoot, "loaders/examples");

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Minimal RFC 4180 split of one line (the datasets have no quoted newlines). */
function csvFields(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}

function dataLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "");
}

async function loadConfig(name: string) {
  const w = await openWarehouse(":memory:");
  const summary = await load(w.db, planFromConfig(resolve(examples, name)));
  return { w, summary };
}

describe("CDNOW", () => {
  for (const [config, file, header, stated] of [
    ["cdnow.json", "CDNOW_sample.txt", false, { rows: 6919, customers: 2357, dollars: 244091.94 }],
    ["cdnow-master.json", "CDNOW_master.txt", true, { rows: 69659, customers: 23570, dollars: 2500315.63 }],
  ] as const) {
    it(`${config} loads every purchase of ${file} as a completed order`, async () => {
      const lines = dataLines(readFileSync(resolve(datasets, "cdnow", file), "utf8")).slice(header ? 1 : 0);
      const fields = lines.map((l) => l.trim().split(/\s+/));
      const dollars = round2(fields.reduce((s, f) => s + Number(f[f.length - 1]), 0));
      const customers = new Set(fields.map((f) => f[0])).size;
      // The README's numbers and ours agree before the loader is asked anything.
      expect([lines.length, customers, dollars]).toEqual([stated.rows, stated.customers, stated.dollars]);

      const { w, summary } = await loadConfig(config);
      expect(summary.audit.map((a) => [a.rows_read, a.rows_loaded, a.rows_quarantined, a.duplicates_dropped])).toEqual([[stated.rows, stated.rows, 0, 0]]);
      const [got] = await queryRows<{ n: number; ids: number; customers: number; dollars: number; statuses: string[]; first: string; last: string }>(
        w.db,
        `select count(*) as n, count(distinct order_id) as ids, count(distinct customer_id) as customers, round(sum(gross_amount), 2) as dollars,
                list(distinct status) as statuses, min(ordered_at)::varchar as first, max(ordered_at)::varchar as last from raw_orders`,
      );
      expect(got).toEqual({ n: stated.rows, ids: stated.rows, customers: stated.customers, dollars: stated.dollars, statuses: ["completed"], first: "1997-01-01 00:00:00", last: "1998-06-30 00:00:00" });
      w.close();
    });
  }
});

describe("UCI Online Retail", () => {
  // One load of both entities serves both tests: it is the slowest step.
  let w: Warehouse;
  let summary: LoadSummary;
  beforeAll(async () => {
    ({ w, summary } = await loadConfig("online-retail.json"));
  });
  afterAll(() => w.close());

  it("loads invoices as orders: returns as refunds, invoices without a customer quarantined", async () => {
    const rows = dataLines(readFileSync(resolve(datasets, "online-retail/online_retail_invoices.csv"), "utf8")).slice(1).map(csvFields);
    // InvoiceNo, CustomerID, InvoiceDate, Country, lines, quantity, revenue, is_cancellation
    const withCustomer = rows.filter((r) => r[1] !== "");
    const withoutCustomer = rows.filter((r) => r[1] === "");
    const returns = withCustomer.filter((r) => r[0].startsWith("C"));
    const netRevenue = round2(withCustomer.reduce((s, r) => s + Number(r[6]), 0));
    expect([rows.length, withCustomer.length, rows.filter((r) => r[0].startsWith("C")).length]).toEqual([25900, 22190, 3836]);
    expect(round2(rows.reduce((s, r) => s + Number(r[6]), 0))).toBe(9747747.93);

    const orders = summary.audit.find((a) => a.entity === "orders")!;
    expect([orders.rows_read, orders.rows_loaded, orders.rows_quarantined, orders.duplicates_dropped]).toEqual([25900, 22190, 3710, 0]);
    expect(withoutCustomer.length).toBe(3710);

    const quarantined = await queryRows<{ line: number; column: string; value: string | null; reason: string }>(
      w.db,
      `select line, "column", value, reason from load_quarantine where entity = 'orders' order by line`,
    );
    const expectedLines = rows.map((r, i) => (r[1] === "" ? i + 2 : 0)).filter((l) => l > 0);
    expect(quarantined.map((q) => q.line)).toEqual(expectedLines);
    expect(new Set(quarantined.map((q) => `${q.column}|${q.value}|${q.reason}`))).toEqual(new Set(["customer_id|null|required value missing"]));

    const [got] = await queryRows<{ refunded: number; net: number; refunds: number }>(
      w.db,
      `select count(*) filter (where status = 'refunded') as refunded,
              round(sum(gross_amount - coalesce(refund_amount, 0)), 2) as net,
              round(sum(refund_amount), 2) as refunds from raw_orders`,
    );
    expect(got).toEqual({ refunded: returns.length, net: netRevenue, refunds: round2(-returns.reduce((s, r) => s + Number(r[6]), 0)) });
  });

  it("loads every invoice line, negative quantities included", async () => {
    const lines = dataLines(gunzipSync(readFileSync(resolve(datasets, "online-retail/online_retail.csv.gz"))).toString("utf8")).slice(1).map(csvFields);
    // InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country
    const quantity = lines.reduce((s, r) => s + Number(r[3]), 0);
    const negative = lines.filter((r) => Number(r[3]) < 0).length;
    const customers = lines.filter((r) => r[6] !== "").length;
    expect([lines.length, customers, new Set(lines.map((r) => r[0])).size]).toEqual([541909, 541909 - 135080, 25900]);

    const audit = summary.audit.find((a) => a.entity === "order_lines")!;
    expect([audit.rows_read, audit.rows_loaded, audit.rows_quarantined, audit.duplicates_dropped]).toEqual([541909, 541909, 0, 0]);
    const [got] = await queryRows<{ n: number; quantity: number; negative: number; customers: number; orders: number; max_line: number }>(
      w.db,
      `select count(*) as n, sum(quantity) as quantity, count(*) filter (where quantity < 0) as negative, count(customer_id) as customers,
              count(distinct order_id) as orders, max(line_number) as max_line from raw_order_lines`,
    );
    const perInvoice = new Map<string, number>();
    for (const r of lines) perInvoice.set(r[0], (perInvoice.get(r[0]) ?? 0) + 1);
    expect(got).toEqual({ n: 541909, quantity, negative, customers, orders: 25900, max_line: Math.max(...perInvoice.values()) });
  });
});
