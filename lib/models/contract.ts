import { existsSync, readFileSync } from "node:fs";
import { load } from "js-yaml";
import { z } from "zod";

/** A foreign key: every non-null value of the column appears in `to.field`. */
export const Relationship = z.strictObject({
  to: z.string().min(1).describe("The model (or loaded table) the column points at."),
  field: z.string().min(1).describe("The column of `to` it must match."),
});
export type Relationship = z.infer<typeof Relationship>;

/** What a column means and what must hold for it. */
export const ColumnContract = z.strictObject({
  description: z.string().min(1),
  not_null: z.boolean().optional(),
  unique: z.boolean().optional(),
  accepted_values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
  relationships: Relationship.optional(),
});
export type ColumnContract = z.infer<typeof ColumnContract>;

/** A free SQL check: any row the select returns is a failure. */
export const Assertion = z.strictObject({
  name: z.string().min(1),
  sql: z.string().min(1),
});
export type Assertion = z.infer<typeof Assertion>;

/** The contract beside a model: sql/<layer>/<name>.yml. */
export const Contract = z.strictObject({
  description: z.string().min(1).describe("What the model holds, for the people who read it."),
  grain: z.string().min(1).describe('What one row is, e.g. "one row per customer per month".'),
  primary_key: z
    .array(z.string().min(1))
    .describe("Columns that together are unique and never null; [] for a model of at most one row (every row would share the empty key)."),
  materialized: z.enum(["view", "table"]).optional().describe("Overrides the folder's materialization."),
  columns: z.record(z.string(), ColumnContract).default({}),
  assertions: z.array(Assertion).default([]),
});
export type Contract = z.infer<typeof Contract>;

/**
 * Read and validate a contract file. Returns undefined when there is none; a contract that is not
 * valid YAML or breaks the schema is an error naming the file and each problem.
 */
export function readContract(file: string): { contract?: Contract; text: string } {
  if (!existsSync(file)) return { text: "" };
  const text = readFileSync(file, "utf8");
  let raw: unknown;
  try {
    raw = load(text);
  } catch (error) {
    throw new Error(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = Contract.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new Error(`${file} is not a valid model contract:\n${issues}`);
  }
  return { contract: parsed.data, text };
}
