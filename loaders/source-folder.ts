import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { entityContracts } from "./contract-columns.ts";
import { LoadError } from "./load-error.ts";
import type { LoadPlan } from "./load-plan.ts";
import { formatOf } from "./read-file.ts";

/** File names a source folder may hold for an entity, in the order they are looked for. */
export const FOLDER_EXTENSIONS = [".csv", ".csv.gz", ".parquet", ".jsonl", ".ndjson"] as const;

/**
 * Plan a load from a folder with one file per entity, named `<entity>.csv|.csv.gz|.parquet|.jsonl|.ndjson`.
 * Columns are read by their contract names. Entities without a file are left out (their raw rows stay);
 * other files produce a warning, except the sidecars an export folder is expected to carry.
 */
// The demo generator writes truth.json beside its files; READMEs travel with hand-made exports.
const SIDECAR_FILES = new Set(["truth.json", "readme.md", "readme.txt"]);

export function planFromFolder(dir: string): LoadPlan {
  const folder = resolve(dir);
  if (!existsSync(folder)) throw new LoadError(dir, "folder not found; pass the folder that holds the export files (e.g. lens load --source data/demo)");
  if (!statSync(folder).isDirectory()) throw new LoadError(dir, "is a file, not a folder; use --config for a single-file mapping, or pass the folder that holds it");
  const files = readdirSync(folder).filter((f) => statSync(join(folder, f)).isFile() && !f.startsWith("."));
  const used = new Set<string>();
  const plan: LoadPlan = { entities: [], warnings: [] };
  for (const contract of entityContracts) {
    const matches = files.filter((f) => FOLDER_EXTENSIONS.some((ext) => f.toLowerCase() === contract.entity + ext));
    if (matches.length > 1) {
      throw new LoadError(join(dir, matches[0]), `more than one file for ${contract.entity} (${matches.join(", ")}); keep one`);
    }
    if (matches.length === 0) continue;
    used.add(matches[0]);
    const path = join(folder, matches[0]);
    plan.entities.push({ entity: contract.entity, source: folder, inputs: [{ kind: "file", path, format: { format: formatOf(path)! } }], columns: {} });
  }
  for (const f of files) {
    if (!used.has(f) && !SIDECAR_FILES.has(f.toLowerCase())) plan.warnings.push(`ignored ${join(dir, f)}: not named after an entity (${entityContracts.map((c) => c.entity).join(", ")}) with ${FOLDER_EXTENSIONS.join(", ")}`);
  }
  return plan;
}
