import { z } from "zod";

/**
 * How one contract column is filled from a source row. A bare string is a rename (the source column's
 * name). `sql` is trusted analyst code, like a dbt model: a DuckDB expression over the source columns
 * (and `_line`); data values never become SQL text.
 */
export const ColumnRule = z.union([
  z.string().min(1),
  z
    .object({
      from: z.string().min(1).optional().describe("Source column to read."),
      value: z.union([z.string(), z.number(), z.boolean()]).optional().describe("A constant for every row."),
      sql: z.string().min(1).optional().describe("DuckDB SQL expression over the source columns."),
      format: z.string().min(1).optional().describe("strptime format for dates and times, e.g. %Y%m%d or %d/%m/%Y %H:%M."),
      thousands: z.string().length(1).optional().describe("Thousands separator in numbers (default ,)."),
      decimal: z.string().length(1).optional().describe("Decimal separator in numbers (default .)."),
      true: z.array(z.string()).min(1).optional().describe("Spellings of true, e.g. [\"是\", \"Y\"]."),
      false: z.array(z.string()).min(1).optional().describe("Spellings of false, e.g. [\"否\", \"N\"]."),
      map: z.record(z.string(), z.string()).optional().describe("Replace source values, e.g. status codes by contract values."),
    })
    .strict()
    .refine((r) => [r.from, r.value, r.sql].filter((x) => x !== undefined).length <= 1, {
      message: "give at most one of from, value and sql",
    }),
]);
export type ColumnRule = z.infer<typeof ColumnRule>;

/** A rule in its long form. */
export type ColumnRuleObject = Exclude<ColumnRule, string>;

export function ruleObject(rule: ColumnRule | undefined): ColumnRuleObject {
  if (rule === undefined) return {};
  return typeof rule === "string" ? { from: rule } : rule;
}
