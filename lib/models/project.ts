import type { DuckDBConnection } from "@duckdb/node-api";
import { readFileSync } from "node:fs";
import { basename, relative } from "node:path";
import { globSync } from "tinyglobby";
import { tablesReadBy } from "./dependencies.ts";

/** How a model is stored in the warehouse. */
export type Materialization = "view" | "table";

/** One SQL model: a file under sql/<layer>/ whose name is the table it builds. */
export interface Model {
  name: string;
  layer: string;
  file: string;
  sql: string;
  materialized: Materialization;
  /** Models this one reads. */
  dependsOn: string[];
  /** Warehouse tables this one reads that no model builds (raw_*, config_*). */
  sources: string[];
}

export const DEFAULT_MATERIALIZATION: Record<string, Materialization> = {
  staging: "view",
  intermediate: "table",
  marts: "table",
};

/** Read every model under `sqlDir`, parse its dependencies with DuckDB, and return them in build order. */
export async function readProject(db: DuckDBConnection, sqlDir = "sql"): Promise<Model[]> {
  const files = globSync("**/*.sql", { cwd: sqlDir, absolute: true }).sort();
  const byName = new Map<string, string>();
  const drafts: Omit<Model, "dependsOn" | "sources">[] = [];
  const reads = new Map<string, string[]>();
  for (const file of files) {
    const name = basename(file, ".sql").toLowerCase();
    const rel = relative(process.cwd(), file);
    const clash = byName.get(name);
    if (clash) throw new Error(`two models are named ${name}: ${clash} and ${rel}; file names are table names and must be unique`);
    byName.set(name, rel);
    const layer = relative(sqlDir, file).split(/[\\/]/)[0];
    const sql = readFileSync(file, "utf8").trim().replace(/;\s*$/, "");
    drafts.push({ name, layer, file: rel, sql, materialized: DEFAULT_MATERIALIZATION[layer] ?? "table" });
    reads.set(name, await tablesReadBy(db, sql, rel));
  }
  const existing = new Set(
    (await db.runAndReadAll("select table_name from information_schema.tables where table_schema = 'main'")).getRows().map((r) => String(r[0])),
  );
  const models = drafts.map((d) => {
    const all = reads.get(d.name) ?? [];
    const dependsOn = all.filter((t) => byName.has(t));
    const sources = all.filter((t) => !byName.has(t));
    const missing = sources.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new Error(`${d.file} reads ${missing.join(", ")}, which is neither a model under sql/ nor a loaded table`);
    }
    return { ...d, dependsOn, sources };
  });
  return topologicalOrder(models);
}

/** Order models so each comes after what it reads; a cycle is an error naming its files. */
export function topologicalOrder(models: Model[]): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const state = new Map<string, "visiting" | "done">();
  const ordered: Model[] = [];
  const visit = (m: Model, path: Model[]) => {
    const s = state.get(m.name);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(m)), m];
      throw new Error(`dependency cycle: ${cycle.map((c) => c.file).join(" → ")}`);
    }
    state.set(m.name, "visiting");
    for (const dep of [...m.dependsOn].sort()) visit(byName.get(dep)!, [...path, m]);
    state.set(m.name, "done");
    ordered.push(m);
  };
  for (const m of [...models].sort((a, b) => a.name.localeCompare(b.name))) visit(m, []);
  return ordered;
}

/** Build the given models in order with create-or-replace. Errors name the model file. */
export async function buildModels(db: DuckDBConnection, models: Model[]): Promise<void> {
  for (const m of models) {
    const kind = m.materialized === "view" ? "view" : "table";
    try {
      // Drop whichever kind exists first: a model can change from view to table.
      const old = await db.runAndReadAll(
        "select table_type from information_schema.tables where table_schema = 'main' and table_name = $1",
        [m.name],
      );
      const oldType = old.getRows()[0]?.[0];
      if (oldType === "VIEW") await db.run(`drop view "${m.name}"`);
      else if (oldType !== undefined) await db.run(`drop table "${m.name}"`);
      await db.run(`create ${kind} "${m.name}" as ${m.sql}`);
    } catch (error) {
      throw new Error(`${m.file}: ${(error as Error).message}`);
    }
  }
}
