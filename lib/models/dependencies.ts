import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * Table names a SQL statement reads, found with DuckDB's own parser (json_serialize_sql), minus the
 * names of its CTEs. Names come back lower-cased and unqualified-by-schema unless `keepSchema`.
 */
export async function tablesReadBy(db: DuckDBConnection, sql: string, file = "<sql>"): Promise<string[]> {
  const reader = await db.runAndReadAll("select json_serialize_sql($1::varchar) as ast", [sql]);
  const ast = JSON.parse(String(reader.getRows()[0][0])) as { error: boolean; error_message?: string; statements?: unknown[] };
  if (ast.error) throw new Error(`${file}: DuckDB cannot parse this model: ${ast.error_message}`);
  const statements = ast.statements ?? [];
  if (statements.length !== 1) throw new Error(`${file}: a model holds exactly one select statement, found ${statements.length}`);
  const found = new Set<string>();
  collect(statements[0], new Set(), found);
  return [...found].sort();
}

type Node = Record<string, unknown>;

// Walk the AST; CTE names are in scope for the node that declares them and everything below it.
function collect(node: unknown, ctes: Set<string>, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, ctes, found);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const n = node as Node;
  let scope = ctes;
  const cteMap = (n.cte_map as { map?: { key: string; value: unknown }[] } | undefined)?.map;
  if (cteMap && cteMap.length > 0) {
    scope = new Set(ctes);
    for (const entry of cteMap) scope.add(entry.key.toLowerCase());
  }
  if (n.type === "BASE_TABLE" && typeof n.table_name === "string") {
    const name = n.table_name.toLowerCase();
    const schema = typeof n.schema_name === "string" ? n.schema_name.toLowerCase() : "";
    if (schema || !scope.has(name)) found.add(schema && schema !== "main" ? `${schema}.${name}` : name);
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === "cte_map") {
      for (const entry of cteMap ?? []) collect(entry.value, scope, found);
    } else {
      collect(value, scope, found);
    }
  }
}
