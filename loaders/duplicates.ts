import type { DuckDBConnection } from "@duckdb/node-api";
import type { EntityContract } from "./contract-columns.ts";
import { sqlName } from "./read-file.ts";

/**
 * Find the rows of `stage` (columns _input, _source, _line and the contract's) that a load must not keep, into
 * table `target`: exact copies of another row (`_copy > 1`; the last copy stays), and rows that share a key with
 * a different, later row (`_rank > 1`, with the line and source of the row that stays). "Later" means a later
 * input, then a later line. Only keys that occur more than once are ranked, so a clean load stays cheap.
 */
export async function findDuplicates(db: DuckDBConnection, contract: EntityContract, stage: string, target: string): Promise<void> {
  const cols = contract.columns.map((c) => sqlName(c.name));
  const keys = contract.key.map(sqlName).join(", ");
  const order = "order by _input desc, _line desc";
  await db.run(`create or replace temp table ${target} as
    with repeated as (select ${keys} from ${stage} group by all having count(*) > 1),
    candidates as (select s.* from ${stage} s semi join repeated using (${keys})),
    copies as (select *, row_number() over (partition by ${cols.join(", ")} ${order}) as _copy from candidates),
    ranked as (
      select _input, _line, _source, ${keys}, _copy,
        case when _copy = 1 then row_number() over (partition by ${keys}, _copy = 1 ${order}) end as _rank,
        first_value(_line) over (partition by ${keys}, _copy = 1 ${order}) as _kept_line,
        first_value(_source) over (partition by ${keys}, _copy = 1 ${order}) as _kept_source
      from copies
    )
    select * from ranked where _copy > 1 or _rank > 1`);
}

/** Quarantine the rows that lost to a later row with the same key (found by {@link findDuplicates}). */
export async function quarantineKeyDuplicates(
  db: DuckDBConnection,
  contract: EntityContract,
  duplicates: string,
  load: { loadId: string; entity: string; source: string; now: string },
): Promise<void> {
  const keyValue = contract.key.map((k) => `cast(${sqlName(k)} as varchar)`).join(" || ', ' || ");
  // Key names come from the contract, never from data.
  const keyText = contract.key.map((k) => `'${k}=' || ${sqlName(k)}`).join(" || ', ' || ");
  await db.run(
    `insert into load_quarantine
      select $1, $2, $3, _source, _line, $4, ${keyValue},
        'duplicate key ' || ${keyText} || ' with different values; line ' || _kept_line ||
          case when _kept_source <> _source then ' of ' || _kept_source else '' end || ' kept',
        $5::timestamp
      from ${duplicates} where _rank > 1 order by _input, _line`,
    [load.loadId, load.entity, load.source, contract.key.join(", "), load.now],
  );
}
