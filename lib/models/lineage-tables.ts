import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { rewriteWhenChanged } from "../warehouse/rewrite-when-changed.ts";
import { lineage } from "./lineage.ts";
import type { Model } from "./model.ts";

/**
 * Store the model graph in the warehouse (`lens_lineage_nodes`, `lens_lineage_edges`) so the site's
 * data loaders can draw it from the same file they read the marts from.
 */
export async function writeLineageTables(db: DuckDBConnection, project: Model[]): Promise<void> {
  const g = lineage(project);
  await rewriteWhenChanged(db, ["lens_lineage_nodes", "lens_lineage_edges"], g, async () => {
    await db.run(`create or replace table lens_lineage_nodes (
      name varchar primary key, layer varchar not null, materialization varchar not null, description varchar, file varchar
    )`);
    await db.run(`create or replace table lens_lineage_edges ("from" varchar not null, "to" varchar not null)`);
    await insertAll(db, "lens_lineage_nodes", g.nodes.map((n) => [n.name, n.layer, n.materialization, n.description, n.file]));
    await insertAll(db, "lens_lineage_edges", g.edges.map((e) => [e.from, e.to]));
  });
}

async function insertAll(db: DuckDBConnection, table: string, rows: DuckDBValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const width = rows[0].length;
  const tuples = rows.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`);
  await db.run(`insert into ${table} values ${tuples.join(", ")}`, rows.flat());
}
