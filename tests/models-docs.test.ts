import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LensConfig } from "../lib/config/lens-config.ts";
import { build } from "../lib/models/run-build.ts";
import { test as runTests } from "../lib/models/run-test.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { ensureRawTables } from "../loaders/raw-tables.ts";
import { tempProject } from "./fixtures/models/shop-project.ts";
import { insertRows } from "./util/warehouse.ts";

/** The first fenced block of `lang` after `marker` in docs/models.md. */
function block(doc: string, marker: string, lang: string): string {
  const from = doc.indexOf(marker);
  expect(from, marker).toBeGreaterThan(-1);
  const start = doc.indexOf("```" + lang + "\n", from) + lang.length + 4;
  return doc.slice(start, doc.indexOf("```", start));
}

describe("docs/models.md", () => {
  it("the worked example builds, passes its tests and computes repeat buyers as documented", async () => {
    const doc = readFileSync("docs/models.md", "utf8");
    const p = tempProject("docs");
    mkdirSync(join(p.sqlDir, "staging"), { recursive: true });
    mkdirSync(join(p.sqlDir, "marts"), { recursive: true });
    copyFileSync("sql/staging/stg_orders.sql", join(p.sqlDir, "staging/stg_orders.sql"));
    writeFileSync(join(p.sqlDir, "marts/repeat_buyers.sql"), block(doc, "**1. The model**", "sql"));
    writeFileSync(join(p.sqlDir, "marts/repeat_buyers.yml"), block(doc, "**2. The contract**", "yaml"));

    const w = await openWarehouse(p.warehouse);
    try {
      await ensureRawTables(w.db);
      const order = (order_id: string, customer_id: string, ordered_at: string, status = "completed") => ({
        order_id,
        customer_id,
        ordered_at,
        status,
        gross_amount: 100,
      });
      await insertRows(w.db, "raw_orders", [
        order("o1", "A", "2024-01-05 10:00:00"),
        order("o2", "A", "2024-02-03 10:00:00"), // A's second month: a repeat buyer in February
        order("o3", "B", "2024-01-20 10:00:00"),
        order("o4", "B", "2024-01-25 10:00:00", "cancelled"), // does not count
        order("o5", "C", "2024-02-10 10:00:00"),
        order("o6", "C", "2024-02-15 10:00:00"), // C ordered earlier the same month: also a repeat buyer
      ]);
    } finally {
      w.close();
    }

    const config = LensConfig.parse({});
    const result = await build(p.warehouse, { sqlDir: p.sqlDir, config, typesFile: p.types });
    expect(result.models.map((m) => [m.model, m.status])).toEqual([
      ["stg_orders", "built"],
      ["repeat_buyers", "built"],
    ]);
    const report = await runTests(p.warehouse, { sqlDir: p.sqlDir, config, select: ["repeat_buyers"] });
    expect(report.ok).toBe(true);
    expect(report.results).toHaveLength(6); // as the doc's sample output says
    const r = await openWarehouse(p.warehouse, { readOnly: true });
    try {
      expect(await queryRows(r.db, "select month, buyers, repeat_buyers, repeat_share from repeat_buyers order by month")).toEqual([
        { month: "2024-01-01", buyers: 2, repeat_buyers: 0, repeat_share: 0 },
        { month: "2024-02-01", buyers: 2, repeat_buyers: 2, repeat_share: 1 },
      ]);
    } finally {
      r.close();
    }
    expect(readFileSync(p.types, "utf8")).toContain("  repeat_share: number;\n");
  });
});
