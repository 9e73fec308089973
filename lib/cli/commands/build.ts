import type { Command } from "commander";
import { existsSync } from "node:fs";
import pc from "picocolors";
import { ModelBuildError } from "../../models/build-model.ts";
import { build } from "../../models/run-build.ts";
import { warehouseOption } from "../options.ts";

/** `lens build`: rebuild the models that changed; they replace the stored ones together, only when all built. */
export function register(program: Command): void {
  warehouseOption(
    program
      .command("build")
      .description("Build the SQL models under sql/ into the warehouse, rebuilding only what changed")
      .option("-s, --select <models...>", "only these models: name, name+ (and downstream), +name (and upstream), or a folder")
      .option("--full-refresh", "rebuild the selected models even when nothing changed")
      .option("--sql-dir <dir>", "model folder", "sql")
      .option("--types <file>", "where to write the generated Kysely types", "lib/warehouse/schema.ts")
      .option("--no-types", "do not regenerate the types")
      .addHelpText(
        "after",
        "\nA model is rebuilt when its SQL, its contract, a model it reads or the data of a raw_*/config_* table it reads changed." +
          "\nNew models replace the old ones in one transaction once all have built; a failing model leaves every table as it was." +
          "\n\nExamples:\n  lens build\n  lens build --select customer_value+\n  lens build --full-refresh",
      ),
  ).action(async (opts: { select?: string[]; fullRefresh?: boolean; sqlDir: string; types: string | false; warehouse: string }) => {
    const started = performance.now();
    // Opening a missing file would create an empty warehouse that then fails to build: say what to do instead.
    if (opts.warehouse !== ":memory:" && !existsSync(opts.warehouse)) {
      throw new Error(`warehouse ${opts.warehouse} does not exist; load data first: lens load --source <folder> (or lens run --source <folder>)`);
    }
    try {
      const result = await build(opts.warehouse, {
        sqlDir: opts.sqlDir,
        select: opts.select,
        fullRefresh: opts.fullRefresh,
        typesFile: opts.types,
        log: (line) => process.stdout.write(`${colour(line)}\n`),
      });
      const built = result.models.filter((m) => m.status === "built").length;
      const skipped = result.models.length - built;
      process.stdout.write(
        `${pc.green("done")} built ${built}, skipped ${skipped} of ${result.models.length} models in ${((performance.now() - started) / 1000).toFixed(1)} s → ${opts.warehouse}\n`,
      );
    } catch (error) {
      if (error instanceof ModelBuildError) {
        throw new Error(`model ${error.model} failed to build: ${error.message}\nThe warehouse ${opts.warehouse} was left as it was; fix the model and run lens build again.`);
      }
      throw error;
    }
  });
}

function colour(line: string): string {
  if (line.startsWith("warning")) return pc.yellow(line);
  if (line.includes("FAILED")) return pc.red(line);
  if (line.trimStart().startsWith("skipped")) return pc.dim(line);
  return line;
}
