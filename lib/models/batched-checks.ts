import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { queryRows } from "../warehouse/query.ts";
import type { Check } from "./checks.ts";

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;

/**
 * The tallies of one model's checks, computed in one scan of the model (a view is computed once, not
 * once per check). Returns, in the order of `checks`, the tally of each check that has one, and
 * undefined for the others, or for all of them when the scan fails: then each check runs on its own
 * and reports its own error.
 */
export async function tallyChecks(db: DuckDBConnection, model: string, checks: Check[]): Promise<(number | undefined)[]> {
  const params: DuckDBValue[] = [];
  const bind = (value: DuckDBValue) => {
    params.push(value);
    return `$${params.length}`;
  };
  const columns = checks.flatMap((c, i) => (c.tally ? [`${c.tally(bind)} as t${i}`] : []));
  if (columns.length === 0) return checks.map(() => undefined);
  let row: Record<string, number>;
  try {
    [row] = await queryRows<Record<string, number>>(db, `select ${columns.join(",\n  ")}\nfrom ${q(model)}`, params);
  } catch {
    return checks.map(() => undefined);
  }
  return checks.map((c, i) => (c.tally ? row[`t${i}`] : undefined));
}
