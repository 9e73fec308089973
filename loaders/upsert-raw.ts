import type { DuckDBConnection } from "@duckdb/node-api";
import type { EntityContract } from "./contract-columns.ts";
import { rawTableName } from "./raw-tables.ts";
import { sqlName } from "./read-file.ts";
import { queryRows } from "../lib/warehouse/query.ts";

/**
 * Write the rows of `kept` (one per key; _source, _line and the contract columns) into raw_<entity>: new keys
 * are inserted, rows whose values changed replace the old ones, and unchanged rows are left alone with their
 * original lineage, so re-running a load changes nothing. Returns how many raw rows were written.
 */
export async function upsertRaw(db: DuckDBConnection, contract: EntityContract, kept: string, now: string): Promise<number> {
  const raw = rawTableName(contract.entity);
  const cols = contract.columns.map((c) => sqlName(c.name));
  const keys = contract.key.map(sqlName);
  const columns = `${cols.join(", ")}, _source, _line, _loaded_at`;
  const [{ existing }] = await queryRows<{ existing: number }>(db, `select count(*) as existing from (select 1 from ${raw} limit 1)`);
  if (existing === 0) {
    await db.run(`insert into ${raw} (${columns}) select ${cols.join(", ")}, _source, _line, $1::timestamp from ${kept}`, [now]);
    return (await queryRows<{ n: number }>(db, `select count(*) as n from ${raw}`))[0].n;
  }
  const changed = `_changed_${contract.entity}`;
  const onKey = (x: string, y: string) => keys.map((k) => `${x}.${k} = ${y}.${k}`).join(" and ");
  const same = cols.map((c) => `k.${c} is not distinct from r.${c}`).join(" and ");
  await db.run(`create or replace temp table ${changed} as
    select k.* from ${kept} k left join ${raw} r on ${onKey("k", "r")}
    where r.${keys[0]} is null or not (${same})`);
  const [{ n }] = await queryRows<{ n: number }>(db, `select count(*) as n from ${changed}`);
  if (n > 0) {
    await db.run(`delete from ${raw} r using ${changed} k where ${onKey("k", "r")}`);
    await db.run(`insert into ${raw} (${columns}) select ${cols.join(", ")}, _source, _line, $1::timestamp from ${changed}`, [now]);
  }
  await db.run(`drop table ${changed}`);
  return n;
}
