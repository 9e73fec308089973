import type { Cell, Plant } from "./csv-writer.ts";

function alter(columns: readonly string[], row: Cell[], changes: Record<string, Cell>): Cell[] {
  const out = [...row];
  for (const [name, value] of Object.entries(changes)) {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`bad-row plant names unknown column ${name}`);
    out[i] = value;
  }
  return out;
}

/** A planted row: a copy of the row just written, with a new key and one broken value. */
function broken(afterRow: number, columns: readonly string[], keyColumn: string, column: string, value: Cell, reason: string): Plant {
  return {
    afterRow,
    make(row) {
      const key = row[columns.indexOf(keyColumn)];
      return { values: alter(columns, row, { [keyColumn]: `${key}X`, [column]: value }), column, reason };
    },
  };
}

const duplicate = (afterRow: number): Plant => ({ afterRow, make: () => "duplicate" });

/**
 * The deliberately bad rows of the demo files, so a fresh install shows the quarantine at work.
 * Positions are small row numbers that exist at every scale.
 */
export function plantsFor(entity: string, columns: readonly string[]): Plant[] {
  switch (entity) {
    case "customers":
      return [broken(40, columns, "customer_id", "signup_date", undefined, "required value missing"), duplicate(300)];
    case "orders":
      return [
        broken(100, columns, "order_id", "customer_id", undefined, "required value missing"),
        broken(200, columns, "order_id", "ordered_at", "2024-13-45 25:61:00", "not a valid timestamp"),
        broken(300, columns, "order_id", "gross_amount", "12.3.4", "not a number"),
        duplicate(400),
        duplicate(900),
      ];
    case "survey_responses":
      return [
        broken(50, columns, "response_id", "score", 11, "above the maximum 10"),
        broken(150, columns, "response_id", "survey_type", "nsp", "not one of the allowed values"),
      ];
    case "tickets":
      return [
        broken(60, columns, "ticket_id", "severity", "urgent", "not one of the allowed values"),
        broken(160, columns, "ticket_id", "created_at", "yesterday", "not a valid timestamp"),
      ];
    case "loyalty_events":
      return [broken(80, columns, "event_id", "points", -50, "below the minimum 0"), duplicate(500)];
    default:
      return [];
  }
}
