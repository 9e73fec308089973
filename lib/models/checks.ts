import type { DuckDBValue } from "@duckdb/node-api";
import type { Model } from "./model.ts";

/** One test of one model: a query whose rows are the failures. */
export interface Check {
  model: string;
  /** e.g. "unique(customer_id, month)", "not_null(score)", "accepted_values(status)", "assertion: no negative spend". */
  check: string;
  sql: string;
  params?: DuckDBValue[];
  /**
   * An aggregate over the model's rows that is 0 only when `sql` returns no rows, so that a model's
   * cheap checks share one scan (see tallyChecks); `bind` binds a value and returns its placeholder.
   * Anything but 0 only says "run `sql`": the count, the sample and any error come from `sql`.
   */
  tally?: (bind: (value: DuckDBValue) => string) => string;
}

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;

/**
 * The checks a model's contract asks for. Each query returns the offending rows. Identifiers come from
 * the validated contract and are quoted; accepted values are bound as parameters.
 */
export function contractChecks(m: Model): Check[] {
  const c = m.contract;
  if (!c) return [];
  const t = q(m.name);
  const checks: Check[] = [];
  const key = c.primary_key.map(q).join(", ");
  if (c.primary_key.length === 0) {
    // The empty key: two rows would share it, so the model holds at most one row.
    checks.push({
      model: m.name,
      check: "single_row",
      sql: `select count(*) as row_count from ${t} having count(*) > 1`,
      tally: () => "greatest(count(*) - 1, 0)",
    });
  } else {
    pushKeyChecks(checks, m.name, t, c.primary_key, key);
  }
  for (const [name, col] of Object.entries(c.columns)) {
    if (col.not_null) {
      checks.push({
        model: m.name,
        check: `not_null(${name})`,
        sql: `select * from ${t} where ${q(name)} is null`,
        tally: () => `(count(*) - count(${q(name)}))`,
      });
    }
    if (col.unique) {
      checks.push({
        model: m.name,
        check: `unique(${name})`,
        sql: `select ${q(name)}, count(*) as duplicate_count from ${t} where ${q(name)} is not null group by all having count(*) > 1 order by duplicate_count desc, ${q(name)}`,
        tally: () => distinctShortfall(q(name), `${q(name)} is not null`),
      });
    }
    if (col.accepted_values) {
      const values = col.accepted_values;
      // Compare in the values' own type so 1 matches an integer column and 'a' a varchar one.
      const cast = values.every((v) => typeof v === "number") ? "double" : values.every((v) => typeof v === "boolean") ? "boolean" : "varchar";
      const params = values.map((v) => (cast === "varchar" ? String(v) : v)) as DuckDBValue[];
      const typed = (placeholders: string[]) => placeholders.map((p) => `${p}::${cast}`).join(", ");
      checks.push({
        model: m.name,
        check: `accepted_values(${name})`,
        sql: `select ${q(name)}, count(*) as row_count from ${t} where ${q(name)} is not null and cast(${q(name)} as ${cast}) not in (${typed(params.map((_, i) => `$${i + 1}`))}) group by all order by row_count desc, 1`,
        params,
        // list_contains matches as `in` does (NaN and -0.0 included) and measured several times faster
        // than `not in` on a 10M-row string column.
        tally: (bind) =>
          `count(*) filter (where ${q(name)} is not null and not list_contains(list_value(${typed(params.map(bind))}), cast(${q(name)} as ${cast})))`,
      });
    }
    if (col.relationships) {
      const { to, field } = col.relationships;
      checks.push({
        model: m.name,
        check: `relationships(${name} → ${to}.${field})`,
        sql: `select * from ${t} as child where child.${q(name)} is not null and not exists (select 1 from ${to
          .split(".")
          .map(q)
          .join(".")} as parent where parent.${q(field)} = child.${q(name)})`,
      });
    }
  }
  for (const a of c.assertions) {
    checks.push({ model: m.name, check: `assertion: ${a.name}`, sql: a.sql.replace(/;\s*$/, "") });
  }
  return checks;
}

/**
 * Rows minus distinct key hashes (among rows where `where` holds). Equal keys hash alike, so 0 proves
 * the key unique; a hash collision only costs running the exact check. One 64-bit hash per key keeps
 * the distinct count's hash table small (measured faster than a struct of the key columns).
 */
function distinctShortfall(columns: string, where?: string): string {
  const filter = where ? ` filter (where ${where})` : "";
  return `count(*)${filter} - count(distinct hash(${columns}))${filter}`;
}

/** unique and not_null over a non-empty primary key. */
function pushKeyChecks(checks: Check[], model: string, t: string, primaryKey: string[], key: string): void {
  checks.push({
    model,
    check: `unique(${primaryKey.join(", ")})`,
    sql: `select ${key}, count(*) as duplicate_count from ${t} group by all having count(*) > 1 order by duplicate_count desc, ${key}`,
    tally: () => distinctShortfall(key),
  });
  checks.push({
    model,
    check: `not_null(${primaryKey.join(", ")})`,
    sql: `select * from ${t} where ${primaryKey.map((k) => `${q(k)} is null`).join(" or ")}`,
    // Per-column null counts, which DuckDB answers from a table's statistics without scanning it.
    tally: () => primaryKey.map((k) => `(count(*) - count(${q(k)}))`).join(" + "),
  });
}
