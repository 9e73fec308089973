import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { load } from "../loaders/load.ts";
import { planFromConfig } from "../loaders/load-config.ts";
import { planFromFolder } from "../loaders/source-folder.ts";
import type { LoadPlan } from "../loaders/load-plan.ts";

const fixtures = resolve(import.meta.dirname, "fixtures/load");

async function loadPlan(plan: LoadPlan) {
  const w = await openWarehouse(":memory:");
  const summary = await load(w.db, plan);
  const quarantine = await queryRows(w.db, `select line, "column", value, reason from load_quarantine order by line, "column"`);
  return { w, summary, quarantine };
}

describe("deliberately broken orders file", () => {
  it("quarantines every bad row with its physical line, column, value and reason", async () => {
    const { w, summary, quarantine } = await loadPlan(planFromFolder(resolve(fixtures, "broken")));
    expect(quarantine).toEqual([
      { line: 3, column: "ordered_at", value: "2024-13-45 09:00:00", reason: "not a date and time: '2024-13-45 09:00:00'" },
      { line: 4, column: "gross_amount", value: "12a.5", reason: "not a number: '12a.5'" },
      { line: 5, column: "customer_id", value: null, reason: "required value missing" },
      { line: 6, column: "order_id", value: null, reason: "required value missing" },
      { line: 7, column: "status", value: "done", reason: "not one of completed, cancelled, refunded, partially_refunded: 'done'" },
      { line: 8, column: "discount_amount", value: "-5", reason: "below the minimum 0: '-5'" },
      { line: 12, column: "order_id", value: "O9", reason: "duplicate key order_id=O9 with different values; line 13 kept" },
      { line: 15, column: null, value: "O11,C11,2024-01-12 10:00:00,compl", reason: "malformed CSV line: expected 7 columns, found 4" },
    ]);
    // 13 records (line 9–10 is one record with a quoted newline): 4 loaded, 8 quarantined, 1 exact copy of line 2 dropped.
    expect(summary.audit.map((a) => [a.rows_read, a.rows_loaded, a.rows_quarantined, a.duplicates_dropped])).toEqual([[13, 4, 8, 1]]);
    const raw = await queryRows(w.db, "select order_id, customer_id, channel, gross_amount, discount_amount, _line from raw_orders order by _line");
    expect(raw).toEqual([
      { order_id: "O8", customer_id: "C8", channel: "online\nshop", gross_amount: 40, discount_amount: 0, _line: 9 },
      { order_id: "O1", customer_id: "C1", channel: "online", gross_amount: 100, discount_amount: 0, _line: 11 },
      { order_id: "O9", customer_id: "C9", channel: "online", gross_amount: 11, discount_amount: 0, _line: 13 },
      { order_id: "O10", customer_id: "C10", channel: "online", gross_amount: 2500, discount_amount: 0, _line: 14 },
    ]);
    const [audit] = await queryRows(w.db, "select entity, file, rows_read, rows_loaded, rows_quarantined, duplicates_dropped from load_audit");
    expect(audit).toEqual({ entity: "orders", file: resolve(fixtures, "broken/orders.csv"), rows_read: 13, rows_loaded: 4, rows_quarantined: 8, duplicates_dropped: 1 });
    w.close();
  });
});

describe("real-export CSV layouts", () => {
  it("reads a BOM, CRLF, a quoted newline, Chinese text, yes/no spellings and blank trailing lines", async () => {
    const { w, summary, quarantine } = await loadPlan(planFromFolder(resolve(fixtures, "crlf-bom")));
    expect(quarantine).toEqual([
      { line: 5, column: "signup_date", value: "2023-02-30", reason: "not a date: '2023-02-30'" },
      { line: 6, column: "is_member", value: "maybe", reason: "not a yes/no value (true, yes, 1, 是, false, no, 0, 否): 'maybe'" },
    ]);
    expect(summary.audit.map((a) => [a.rows_read, a.rows_loaded, a.rows_quarantined, a.duplicates_dropped])).toEqual([[4, 2, 2, 0]]);
    const raw = await queryRows(w.db, "select customer_id, customer_type, name, city, signup_date, is_member, tier, address, _line from raw_customers order by customer_id");
    expect(raw).toEqual([
      { customer_id: "K1", customer_type: "ToC", name: "张伟", city: "上海", signup_date: "2023-02-01", is_member: true, tier: "gold", address: "浦东新区\r\n世纪大道 1 号", _line: 2 },
      { customer_id: "K2", customer_type: "ToB", name: null, city: "北京", signup_date: "2023-03-15", is_member: false, tier: null, address: null, _line: 4 },
    ]);
    w.close();
  });

  it("detects a GBK file and reads it as GB18030", async () => {
    const { w, quarantine } = await loadPlan(planFromFolder(resolve(fixtures, "gbk")));
    expect(quarantine).toEqual([]);
    expect(await queryRows(w.db, "select customer_id, name, city, _line from raw_customers order by customer_id")).toEqual([
      { customer_id: "G1", name: "张伟", city: "上海", _line: 2 },
      { customer_id: "G2", name: "李娜", city: "北京", _line: 3 },
      { customer_id: "G3", name: null, city: "广州", _line: 4 },
    ]);
    w.close();
  });
});
