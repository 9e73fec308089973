import { describe, expect, it } from "vitest";
import { contractFor, type EntityContract } from "../loaders/contract-columns.ts";
import { DEFAULT_FALSE, DEFAULT_TRUE, ERR, rowErrorsSql, typedRowsSql } from "../loaders/typed-rows-sql.ts";
import { sqlName } from "../loaders/read-file.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";

type Row = Record<string, string>;

/** Good and bad rows as text, the way a CSV hands them over. */
const fixture: Record<string, Row[]> = {
  orders: [
    { order_id: "O1", customer_id: "C1", ordered_at: "2024-01-05T10:00:00", status: "completed", gross_amount: "99.5" },
    { order_id: "O2", customer_id: "C2", ordered_at: "2024-01-05T10:00:00+08:00", status: "refunded", gross_amount: "-3", refund_amount: "3" },
    { order_id: "O3", customer_id: "", ordered_at: "2024-01-05T10:00:00", status: "completed", gross_amount: "1" },
    { order_id: "O4", customer_id: "C4", ordered_at: "2024-02-30T10:00:00", status: "completed", gross_amount: "1" },
    { order_id: "O5", customer_id: "C5", ordered_at: "2024-01-05T10:00:00", status: "shipped", gross_amount: "1" },
    { order_id: "O6", customer_id: "C6", ordered_at: "2024-01-05T10:00:00", status: "completed", gross_amount: "abc" },
    { order_id: "O7", customer_id: "C7", ordered_at: "2024-01-05T10:00:00", status: "completed", gross_amount: "1", discount_amount: "-0.01" },
    { order_id: "O8", customer_id: "C8", ordered_at: "2024-01-05", status: "completed", gross_amount: "inf" },
    { order_id: "", customer_id: "C9", ordered_at: "2024-01-05T25:00:00", status: "cancelled", gross_amount: "1e3" },
    { order_id: "O10", customer_id: "C10", ordered_at: "2024-01-05T10:00:00", status: "completed", gross_amount: "1e400" },
  ],
  customers: [
    { customer_id: "K1", customer_type: "ToC", signup_date: "2024-02-29", is_member: "true", tier: "gold" },
    { customer_id: "K2", customer_type: "ToB", signup_date: "2023-02-29", is_member: "false" },
    { customer_id: "K3", customer_type: "B2B", signup_date: "2023-02-28", tier: "platinum" },
    { customer_id: "K4", customer_type: "ToC", signup_date: "2023/02/28", is_member: "perhaps" },
    { customer_id: "K5", customer_type: "ToC", signup_date: "" },
  ],
  survey_responses: [
    { response_id: "R1", customer_id: "C1", responded_at: "2024-03-01T09:30:00", survey_type: "nps", touchpoint: "purchase", score: "10" },
    { response_id: "R2", customer_id: "C1", responded_at: "2024-03-01T09:30:00Z", survey_type: "csat", touchpoint: "after_sale", score: "0" },
    { response_id: "R3", customer_id: "C1", responded_at: "2024-03-01T09:30:00", survey_type: "nps", touchpoint: "purchase", score: "11" },
    { response_id: "R4", customer_id: "C1", responded_at: "2024-03-01T09:30:00", survey_type: "nps", touchpoint: "purchase", score: "-1" },
    { response_id: "R5", customer_id: "C1", responded_at: "2024-03-01T09:30:00", survey_type: "nps", touchpoint: "purchase", score: "7.5" },
    { response_id: "R6", customer_id: "C1", responded_at: "yesterday", survey_type: "ces", touchpoint: "store", score: "5" },
  ],
  tickets: [
    { ticket_id: "T1", customer_id: "C1", channel: "wechat", touchpoint: "after_sale", category: "delivery", is_complaint: "true", severity: "serious", created_at: "2024-04-01T08:00:00", contacts: "2", reopened_count: "0" },
    { ticket_id: "T2", customer_id: "C1", channel: "fax", touchpoint: "after_sale", category: "", is_complaint: "1", severity: "minor", created_at: "2024-04-01T08:00:00", contacts: "0", reopened_count: "-1" },
    { ticket_id: "T3", customer_id: "C1", channel: "email", touchpoint: "purchase", category: "billing", is_complaint: "no", severity: "general", created_at: "2024-04-01T08:00:00", contacts: "9007199254740993" },
  ],
};

/** The loader's text → value step for zod: trimmed, empty is absent, numbers parsed when they look like one, the default yes/no spellings. */
function asZodInput(contract: EntityContract, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of contract.columns) {
    const text = row[c.name]?.trim();
    if (!text) continue;
    if ((c.type === "double" || c.type === "bigint") && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) out[c.name] = Number(text);
    else if (c.type === "boolean" && DEFAULT_TRUE.includes(text.toLowerCase())) out[c.name] = true;
    else if (c.type === "boolean" && DEFAULT_FALSE.includes(text.toLowerCase())) out[c.name] = false;
    else out[c.name] = text;
  }
  return out;
}

describe("the SQL validator agrees with the zod contracts", () => {
  for (const [entity, rows] of Object.entries(fixture)) {
    it(`${entity}: the same rows and columns fail`, async () => {
      const contract = contractFor(entity);
      const w = await openWarehouse(":memory:");
      const names = contract.columns.map((c) => c.name);
      await w.db.run(`create temp table src (${names.map((n) => `${sqlName(n)} varchar`).join(", ")}, _line bigint)`);
      for (const [i, row] of rows.entries()) {
        await w.db.run(`insert into src values (${names.map((_, j) => `$${j + 1}`).join(", ")}, ${i + 1})`, names.map((n) => row[n] ?? null));
      }
      await w.db.run(typedRowsSql(contract, {}, "src", names, "typed"));
      await w.db.run(rowErrorsSql(contract, {}, "src", names, "src", "errors"));
      const sqlFailures = await queryRows<{ _line: number; cols: string[] }>(
        w.db,
        `select _line, list_filter([${names.map((n) => `case when ${sqlName(n + ERR)} is not null then '${n}' end`).join(", ")}], x -> x is not null) as cols
           from errors order by _line`,
      );
      const ok = await queryRows<{ _ok: boolean }>(w.db, "select _ok from typed order by _line");
      w.close();
      const zodFailures = rows.map((row) => {
        const result = contract.schema.safeParse(asZodInput(contract, row));
        return result.success ? [] : [...new Set(result.error.issues.map((i) => String(i.path[0])))].sort((a, b) => names.indexOf(a) - names.indexOf(b));
      });
      expect(sqlFailures.map((f) => f.cols)).toEqual(zodFailures);
      // The fast pass (which rows load) and the explaining pass (why the others do not) agree too.
      expect(ok.map((r) => r._ok)).toEqual(zodFailures.map((f) => f.length === 0));
      // The fixture has both kinds, so agreement is not "everything passes" or "everything fails".
      expect(zodFailures.some((f) => f.length === 0)).toBe(true);
      expect(zodFailures.some((f) => f.length > 0)).toBe(true);
    });
  }
});
