import type { DuckDBConnection } from "@duckdb/node-api";
import type { EntityContract } from "./contract-columns.ts";
import { rawTableName } from "./raw-tables.ts";
import { sqlName } from "./read-file.ts";
import { queryRows } from "../lib/warehouse/query.ts";

/** True when the entity's raw table has no row: a first load, which may write its rows straight into it. */
export async function rawIsEmpty(db: DuckDBConnection, contract: EntityContract): Promise<boolean> {
  const [{ n }] = await queryRows<{ n: number }>(db, `select count(*) as n from (select 1 from ${rawTableName(contract.entity)} limit 1)`);
  return n === 0;
}

/**
 * Make `typed` the entity's raw table, which must be empty. `typed` is a persistent table shaped like the raw
 * table, with its `_line` filled, plus `_ok` and `_errors` (typedRowsSql with `raw`) from a single input. The
 * rows that broke the contract and those listed in `duplicates` (by `_line`) go, then the check columns; the
 * raw table's NOT NULL constraints are restored (DuckDB verifies them) and the table takes the raw table's
 * place. The same rows as an insert into the empty raw table, without writing them a second time.
 */
export async function adoptAsRaw(
  db: DuckDBConnection,
  contract: EntityContract,
  typed: string,
  drop: { failed: boolean; duplicates?: string },
): Promise<void> {
  if (drop.failed) await db.run(`delete from ${typed} where not _ok`);
  if (drop.duplicates) await db.run(`delete from ${typed} t using ${drop.duplicates} d where t._line = d._line`);
  await db.run(`alter table ${typed} drop column _errors`);
  await db.run(`alter table ${typed} drop column _ok`);
  for (const column of contract.columns.filter((c) => c.required)) {
    await db.run(`alter table ${typed} alter column ${sqlName(column.name)} set not null`);
  }
  const raw = rawTableName(contract.entity);
  await db.run(`drop table ${raw}`);
  await db.run(`alter table ${typed} rename to ${raw}`);
}
