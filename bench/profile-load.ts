// Profile one source file: DuckDB reading it as text, the loader's contract typing and checks, and plain casts.
// Usage: tsx bench/profile-load.ts <file.csv> <entity>
import { DuckDBInstance } from "@duckdb/node-api";
import { contractFor } from "../loaders/contract-columns.ts";
import { typedRowsSql } from "../loaders/typed-rows-sql.ts";
const [file, entity] = process.argv.slice(2);
const inst = await DuckDBInstance.create(":memory:");
const db = await inst.connect();
const c = contractFor(entity);
const t0 = performance.now();
await db.run(`create temp table r as select *, rowid + 2 as _line from read_csv('${file}', all_varchar = true)`);
const t1 = performance.now();
const cols = (await db.runAndReadAll("select column_name from (describe r)")).getRows().map((x) => String(x[0])).filter((x) => x !== "_line");
await db.run(typedRowsSql(c, {}, "r", cols, "typed"));
const t2 = performance.now();
// The same columns cast plainly (what a check-free load would do).
const casts = c.columns.map((col) => `try_cast(nullif(trim("${col.name}"), '') as ${col.type}) as "${col.name}"`).join(", ");
await db.run(`create temp table plain as select ${casts} from r`);
const t3 = performance.now();
console.log(JSON.stringify({ entity, readVarchar: +((t1 - t0) / 1000).toFixed(2), contractTyped: +((t2 - t1) / 1000).toFixed(2), plainCasts: +((t3 - t2) / 1000).toFixed(2) }));
