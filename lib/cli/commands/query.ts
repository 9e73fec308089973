import type { Command } from "commander";
import { openWarehouse } from "../../warehouse/open.ts";
import { queryRows } from "../../warehouse/query.ts";
import { warehouseOption } from "../options.ts";

/** `lens query "<sql>"`: ad-hoc read-only SQL against the warehouse. */
export function register(program: Command): void {
  warehouseOption(
    program
      .command("query")
      .description("Run a read-only SQL query against the warehouse and print the result")
      .argument("<sql>", "the SQL to run, e.g. \"select * from kpi_scorecard limit 5\"")
      .option("--json", "print rows as JSON instead of a table")
      .addHelpText("after", '\nExample:\n  lens query "select month, nps, ci_low, ci_high from nps_monthly order by month" --json'),
  ).action(async (sql: string, opts: { json?: boolean; warehouse: string }) => {
    const w = await openWarehouse(opts.warehouse, { readOnly: true });
    try {
      const rows = await queryRows(w.db, sql);
      if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else if (rows.length === 0) process.stdout.write("(no rows)\n");
      else console.table(rows);
    } finally {
      w.close();
    }
  });
}
