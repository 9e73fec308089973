import type { Command } from "commander";
import pc from "picocolors";
import { test } from "../../models/run-test.ts";
import { warehouseOption } from "../options.ts";

/** `lens test`: run every model contract check against the built warehouse. */
export function register(program: Command): void {
  warehouseOption(
    program
      .command("test")
      .description("Check the built models against their contracts (keys, not-null, accepted values, relationships, assertions)")
      .option("-s, --select <models...>", "only these models: name, name+, +name, or a folder")
      .option("--strict", "a model without a contract file fails instead of warning")
      .option("--sql-dir <dir>", "model folder", "sql")
      .addHelpText(
        "after",
        "\nEach failure prints the model, the check and up to 5 offending rows; results are kept in the table lens_test_results." +
          "\nExits with code 1 when any check fails.\n\nExample:\n  lens test --select customer_value",
      ),
  ).action(async (opts: { select?: string[]; strict?: boolean; sqlDir: string; warehouse: string }) => {
    const report = await test(opts.warehouse, {
      sqlDir: opts.sqlDir,
      select: opts.select,
      strict: opts.strict,
      log: (line) => process.stdout.write(`${line.startsWith("WARN") ? pc.yellow(line) : pc.red(line)}\n`),
    });
    const passed = report.results.filter((r) => r.status === "pass").length;
    const summary = `${passed} passed, ${report.failures.length} failed, ${report.results.filter((r) => r.status === "warn").length} warnings (run ${report.runId})`;
    if (report.ok) process.stdout.write(`${pc.green("ok")} ${summary}\n`);
    else {
      process.stdout.write(`${pc.red("failed")} ${summary}\n`);
      process.exitCode = 1;
    }
  });
}
