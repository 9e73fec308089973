import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { load } from "../loaders/load.ts";
import { planFromConfig, planFromLoadConfig, LoadConfig } from "../loaders/load-config.ts";
import { planFromFolder } from "../loaders/source-folder.ts";
import type { LoadPlan } from "../loaders/load-plan.ts";

const fixtures = resolve(import.meta.dirname, "fixtures/load");

async function loadPlan(plan: LoadPlan) {
  const w = await openWarehouse(":memory:");
  const summary = await load(w.db, plan);
  const quarantine = await queryRows(w.db, `select line, "column", value, reason from load_quarantine order by line, "column"`);
  const counts = summary.audit.map((a) => [a.rows_read, a.rows_loaded, a.rows_quarantined, a.duplicates_dropped]);
  return { w, summary, quarantine, counts };
}

function configPlan(dir: string, entities: unknown): LoadPlan {
  return planFromLoadConfig(LoadConfig.parse({ entities }), dir, "test config");
}

describe("encodings", () => {
  it("reads a GBK file whose encoding is declared", async () => {
    const { w, quarantine, counts } = await loadPlan(configPlan(resolve(fixtures, "gbk"), { customers: { file: "customers.csv", encoding: "gbk" } }));
    expect(quarantine).toEqual([]);
    expect(counts).toEqual([[3, 3, 0, 0]]);
    expect(await queryRows(w.db, "select name from raw_customers order by customer_id")).toEqual([{ name: "张伟" }, { name: "李娜" }, { name: null }]);
    w.close();
  });

  it("quarantines every line of a GBK file declared as UTF-8, instead of loading mojibake", async () => {
    const { w, quarantine, counts } = await loadPlan(configPlan(resolve(fixtures, "gbk-as-utf8"), { customers: { file: "customers.csv", encoding: "utf-8" } }));
    // DuckDB shows the undecodable bytes as '?'.
    expect(quarantine).toEqual([
      { line: 2, column: null, value: "G1,ToC,??ΰ,????,2023-02-01", reason: "malformed CSV line: not valid UTF-8" },
      { line: 3, column: null, value: "G2,ToC,????,????,2023-03-15", reason: "malformed CSV line: not valid UTF-8" },
      { line: 4, column: null, value: "G3,ToB,,?????2023-04-01", reason: "malformed CSV line: not valid UTF-8" },
    ]);
    expect(counts).toEqual([[3, 0, 3, 0]]);
    expect(await queryRows(w.db, "select count(*) as n from raw_customers")).toEqual([{ n: 0 }]);
    w.close();
  });
});

describe("malformed lines in a CRLF file", () => {
  it("reports too few and too many columns with the line as it was, without its line break", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-crlf-"));
    writeFileSync(join(dir, "customers.csv"), "customer_id,customer_type,signup_date\r\nA,ToC,2024-01-01\r\nB,ToC\r\n\r\nC,ToC,2024-01-01,x\r\nD,ToB,2024-01-02\r\n");
    const { w, quarantine, counts } = await loadPlan(planFromFolder(dir));
    expect(quarantine).toEqual([
      { line: 3, column: null, value: "B,ToC", reason: "malformed CSV line: expected 3 columns, found 2" },
      { line: 5, column: null, value: "C,ToC,2024-01-01,x", reason: "malformed CSV line: expected 3 columns, found 4" },
    ]);
    expect(counts).toEqual([[4, 2, 2, 0]]);
    expect(await queryRows(w.db, "select customer_id, _line from raw_customers order by 1")).toEqual([
      { customer_id: "A", _line: 2 },
      { customer_id: "D", _line: 6 },
    ]);
    w.close();
  });
});

describe("quotes", () => {
  it("treats a quote inside an unquoted field as text, reads doubled quotes, and keeps line numbers after them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-quotes-"));
    writeFileSync(
      join(dir, "customers.csv"),
      'customer_id,customer_type,name,signup_date\nA,ToC,5" screen fan,2024-01-01\nB,ToC,"say ""hi""\nthere",2024-01-02\nC,ToB,plain,2024-01-03\nD,ToC,"never closed,2024-01-04\nE,ToC,x,2024-01-05\n',
    );
    const { w, quarantine, counts } = await loadPlan(planFromFolder(dir));
    // An unterminated quote swallows the rest of the file into one record, as in any CSV reader.
    expect(quarantine).toEqual([
      { line: 6, column: null, value: 'D,ToC,"never closed,2024-01-04\nE,ToC,x,2024-01-05', reason: "malformed CSV line: unterminated or misplaced quote" },
    ]);
    expect(counts).toEqual([[4, 3, 1, 0]]);
    expect(await queryRows(w.db, "select customer_id, name, _line from raw_customers order by 1")).toEqual([
      { customer_id: "A", name: '5" screen fan', _line: 2 },
      { customer_id: "B", name: 'say "hi"\nthere', _line: 3 },
      { customer_id: "C", name: "plain", _line: 5 },
    ]);
    w.close();
  });
});

describe("encoding detection beyond the first megabyte", () => {
  it("re-reads the whole file as GB18030 when DuckDB finds non-UTF-8 bytes late in the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-late-gbk-"));
    const ascii = Array.from({ length: 40_000 }, (_, i) => `K${i},ToC,Name ${i},2024-01-01`).join("\n");
    const gbk = Buffer.from([0xd5, 0xc5, 0xce, 0xb0]); // 张伟 in GBK
    writeFileSync(join(dir, "customers.csv"), Buffer.concat([Buffer.from(`customer_id,customer_type,name,signup_date\n${ascii}\nG1,ToC,`), gbk, Buffer.from(",2024-01-02\n")]));
    const { w, quarantine, counts } = await loadPlan(planFromFolder(dir));
    expect(quarantine).toEqual([]);
    expect(counts).toEqual([[40_001, 40_001, 0, 0]]);
    expect(await queryRows(w.db, "select name, _line from raw_customers where customer_id in ('K0', 'G1') order by _line")).toEqual([
      { name: "Name 0", _line: 2 },
      { name: "张伟", _line: 40_002 },
    ]);
    w.close();
  });
});

describe("a file larger than one read batch", () => {
  it("keeps every row's line number and every count when DuckDB reads it in batches of its own size", async () => {
    // 600 000 ledger lines of 56 bytes: about 34 MB, read in three batches of 1.75 row groups each (read-file.ts).
    const n = 600_000;
    const event = (i: number) => `L${String(i).padStart(9, "0")},C${String(i % 1000).padStart(7, "0")},2024-01-02 03:04:05,earn_signin,5,,,`;
    const lines = ["event_id,customer_id,occurred_at,event_type,points,order_id,tier_from,tier_to"];
    for (let i = 1; i <= n; i++) {
      if (i === 300_000) lines.push(""); // a blank line: every later row sits one line further down
      if (i === 450_000) lines.push(event(i).replace(",5,", ",-3,"));
      else if (i === 500_000) lines.push(`${event(i)},extra`);
      else lines.push(event(i));
    }
    lines.push(event(10)); // an exact copy of an earlier row
    const dir = mkdtempSync(join(tmpdir(), "lens-load-batches-"));
    writeFileSync(join(dir, "loyalty_events.csv"), `${lines.join("\n")}\n`);
    const { w, quarantine, counts } = await loadPlan(planFromFolder(dir));
    // Line of row i: the header is line 1, and rows from 300 000 on are one further down for the blank line.
    const lineOf = (i: number) => (i < 300_000 ? i + 1 : i + 2);
    expect(quarantine).toEqual([
      { line: lineOf(450_000), column: "points", value: "-3", reason: "below the minimum 0: '-3'" },
      { line: lineOf(500_000), column: null, value: `${event(500_000)},extra`, reason: "malformed CSV line: expected 8 columns, found 9" },
    ]);
    // Read: every row and the copy; loaded: all but the two quarantined rows and the copy.
    expect(counts).toEqual([[n + 1, n - 2, 2, 1]]);
    const [check] = await queryRows<{ rows: number; wrong: number; first: number; last: number }>(
      w.db,
      `select count(*) as rows,
         count(*) filter (_line <> case when cast(substr(event_id, 2) as integer) < 300000 then 1 else 2 end + cast(substr(event_id, 2) as integer)) as wrong,
         min(_line) as first, max(_line) as last
       from raw_loyalty_events where event_id <> 'L000000010'`,
    );
    expect(check).toEqual({ rows: n - 3, wrong: 0, first: 2, last: lineOf(n) });
    // Of the two copies of row 10, the last one stays.
    expect(await queryRows(w.db, "select _line from raw_loyalty_events where event_id = 'L000000010'")).toEqual([{ _line: lineOf(n) + 1 }]);
    w.close();
  });
});

describe("formats", () => {
  it("reads JSON lines: one row per line, blank lines skipped, a broken line quarantined", async () => {
    const { w, quarantine, counts } = await loadPlan(planFromFolder(resolve(fixtures, "jsonl")));
    expect(quarantine).toEqual([
      { line: 2, column: "score", value: "11", reason: "above the maximum 10: '11'" },
      { line: 4, column: null, value: '{"response_id":"R3","customer_id":"C3",', reason: "malformed JSON line" },
      { line: 5, column: "score", value: "7.5", reason: "not a whole number: '7.5'" },
    ]);
    expect(counts).toEqual([[4, 1, 3, 0]]);
    expect(await queryRows(w.db, "select response_id, responded_at, score, comment, _line from raw_survey_responses")).toEqual([
      { response_id: "R1", responded_at: "2024-03-01 09:30:00", score: 9, comment: "物流快", _line: 1 },
    ]);
    w.close();
  });

  it("reads Parquet (row number as _line) and gzipped CSV", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-formats-"));
    const w0 = await openWarehouse(":memory:");
    await w0.db.run(
      `copy (select * from (values ('P1', 'C1', '2024-02-01', 'expired', 'ToB'), ('P2', 'C2', '2024-02-30', 'active', 'ToB'))
         t(contract_id, customer_id, start_date, status, extra)) to '${join(dir, "contracts.parquet")}' (format parquet)`,
    );
    w0.close();
    writeFileSync(join(dir, "campaigns.csv.gz"), gzipSync("campaign_id,campaign_name,campaign_type,start_date,end_date,measurement_days,has_holdout\nX1,Spring,coupon,2024-03-01,2024-03-31,60,true\nX2,Bad,coupon,2024-03-01,2024-03-31,0,false\n"));
    const plan = planFromFolder(dir);
    expect(plan.entities.map((e) => e.entity)).toEqual(["contracts", "campaigns"]);
    // The Parquet file lacks end_date and annual_value; it is loaded below through a config that supplies them.
    const { w, quarantine, counts } = await loadPlan({ ...plan, entities: plan.entities.filter((e) => e.entity === "campaigns") });
    expect(quarantine).toEqual([{ line: 3, column: "measurement_days", value: "0", reason: "below the minimum 1: '0'" }]);
    expect(counts).toEqual([[2, 1, 1, 0]]);
    expect(await queryRows(w.db, "select campaign_id, has_holdout, measurement_days, _line from raw_campaigns")).toEqual([
      { campaign_id: "X1", has_holdout: true, measurement_days: 60, _line: 2 },
    ]);
    w.close();

    const parquet = configPlan(dir, {
      contracts: { file: "contracts.parquet", columns: { end_date: { sql: "start_date" }, annual_value: { value: 1000 } } },
    });
    const p = await loadPlan(parquet);
    expect(p.quarantine).toEqual([{ line: 2, column: "end_date", value: "2024-02-30", reason: "not a date: '2024-02-30'" }, { line: 2, column: "start_date", value: "2024-02-30", reason: "not a date: '2024-02-30'" }]);
    expect(await queryRows(p.w.db, "select contract_id, start_date, end_date, annual_value, status, _line from raw_contracts")).toEqual([
      { contract_id: "P1", start_date: "2024-02-01", end_date: "2024-02-01", annual_value: 1000, status: "expired", _line: 1 },
    ]);
    p.w.close();
  });

  it("reads whitespace-separated text without a header (CDNOW layout)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-ws-"));
    writeFileSync(join(dir, "t.txt"), " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n\r\n 00021 0002 19970101  3\r\n 00021 0002 19971301  1   9.99\r\n");
    const plan = configPlan(dir, {
      orders: {
        file: "t.txt",
        format: "whitespace",
        header: false,
        names: ["customer_id", "sample_id", "date", "cds", "dollars"],
        columns: {
          order_id: { sql: "customer_id || '-' || date" },
          ordered_at: { from: "date", format: "%Y%m%d" },
          status: { value: "completed" },
          gross_amount: "dollars",
        },
      },
    });
    const { w, quarantine, counts } = await loadPlan(plan);
    expect(quarantine).toEqual([
      { line: 4, column: null, value: " 00021 0002 19970101  3", reason: "malformed line: expected 5 fields, found 4" },
      { line: 5, column: "ordered_at", value: "19971301", reason: "not a date and time in the format %Y%m%d: '19971301'" },
    ]);
    expect(counts).toEqual([[4, 2, 2, 0]]);
    expect(await queryRows(w.db, "select order_id, ordered_at, gross_amount, _line from raw_orders order by _line")).toEqual([
      { order_id: "00004-19970101", ordered_at: "1997-01-01 00:00:00", gross_amount: 29.33, _line: 1 },
      { order_id: "00004-19970118", ordered_at: "1997-01-18 00:00:00", gross_amount: 29.73, _line: 2 },
    ]);
    w.close();
  });
});

describe("config mapping for a foreign layout", () => {
  it("renames, parses day-first dates and decimal commas, maps status codes, adds constants and derived columns", async () => {
    const { w, quarantine, counts } = await loadPlan(planFromConfig(resolve(fixtures, "foreign/orders.config.json")));
    expect(quarantine).toEqual([
      { line: 4, column: "ordered_at", value: "32/01/2024 09:00", reason: "not a date and time in the format %d/%m/%Y %H:%M: '32/01/2024 09:00'" },
      { line: 5, column: "status", value: "9", reason: "not one of completed, cancelled, refunded, partially_refunded: '9'" },
    ]);
    expect(counts).toEqual([[4, 2, 2, 0]]);
    expect(await queryRows(w.db, "select order_id, customer_id, ordered_at, status, channel, gross_amount, coupon_code from raw_orders order by order_id")).toEqual([
      { order_id: "A-1", customer_id: "K1", ordered_at: "2024-01-05 10:30:00", status: "completed", channel: "store", gross_amount: 1234.5, coupon_code: "VIP-K1" },
      { order_id: "A-2", customer_id: "K2", ordered_at: "2024-01-31 18:05:00", status: "cancelled", channel: "store", gross_amount: 99.9, coupon_code: "VIP-K2" },
    ]);
    w.close();
  });

  it("accepts custom yes/no spellings and reads time offsets into business-local time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-load-bool-"));
    writeFileSync(join(dir, "c.csv"), "id,type,joined,member\nM1,ToC,2024-01-01,会员\nM2,ToC,2024-01-02,非会员\nM3,ToC,2024-01-03,Y\n");
    writeFileSync(join(dir, "e.csv"), "event_id,customer_id,occurred_at,event_type,points\nE1,M1,2024-01-01T00:30:00Z,earn_signin,5\nE2,M1,2024-01-01 00:30:00,earn_signin,5\n");
    const plan = configPlan(dir, {
      customers: { file: "c.csv", columns: { customer_id: "id", customer_type: "type", signup_date: "joined", is_member: { from: "member", true: ["会员"], false: ["非会员"] } } },
      loyalty_events: { file: "e.csv" },
    });
    const { w, quarantine } = await loadPlan(plan);
    expect(quarantine).toEqual([{ line: 4, column: "is_member", value: "Y", reason: "not a yes/no value (会员, 非会员): 'Y'" }]);
    expect(await queryRows(w.db, "select customer_id, is_member from raw_customers order by 1")).toEqual([
      { customer_id: "M1", is_member: true },
      { customer_id: "M2", is_member: false },
    ]);
    expect(await queryRows(w.db, "select event_id, occurred_at from raw_loyalty_events order by 1")).toEqual([
      { event_id: "E1", occurred_at: "2024-01-01 08:30:00" },
      { event_id: "E2", occurred_at: "2024-01-01 00:30:00" },
    ]);
    w.close();
  });
});
