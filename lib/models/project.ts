import type { DuckDBConnection } from "@duckdb/node-api";
import { LensConfig } from "../config/lens-config.ts";
import { buildModel } from "./build-model.ts";
import { tablesReadByEach } from "./dependencies.ts";
import { discoverModels } from "./discover.ts";
import { topologicalOrder } from "./graph.ts";
import type { Model } from "./model.ts";

export type { Materialization, Model } from "./model.ts";
export { DEFAULT_MATERIALIZATION } from "./discover.ts";
export { topologicalOrder } from "./graph.ts";

/** Options for reading the model folder. */
export interface ReadProjectOptions {
  /** Supplies the per-folder materialization (`models.materialized`). */
  config?: LensConfig;
  /** Check that every table a model reads is a model or exists in `db` (default true; lineage turns it off). */
  checkSources?: boolean;
}

/**
 * Read every model under `sqlDir` (SQL and TS), its contract and its dependencies (parsed by DuckDB
 * from the SQL, declared by TS models), and return them in build order. Name clashes, cycles and
 * reads of tables that are neither models nor in `db` are errors naming the files.
 */
export async function readProject(db: DuckDBConnection, sqlDir = "sql", options: ReadProjectOptions = {}): Promise<Model[]> {
  const config = options.config ?? LensConfig.parse({});
  const drafts = await discoverModels(sqlDir, config.models.materialized);
  const names = new Set(drafts.map((d) => d.name));
  const existing = options.checkSources === false ? undefined : await existingTables(db);
  const sqlDrafts = drafts.filter((d) => d.kind === "sql");
  const parsed = await tablesReadByEach(db, sqlDrafts.map((d) => ({ sql: d.sql, file: d.file })));
  const readsBySql = new Map(sqlDrafts.map((d, i) => [d, parsed[i]]));
  const models: Model[] = [];
  for (const d of drafts) {
    const reads = readsBySql.get(d) ?? [...new Set(d.ts!.dependsOn.map((t) => t.toLowerCase()))].sort();
    if (reads.includes(d.name)) throw new Error(`dependency cycle: ${d.file} reads its own table ${d.name}`);
    const dependsOn = reads.filter((t) => names.has(t));
    const sources = reads.filter((t) => !names.has(t));
    const missing = existing ? sources.filter((t) => !existing.has(t)) : [];
    if (missing.length > 0) {
      throw new Error(
        `${d.file} reads ${missing.join(", ")}, which is neither a model under ${sqlDir}/ nor a table in the warehouse` +
          (missing.some((t) => t.startsWith("raw_")) ? " (load the sources first: lens load)" : " (check the spelling, or add the model)"),
      );
    }
    models.push({ ...d, dependsOn, sources });
  }
  if (existing) {
    for (const m of models) {
      for (const [column, c] of Object.entries(m.contract?.columns ?? {})) {
        const to = c.relationships?.to.toLowerCase();
        if (to && !names.has(to) && !existing.has(to)) {
          throw new Error(`${m.contractFile}: column ${column} relates to ${to}, which is neither a model under ${sqlDir}/ nor a table in the warehouse`);
        }
      }
    }
  }
  return topologicalOrder(models);
}

/** Lower-case names of every table and view in `db` and of this connection's temporary ones; `main` ones unqualified, others as schema.name. */
export async function existingTables(db: DuckDBConnection): Promise<Set<string>> {
  const reader = await db.runAndReadAll(
    // temp: lens build writes the config tables as temporary tables of its connection until it publishes.
    "select table_schema, table_name from information_schema.tables where table_catalog in (current_database(), 'temp')",
  );
  return new Set(
    reader.getRows().map(([schema, name]) => {
      const n = String(name).toLowerCase();
      return String(schema) === "main" ? n : `${String(schema).toLowerCase()}.${n}`;
    }),
  );
}

/**
 * Build every given model in order, unconditionally (tests and one-off builds; `lens build` adds
 * change detection, logs, and staging with one publishing transaction). Errors name the model file and line.
 */
export async function buildModels(db: DuckDBConnection, models: Model[], config: LensConfig = LensConfig.parse({})): Promise<void> {
  for (const m of models) await buildModel(db, m, config);
}
