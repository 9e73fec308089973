import type { Command } from "commander";
import { loadLensConfig } from "../../config/lens-config.ts";
import { readProject } from "../../models/project.ts";
import { generateTypes, writeTypesFile } from "../../models/types-gen.ts";
import { openWarehouse } from "../../warehouse/open.ts";
import { warehouseOption } from "../options.ts";

/** `lens types`: regenerate lib/warehouse/schema.ts from the built warehouse. */
export function register(program: Command): void {
  warehouseOption(
    program
      .command("types")
      .description("Generate the Kysely types of the intermediate and mart tables from the built warehouse")
      .option("-o, --out <file>", "where to write them", "lib/warehouse/schema.ts")
      .option("--sql-dir <dir>", "model folder", "sql")
      .addHelpText("after", "\nlens build does this too. Then `npx tsc --noEmit` shows every reader of a renamed column."),
  ).action(async (opts: { out: string; sqlDir: string; warehouse: string }) => {
    const w = await openWarehouse(opts.warehouse, { readOnly: true });
    try {
      const project = await readProject(w.db, opts.sqlDir, { config: loadLensConfig() });
      const changed = await writeTypesFile(opts.out, await generateTypes(w.db, project));
      process.stdout.write(changed ? `wrote ${opts.out}\n` : `${opts.out} is up to date\n`);
    } finally {
      w.close();
    }
  });
}
