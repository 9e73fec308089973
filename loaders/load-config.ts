import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { globSync, isDynamicPattern } from "tinyglobby";
import { z } from "zod";
import { ColumnRule } from "./column-rule.ts";
import { entityContracts } from "./contract-columns.ts";
import { LoadError } from "./load-error.ts";
import type { EntityPlan, LoadPlan } from "./load-plan.ts";
import { formatOf } from "./read-file.ts";
import { checkEncodingName } from "./text-encoding.ts";

/** Where one entity's rows come from, and how its columns map onto the contract. */
export const EntitySource = z
  .object({
    file: z.string().min(1).optional().describe("A file or glob, relative to the config file."),
    files: z.array(z.string().min(1)).min(1).optional().describe("Several files or globs, loaded in order."),
    connection: z.string().min(1).optional().describe("PostgreSQL connection string (prefer connection_env: it keeps passwords out of files)."),
    connection_env: z.string().min(1).optional().describe("Name of the environment variable that holds the connection string."),
    table: z.string().min(1).optional().describe("Database table (table or schema.table)."),
    query: z.string().min(1).optional().describe("Database query (a SELECT)."),
    format: z.enum(["csv", "whitespace", "jsonl", "parquet"]).optional().describe("File format; by default from the file name (.csv, .txt, .parquet, .jsonl, .ndjson)."),
    encoding: z.string().min(1).optional().describe("Text encoding, e.g. utf-8, gbk, gb18030; detected when absent."),
    delimiter: z.string().min(1).optional().describe("CSV field separator (default ,)."),
    quote: z.string().max(1).optional().describe("CSV quote character (default \"; empty for none)."),
    header: z.boolean().optional().describe("The first line holds column names (default true)."),
    names: z.array(z.string().min(1)).min(1).optional().describe("Column names for files without a header line."),
    columns: z.record(z.string(), ColumnRule).default({}).describe("Contract column ← source column or rule."),
  })
  .strict()
  .superRefine((s, ctx) => {
    const kinds = [s.file, s.files, s.connection ?? s.connection_env].filter((x) => x !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: "custom", message: "give exactly one of file, files, or connection/connection_env" });
    if (s.connection && s.connection_env) ctx.addIssue({ code: "custom", message: "give connection or connection_env, not both" });
    if ((s.connection ?? s.connection_env) !== undefined && !s.table === !s.query) ctx.addIssue({ code: "custom", message: "a database source needs exactly one of table and query" });
    if ((s.table ?? s.query) !== undefined && (s.connection ?? s.connection_env) === undefined) ctx.addIssue({ code: "custom", message: "table and query need connection or connection_env" });
  });
export type EntitySource = z.infer<typeof EntitySource>;

const entityNames = entityContracts.map((c) => c.entity) as [string, ...string[]];

/** A load config file: entity → source. */
export const LoadConfig = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    entities: z.partialRecord(z.enum(entityNames), EntitySource).refine((e) => Object.keys(e).length > 0, "name at least one entity"),
  })
  .strict();
export type LoadConfig = z.infer<typeof LoadConfig>;

/** Read and validate a config file and turn it into a load plan (paths resolved against the config's folder). */
export function planFromConfig(configPath: string, env: NodeJS.ProcessEnv = process.env): LoadPlan {
  const file = resolve(configPath);
  if (!existsSync(file)) throw new LoadError(configPath, "config file not found; check the path (see docs/loading.md for the format and loaders/examples/ for examples)");
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LoadError(configPath, `is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = LoadConfig.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  at ${i.path.length ? i.path.join(".") : "(top)"}: ${i.message}`);
    throw new LoadError(configPath, `is not a valid load config:\n${issues.join("\n")}\nSee docs/loading.md for the config reference.`);
  }
  return planFromLoadConfig(parsed.data, dirname(file), configPath, env);
}

/** Turn a parsed config into a plan; `base` is the folder relative paths start from. */
export function planFromLoadConfig(config: LoadConfig, base: string, label: string, env: NodeJS.ProcessEnv = process.env): LoadPlan {
  const plan: LoadPlan = { entities: [], warnings: [] };
  for (const contract of entityContracts) {
    const source = config.entities[contract.entity as keyof typeof config.entities] as EntitySource | undefined;
    if (!source) continue;
    const entity: EntityPlan = { entity: contract.entity, source: label, inputs: [], columns: source.columns };
    if (source.connection || source.connection_env) {
      const connection = source.connection ?? env[source.connection_env!];
      if (!connection) {
        throw new LoadError(label, `entities.${contract.entity}: environment variable ${source.connection_env} is not set; set it to the PostgreSQL connection string`);
      }
      const what = source.table ? `table ${source.table}` : "query";
      entity.inputs.push({ kind: "database", connection, table: source.table, query: source.query, label: `postgres${source.connection_env ? ` ${source.connection_env}` : ""} ${what}` });
    } else {
      for (const pattern of source.files ?? [source.file!]) {
        const abs = isAbsolute(pattern) ? pattern : resolve(base, pattern);
        const paths = isDynamicPattern(pattern) ? globSync(abs, { absolute: true }).sort() : [abs];
        if (paths.length === 0) throw new LoadError(abs, `no file matches this pattern (entities.${contract.entity}); check the path, relative to ${base}`);
        for (const path of paths) {
          const format = source.format ?? formatOf(path);
          if (!format) throw new LoadError(path, `cannot tell the format from the name; add "format": "csv" (or whitespace, jsonl, parquet) to entities.${contract.entity}`);
          if (source.encoding) checkEncodingName(path, source.encoding);
          entity.inputs.push({
            kind: "file",
            path,
            format: {
              format,
              ...(source.encoding ? { encoding: source.encoding } : {}),
              ...(source.delimiter ? { delimiter: source.delimiter } : {}),
              ...(source.quote !== undefined ? { quote: source.quote } : {}),
              ...(source.header !== undefined ? { header: source.header } : {}),
              ...(source.names ? { columns: source.names } : {}),
            },
          });
        }
      }
    }
    plan.entities.push(entity);
  }
  return plan;
}
