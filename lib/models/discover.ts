import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tsSourceText } from "./ts-source-text.ts";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readContract } from "./contract.ts";
import type { Materialization, Model } from "./model.ts";
import type { TsModel } from "./ts-model.ts";

/** Materialization of each folder unless lens.config.json says otherwise. */
export const DEFAULT_MATERIALIZATION: Record<string, Materialization> = {
  staging: "view",
  intermediate: "table",
  marts: "table",
};

/** Table name prefixes the runner and loaders own; a model may not take them. */
export const RESERVED_PREFIXES = ["raw_", "config_", "lens_"];

/** A model file read from disk, before its dependencies are known. */
export type ModelDraft = Omit<Model, "dependsOn" | "sources">;

/**
 * Read every model file (sql/<layer>/<name>.sql or .ts) and its contract. Two files with the same
 * name, a file outside a layer folder, a reserved name or a bad contract is an error naming the files.
 */
export async function discoverModels(
  sqlDir: string,
  materializedByLayer: Record<string, Materialization> = {},
): Promise<ModelDraft[]> {
  const byLayer = { ...DEFAULT_MATERIALIZATION, ...materializedByLayer };
  // A plain directory walk: a glob library costs more to import than the walk takes (every lens command reads this).
  const files = (existsSync(sqlDir) ? readdirSync(sqlDir, { recursive: true, encoding: "utf8" }) : [])
    .filter((f) => /\.(sql|ts)$/.test(f) && !/\.(d|test)\.ts$/.test(f))
    .map((f) => resolve(sqlDir, f))
    .sort();
  const seen = new Map<string, string>();
  const drafts: ModelDraft[] = [];
  for (const path of files) {
    const ext = extname(path);
    const name = basename(path, ext).toLowerCase();
    const file = relative(process.cwd(), path) || path;
    const parts = relative(sqlDir, path).split(/[\\/]/);
    if (parts.length !== 2) {
      throw new Error(`${file}: models live one folder deep, as ${join(sqlDir, "<layer>", basename(path))} (staging, intermediate or marts)`);
    }
    const layer = parts[0];
    const clash = seen.get(name);
    if (clash) {
      throw new Error(`two models are named ${name}: ${clash} and ${file}; the file name is the table name, so rename one of them`);
    }
    seen.set(name, file);
    const reserved = RESERVED_PREFIXES.find((p) => name.startsWith(p));
    if (reserved) {
      throw new Error(`${file}: model names may not start with ${reserved} (reserved for loaded and runner tables); rename the file`);
    }
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      throw new Error(`${file}: a model name is a table name: lower-case letters, digits and _ only`);
    }
    const contractPath = join(dirname(path), `${basename(path, ext)}.yml`);
    const contractFile = relative(process.cwd(), contractPath) || contractPath;
    const { contract, text: contractText } = readContract(contractFile);
    const text = ext === ".sql" ? readFileSync(path, "utf8") : tsSourceText(path);
    const base = {
      name,
      layer,
      file,
      text,
      contract,
      contractFile,
      contractText,
      materialized: contract?.materialized ?? byLayer[layer] ?? "table",
    };
    if (ext === ".sql") {
      drafts.push({ ...base, kind: "sql", sql: modelSelect(text), description: contract?.description });
    } else {
      const ts = await loadTsModel(path, file);
      // A TS model writes a table itself; a view cannot be produced by arbitrary code.
      drafts.push({ ...base, kind: "ts", sql: "", ts, materialized: "table", description: contract?.description ?? ts.description });
    }
  }
  return drafts;
}

/** The file's select without its trailing semicolon; leading lines stay so DuckDB's LINE numbers match the file. */
export function modelSelect(text: string): string {
  return text.replace(/;\s*$/, "").trimEnd();
}

async function loadTsModel(path: string, file: string): Promise<TsModel> {
  let mod: { default?: Partial<TsModel> };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: Partial<TsModel> };
  } catch (error) {
    throw new Error(`${file}: cannot load this TS model: ${(error as Error).message}`);
  }
  const m = mod.default;
  if (!m || typeof m.build !== "function" || !Array.isArray(m.dependsOn)) {
    throw new Error(`${file}: a TS model's default export is { dependsOn: string[], description, build(db, context) } (see lib/models/ts-model.ts)`);
  }
  return m as TsModel;
}
