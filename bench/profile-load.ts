// Profile one source file the way lens load treats it: DuckDB reading it as text, then the contract's
// typing and checks (typedRowsSql), against plain casts of the same columns (what a check-free load does).
// Usage: tsx bench/profile-load.ts <file.csv> <entity>
import { DuckDBInstance } from "@duckdb/node-api";
import { contractFor } from "../loaders/contract-columns.ts";
import { typedRowsSql } from "../loaders/typed-rows-sql.ts";

const [file, entity] = process.argv.slice(2);
if (!file || !entity) {
  process.stderr.write("usage: tsx bench/profile-load.ts <file.csv> <entity>\n");
  process.exit(2);
}
const instance = await DuckDBInstance.create(":memory:");
const db = await instance.connect();
const contract = contractFor(entity);
const t0 = performance.now();
await db.run("create temp table r0 as select * from read_csv($1, all_varchar = true)", [file]);
await db.run("create temp view r as select *, rowid + 2 as _line from r0");
const t1 = performance.now();
const cols = (await db.runAndReadAll("select column_name from (describe r0)")).getRows().map((x) => String(x[0]));
await db.run(typedRowsSql(contract, {}, "r", cols, "typed"));
const t2 = performance.now();
const casts = contract.columns.map((c) => `try_cast(nullif(trim("${c.name}"), '') as ${c.type}) as "${c.name}"`).join(", ");
await db.run(`create temp table plain as select ${casts}, _line from r`);
const t3 = performance.now();
const s = (a: number, b: number) => Math.round(b - a) / 1000;
process.stdout.write(`${JSON.stringify({ entity, file, readAsText: s(t0, t1), contractTypingAndChecks: s(t1, t2), plainCasts: s(t2, t3) })}\n`);
db.closeSync();
instance.closeSync();
