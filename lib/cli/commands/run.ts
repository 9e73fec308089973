import type { Command } from "commander";
import pc from "picocolors";
import { warehouseOption } from "../options.ts";

/** `lens run`: load, then build, then test — the whole refresh, stopping at the first step that fails. */
export function register(program: Command): void {
  warehouseOption(
    program
      .command("run")
      .description("Load sources, build the models that changed, and run the data tests (load + build + test)")
      .option("-s, --source <dir>", "folder with one file per entity (as for lens load)")
      .option("-c, --config <file>", "JSON load config (as for lens load)")
      .option("--full-refresh", "rebuild every model, not only the changed ones")
      .addHelpText(
        "after",
        "\nWithout --source or --config the load step is skipped and the current raw tables are rebuilt and tested." +
          "\nEach step keeps the previous warehouse if it fails.\n\nExamples:\n  lens run --source data/demo\n  lens run --config loaders/examples/cdnow.json --warehouse data/cdnow.duckdb",
      ),
  ).action(async (opts: { source?: string; config?: string; fullRefresh?: boolean; warehouse: string }) => {
    // Each step runs as its own subcommand so `lens run` prints exactly what the separate commands print.
    const { main } = await import("../main.ts");
    const steps: string[][] = [];
    if (opts.source) steps.push(["load", "--source", opts.source]);
    if (opts.config) steps.push(["load", "--config", opts.config]);
    steps.push(["build", ...(opts.fullRefresh ? ["--full-refresh"] : [])]);
    steps.push(["test"]);
    for (const step of steps) {
      process.stderr.write(`${pc.bold(`lens ${step[0]}`)}\n`);
      const code = await main(["node", "lens", ...step, "--warehouse", opts.warehouse]);
      if (code !== 0) {
        process.stderr.write(`${pc.red("stopped")}: lens ${step[0]} failed (exit ${code}); later steps were not run\n`);
        process.exitCode = code;
        return;
      }
      process.exitCode = 0;
    }
  });
}
