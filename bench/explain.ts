// EXPLAIN ANALYZE one SQL model against a built warehouse (read-only): where the time of a slow model goes.
import { readFileSync, writeFileSync } from "node:fs";
import { openWarehouse } from "../lib/warehouse/open.ts";

const [wh, sqlFile, out] = process.argv.slice(2);
if (!wh || !sqlFile || !out) {
  process.stderr.write("usage: tsx bench/explain.ts <warehouse.duckdb> <model.sql> <out.txt>\n");
  process.exit(2);
}
const w = await openWarehouse(wh, { readOnly: true });
try {
  const sql = readFileSync(sqlFile, "utf8").replace(/;\s*$/, "");
  const reader = await w.db.runAndReadAll(`explain analyze ${sql}`);
  const text = reader.getRowObjects().map((r) => String(r.explain_value ?? Object.values(r).pop())).join("\n");
  writeFileSync(out, `${sqlFile}\n${text}\n`);
} finally {
  w.close();
}
