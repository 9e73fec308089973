import type { ColumnRule } from "./column-rule.ts";
import type { FileFormat } from "./read-file.ts";

/** A file to read. */
export interface FileInput {
  kind: "file";
  path: string;
  format: FileFormat;
}

/** A PostgreSQL table or query to read. */
export interface DatabaseInput {
  kind: "database";
  /** Connection string (never printed; see `label`). */
  connection: string;
  /** What messages and lineage call it, e.g. "postgres CRM_DATABASE_URL table crm.customers". */
  label: string;
  table?: string;
  query?: string;
}

/** What to load into one entity's raw table. */
export interface EntityPlan {
  entity: string;
  /** The load source as quarantine and audit name it: the folder, the config file, or the database label. */
  source: string;
  inputs: (FileInput | DatabaseInput)[];
  /** Contract column ← rule; columns without a rule read the same-named source column. */
  columns: Record<string, ColumnRule>;
}

/** A whole load: entities in contract order. */
export interface LoadPlan {
  entities: EntityPlan[];
  /** Things worth telling the user that do not stop the load (unknown files, …). */
  warnings: string[];
}
