import { z } from "zod";
import { contracts } from "./contracts/index.ts";

/** The warehouse type a contract column is stored as. */
export type ColumnType = "varchar" | "bigint" | "double" | "date" | "timestamp" | "boolean";

/** What the loaders, docs and the privacy scan need to know about one contract column. */
export interface ContractColumn {
  name: string;
  type: ColumnType;
  required: boolean;
  pii: boolean;
  description: string;
  /** Accepted values, for enums. */
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Strings that must not be empty. */
  nonEmpty?: boolean;
}

/** A source entity as the loaders see it: its name, key and columns, derived from its zod schema. */
export interface EntityContract {
  entity: string;
  description: string;
  key: string[];
  columns: ContractColumn[];
  schema: z.ZodObject;
}

interface Meta {
  description?: string;
  pii?: boolean;
  entity?: string;
  key?: string[];
}

// Zod 4 keeps checks in def.checks; min/max/int come back as `_zod.def` entries we read here.
function bounds(schema: z.ZodType): { min?: number; max?: number; nonEmpty?: boolean } {
  const out: { min?: number; max?: number; nonEmpty?: boolean } = {};
  const checks = ((schema as unknown as { def: { checks?: unknown[] } }).def.checks ?? []) as { _zod: { def: Record<string, unknown> } }[];
  for (const c of checks) {
    const d = c._zod.def;
    if (d.check === "greater_than" && typeof d.value === "number") out.min = d.value;
    if (d.check === "less_than" && typeof d.value === "number") out.max = d.value;
    if (d.check === "min_length" && d.minimum === 1) out.nonEmpty = true;
  }
  return out;
}

function columnType(schema: z.ZodType): { type: ColumnType; values?: readonly string[] } {
  const def = (schema as unknown as { def: { type: string } }).def;
  const format = (schema as unknown as { format?: string | null }).format;
  switch (def.type) {
    case "string":
      if (format === "date") return { type: "date" };
      if (format === "datetime") return { type: "timestamp" };
      return { type: "varchar" };
    case "number":
      return { type: format === "safeint" || format === "int32" ? "bigint" : "double" };
    case "boolean":
      return { type: "boolean" };
    case "enum":
      return { type: "varchar", values: (schema as z.ZodEnum).options as string[] };
    default:
      throw new Error(`contract column of zod type ${def.type} has no warehouse type`);
  }
}

/** Read a zod object contract into the column list the loaders and docs use. */
export function describeContract(schema: z.ZodObject): EntityContract {
  const meta = (schema.meta() ?? {}) as Meta;
  if (!meta.entity || !meta.key) throw new Error("a contract needs meta({ entity, key })");
  const columns: ContractColumn[] = [];
  for (const [name, field] of Object.entries(schema.shape)) {
    let inner = field as z.ZodType;
    let required = true;
    const fieldMeta = ((inner as z.ZodType).meta() ?? {}) as Meta;
    while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      required = false;
      inner = inner.unwrap() as z.ZodType;
    }
    const innerMeta = (inner.meta() ?? {}) as Meta;
    const m = { ...innerMeta, ...fieldMeta };
    const { type, values } = columnType(inner);
    columns.push({
      name,
      type,
      required,
      pii: m.pii === true,
      description: m.description ?? "",
      ...(values ? { values } : {}),
      ...bounds(inner),
    });
  }
  return { entity: meta.entity, description: meta.description ?? "", key: meta.key, columns, schema };
}

/** All source entities, described. */
export const entityContracts: EntityContract[] = contracts.map((c) => describeContract(c as unknown as z.ZodObject));

/** Look up an entity's contract by name, with an error that lists the known ones. */
export function contractFor(entity: string): EntityContract {
  const found = entityContracts.find((c) => c.entity === entity);
  if (!found) throw new Error(`unknown entity "${entity}"; known entities: ${entityContracts.map((c) => c.entity).join(", ")}`);
  return found;
}
