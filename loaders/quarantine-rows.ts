import type { DuckDBConnection } from "@duckdb/node-api";

/** Which load, entity, source and file quarantine rows belong to. */
export interface QuarantineContext {
  loadId: string;
  entity: string;
  source: string;
  file: string;
  now: string;
}

/** How many rows of one input passed the contract and how many did not (malformed lines not included). */
export interface RowCounts {
  ok: number;
  bad: number;
}

/**
 * Quarantine what one input could not load: its malformed lines (table `malformed`: _line, value, reason), and
 * for every row of `typed` that is not `_ok`, one row per failing column with the source text and the reason,
 * taken from the row's `_errors` (see typedRowsSql). Bad rows are few, so only they are unnested.
 */
export async function quarantineRows(db: DuckDBConnection, typed: string, malformed: string, q: QuarantineContext): Promise<RowCounts> {
  const at = [q.loadId, q.entity, q.source, q.file];
  await db.run(`insert into load_quarantine select $1, $2, $3, $4, _line, null, value, reason, $5::timestamp from ${malformed} order by _line`, [...at, q.now]);
  const [counts] = (await db.runAndReadAll(`select count(*) filter (_ok)::bigint as ok, count(*) filter (not _ok)::bigint as bad from ${typed}`)).getRowObjectsJson() as {
    ok: string | number;
    bad: string | number;
  }[];
  const result = { ok: Number(counts.ok), bad: Number(counts.bad) };
  if (result.bad === 0) return result;
  // Column by column, then line by line: the order a reader of the quarantine expects.
  await db.run(
    `insert into load_quarantine
       select $1, $2, $3, $4, _line, p.column, p.value, p.reason, $5::timestamp
       from (select _line, unnest(_errors) as p from ${typed} where not _ok)
       order by p.i, _line`,
    [...at, q.now],
  );
  return result;
}
