import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemo } from "../lib/demo/generate.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { load } from "../loaders/load.ts";
import { planFromFolder } from "../loaders/source-folder.ts";

describe("loading the demo company", () => {
  it("quarantines exactly the planted bad rows, drops exactly the planted duplicates, and loads every other row", async () => {
    const out = mkdtempSync(join(tmpdir(), "lens-load-demo-"));
    const truth = generateDemo({ scale: "demo", seed: 42, out });
    const w = await openWarehouse(":memory:");
    const summary = await load(w.db, planFromFolder(out));

    const quarantined = await queryRows<{ entity: string; line: number; column: string }>(
      w.db,
      `select entity, line, "column" from load_quarantine order by entity, line`,
    );
    const planted = [...truth.planted_bad_rows]
      .map((b) => ({ entity: b.entity, line: b.line, column: b.column }))
      .sort((a, b) => a.entity.localeCompare(b.entity) || a.line - b.line);
    expect(quarantined).toEqual(planted);

    const duplicates = Object.fromEntries(summary.audit.filter((a) => a.duplicates_dropped > 0).map((a) => [a.entity, a.duplicates_dropped]));
    expect(duplicates).toEqual(truth.planted_exact_duplicates);

    for (const [entity, rows] of Object.entries(truth.rows)) {
      const audit = summary.audit.find((a) => a.entity === entity)!;
      expect([entity, audit.rows_loaded]).toEqual([entity, rows]);
      const [{ n }] = await queryRows<{ n: number }>(w.db, `select count(*) as n from raw_${entity}`);
      expect([entity, n]).toEqual([entity, rows]);
    }
    w.close();
  });
});
