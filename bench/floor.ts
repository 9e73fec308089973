// The floor: how long DuckDB alone takes to read the same source files into tables, with no checks.
import { DuckDBInstance } from "@duckdb/node-api";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const [dir, dbFile] = process.argv.slice(2);
if (!dir || !dbFile) {
  process.stderr.write("usage: tsx bench/floor.ts <source-dir> <scratch.duckdb>\n");
  process.exit(2);
}
rmSync(dbFile, { force: true });
const instance = await DuckDBInstance.create(dbFile);
const db = await instance.connect();
const started = performance.now();
for (const file of readdirSync(dir).filter((f) => f.endsWith(".csv")).sort()) {
  const table = file.replace(/\.csv$/, "");
  await db.run(`create table "${table}" as select * from read_csv($1)`, [join(dir, file)]);
}
await db.run("checkpoint");
const seconds = (performance.now() - started) / 1000;
db.closeSync();
instance.closeSync();
rmSync(dbFile, { force: true });
process.stdout.write(`${JSON.stringify({ seconds })}\n`);
