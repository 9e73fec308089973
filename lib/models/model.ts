import type { Contract } from "./contract.ts";
import type { TsModel } from "./ts-model.ts";

/** How a model is stored in the warehouse. */
export type Materialization = "view" | "table";

/** One model: a file under sql/<layer>/ whose name is the table (or view) it builds. */
export interface Model {
  /** Table name: the file name without extension, lower-cased. */
  name: string;
  /** The folder under sql/: staging, intermediate, marts. */
  layer: string;
  /** Path of the model file relative to the working directory, for messages. */
  file: string;
  /** "sql" for a plain select, "ts" for a TsModel module. */
  kind: "sql" | "ts";
  /** The select, exactly as in the file but without a trailing semicolon (empty for TS models). */
  sql: string;
  /** The whole file text, hashed to detect edits. */
  text: string;
  /** The loaded module of a TS model. */
  ts?: TsModel;
  materialized: Materialization;
  /** Models this one reads. */
  dependsOn: string[];
  /** Warehouse tables this one reads that no model builds (raw_*, config_*). */
  sources: string[];
  /** The contract beside the model, when there is one. */
  contract?: Contract;
  /** Path of the contract file (whether or not it exists), relative to the working directory. */
  contractFile: string;
  /** The contract file's text, hashed with the model. */
  contractText: string;
  /** One line on what the model holds: the contract's description, or the TS model's. */
  description?: string;
}
