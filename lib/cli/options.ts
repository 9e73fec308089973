import type { Command } from "commander";

/** Default warehouse file, relative to the project root. */
export const DEFAULT_WAREHOUSE = "data/warehouse.duckdb";

/** Add the --warehouse option every warehouse command shares. */
export function warehouseOption(cmd: Command): Command {
  return cmd.option("-w, --warehouse <file>", "DuckDB warehouse file", process.env.LENS_WAREHOUSE ?? DEFAULT_WAREHOUSE);
}
