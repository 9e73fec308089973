import type { DuckDBConnection } from "@duckdb/node-api";
import { LIST, listValue, VARCHAR } from "../warehouse/duckdb.ts";

/** A model file that DuckDB's parser rejects, with the 1-based line the parser points at when it says. */
export class ModelParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
    this.name = "ModelParseError";
  }
}

/**
 * Table names a SQL statement reads, found with DuckDB's own parser (json_serialize_sql).
 *
 * Follows DuckDB's scoping: a CTE is visible to the CTEs after it and to the main query, and to
 * itself only when recursive, so `with orders as (select * from orders)` reads the table `orders`.
 * Names are lower-cased (DuckDB identifiers are case-insensitive, quoted or not); `main.x` and
 * `<catalog>.main.x` are `x`; other schemas stay qualified (`other.x`). Table functions such as
 * read_csv() are not tables and are not reported.
 */
export async function tablesReadBy(db: DuckDBConnection, sql: string, file = "<sql>"): Promise<string[]> {
  const [reads] = await tablesReadByEach(db, [{ sql, file }]);
  return reads;
}

/**
 * tablesReadBy for many statements with one parser call: a project of fifty models is read on every
 * lens command, and one query per model cost more than the parsing itself. Throws for the first
 * statement (in the given order) that does not parse.
 */
export async function tablesReadByEach(db: DuckDBConnection, statements: { sql: string; file: string }[]): Promise<string[][]> {
  if (statements.length === 0) return [];
  const reader = await db.runAndReadAll(
    "select json_serialize_sql(s) as ast from unnest($1) with ordinality as t(s, i) order by i",
    [listValue(statements.map((s) => s.sql))],
    [LIST(VARCHAR)],
  );
  return reader.getRows().map(([json], i) => readsOf(JSON.parse(String(json)) as SerializedSql, statements[i].sql, statements[i].file));
}

interface SerializedSql {
  error: boolean;
  error_message?: string;
  position?: string;
  statements?: { node: unknown }[];
}

function readsOf(ast: SerializedSql, sql: string, file: string): string[] {
  if (ast.error) {
    const position = ast.position === undefined ? undefined : Number(ast.position);
    const line = position === undefined || Number.isNaN(position) ? undefined : lineAt(sql, position);
    if (/Only SELECT statements/i.test(ast.error_message ?? "")) {
      throw new ModelParseError(file, line, "a model is one select statement (no create, insert, or PIVOT/UNPIVOT statement: write select … pivot (…) instead)");
    }
    throw new ModelParseError(file, line, `DuckDB cannot parse this model: ${ast.error_message}`);
  }
  const statements = ast.statements ?? [];
  if (statements.length !== 1) {
    throw new ModelParseError(file, undefined, `a model holds exactly one select statement, found ${statements.length}`);
  }
  const found = new Set<string>();
  collect(statements[0], new Set(), found);
  return [...found].sort();
}

/** 1-based line of a 0-based character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

type Node = Record<string, unknown>;
type CteEntry = { key: string; value: unknown };

function collect(node: unknown, scope: Set<string>, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, scope, found);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const n = node as Node;

  if (n.type === "BASE_TABLE" && typeof n.table_name === "string") {
    const name = n.table_name.toLowerCase();
    const schema = typeof n.schema_name === "string" ? n.schema_name.toLowerCase() : "";
    const catalog = typeof n.catalog_name === "string" ? n.catalog_name.toLowerCase() : "";
    if (!schema && !catalog) {
      if (!scope.has(name)) found.add(name);
    } else if (schema === "main" || schema === "") {
      found.add(name);
    } else {
      found.add(`${schema}.${name}`);
    }
    return;
  }

  // A recursive CTE sees itself.
  let inner = scope;
  if (n.type === "RECURSIVE_CTE_NODE" && typeof n.cte_name === "string") {
    inner = new Set(scope).add(n.cte_name.toLowerCase());
  }

  const cteMap = (n.cte_map as { map?: CteEntry[] } | undefined)?.map ?? [];
  if (cteMap.length > 0) {
    // Each CTE sees the ones declared before it; the body sees them all.
    const running = new Set(inner);
    for (const entry of cteMap) {
      collect(entry.value, new Set(running), found);
      running.add(entry.key.toLowerCase());
    }
    inner = running;
  }
  for (const [key, value] of Object.entries(n)) {
    if (key !== "cte_map") collect(value, inner, found);
  }
}
