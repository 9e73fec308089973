import type { DuckDBConnection } from "@duckdb/node-api";
import type { LensConfig } from "../config/lens-config.ts";

/**
 * A model that SQL cannot express well (a likelihood fit, word segmentation), written as
 * sql/<layer>/<name>.ts with `export default { dependsOn, build } satisfies TsModel`.
 * It must create the table `context.name`: the model's own name, or, while `lens build` runs, a staging name
 * that replaces the model's table when the whole build has succeeded. `context.model` is the model's name,
 * for messages. Dependencies are declared, since they cannot be parsed.
 */
export interface TsModel {
  /** Models or loaded tables the build reads. */
  dependsOn: string[];
  /** One line on what the table holds, its grain and key. */
  description: string;
  build(db: DuckDBConnection, context: { name: string; model: string; config: LensConfig }): Promise<void>;
}
