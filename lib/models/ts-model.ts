import type { DuckDBConnection } from "@duckdb/node-api";
import type { LensConfig } from "../config/lens-config.ts";

/**
 * A model that SQL cannot express well (a likelihood fit, word segmentation), written as
 * sql/<layer>/<name>.ts with `export default { dependsOn, build } satisfies TsModel`.
 * It must create (or replace) the table `<name>`; dependencies are declared, since they cannot be parsed.
 */
export interface TsModel {
  /** Models or loaded tables the build reads. */
  dependsOn: string[];
  /** One line on what the table holds, its grain and key. */
  description: string;
  build(db: DuckDBConnection, context: { name: string; config: LensConfig }): Promise<void>;
}
