import { DuckDBInstance } from "../../warehouse/duckdb.ts";
import type { Command } from "commander";
import { loadLensConfig } from "../../config/lens-config.ts";
import { lineage, lineageText } from "../../models/lineage.ts";
import { readProject } from "../../models/project.ts";

/** `lens lineage`: the model graph, as a layered listing or JSON. */
export function register(program: Command): void {
  program
    .command("lineage")
    .description("Print the model graph: sources, staging, intermediate and marts, and what each model reads")
    .option("--json", "print nodes (layer, materialization, description) and edges as JSON")
    .option("--sql-dir <dir>", "model folder", "sql")
    .addHelpText("after", "\nNeeds no warehouse: dependencies are parsed from the SQL files.\n\nExample:\n  lens lineage --json > lineage.json")
    .action(async (opts: { json?: boolean; sqlDir: string }) => {
      // Only DuckDB's parser is needed, so an in-memory database serves.
      const instance = await DuckDBInstance.create(":memory:");
      const db = await instance.connect();
      try {
        const project = await readProject(db, opts.sqlDir, { config: loadLensConfig(), checkSources: false });
        const g = lineage(project);
        process.stdout.write(opts.json ? `${JSON.stringify(g, null, 2)}\n` : lineageText(g));
      } finally {
        db.closeSync();
        instance.closeSync();
      }
    });
}
