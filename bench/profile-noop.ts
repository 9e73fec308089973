// Where a no-op `lens build` spends its time on a big warehouse: the data fingerprints of the raw_*
// tables (a full scan and hash of every row) measured alone, read-only.
// Usage: tsx bench/profile-noop.ts <warehouse.duckdb>
import { tableFingerprint } from "../lib/models/fingerprint.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";

const [wh] = process.argv.slice(2);
if (!wh) {
  process.stderr.write("usage: tsx bench/profile-noop.ts <warehouse.duckdb>\n");
  process.exit(2);
}
const w = await openWarehouse(wh, { readOnly: true });
const tables = (await w.db.runAndReadAll("select table_name from information_schema.tables where table_name like 'raw\\_%' escape '\\' or table_name like 'config\\_%' escape '\\' order by 1"))
  .getRows()
  .map((r) => String(r[0]));
const out: Record<string, number> = {};
const started = performance.now();
for (const t of tables) {
  const t0 = performance.now();
  await tableFingerprint(w.db, t);
  out[t] = Math.round(performance.now() - t0) / 1000;
}
w.close();
process.stdout.write(`${JSON.stringify({ totalSeconds: Math.round(performance.now() - started) / 1000, perTable: out })}\n`);
