import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnRule } from "./column-rule.ts";
import type { EntityContract } from "./contract-columns.ts";
import { sqlName, type ReadResult } from "./read-file.ts";
import { ERR, RAW, rowErrorsSql } from "./typed-rows-sql.ts";

/** Which load, entity, source and file quarantine rows belong to. */
export interface QuarantineContext {
  loadId: string;
  entity: string;
  source: string;
  file: string;
  now: string;
}

/**
 * Quarantine what one input could not load: its malformed lines, and for every row of `typed` that is not
 * `_ok`, one row per failing column with the source text and the reason. Bad rows are few, so only they are
 * parsed a second time to say why.
 */
export async function quarantineRows(
  db: DuckDBConnection,
  contract: EntityContract,
  rules: Record<string, ColumnRule>,
  read: ReadResult,
  typed: string,
  q: QuarantineContext,
): Promise<void> {
  const at = [q.loadId, q.entity, q.source, q.file];
  await db.run(`insert into load_quarantine select $1, $2, $3, $4, _line, null, value, reason, $5::timestamp from ${read.malformed} order by _line`, [...at, q.now]);
  const [{ bad }] = (await db.runAndReadAll(`select count(*)::integer as bad from ${typed} where not _ok`)).getRowObjectsJson() as { bad: number }[];
  if (bad === 0) return;
  const errors = `${typed}_errors`;
  await db.run(`create or replace temp table ${errors}_lines as select _line from ${typed} where not _ok`);
  await db.run(rowErrorsSql(contract, rules, read.table, read.columns, `${errors}_lines`, errors));
  for (const c of contract.columns) {
    await db.run(
      `insert into load_quarantine select $1, $2, $3, $4, _line, $5, ${sqlName(c.name + RAW)}, ${sqlName(c.name + ERR)}, $6::timestamp
         from ${errors} where ${sqlName(c.name + ERR)} is not null order by _line`,
      [...at, c.name, q.now],
    );
  }
  await db.run(`drop table ${errors}; drop table ${errors}_lines`);
}
