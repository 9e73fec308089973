import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { cachedFingerprints, saveFingerprints } from "../lib/models/fingerprint-cache.ts";
import { withWarehouseCopy } from "../lib/warehouse/open.ts";
import { entityContracts } from "./contract-columns.ts";
import { load, type LoadOptions, type LoadSummary } from "./load.ts";
import type { LoadPlan } from "./load-plan.ts";
import { rawTableName } from "./raw-tables.ts";

/**
 * Load a plan into the warehouse file atomically: the load runs on a copy that replaces the file only
 * when every input was read; on any error the previous warehouse stays byte-for-byte as it was.
 * Then records the raw tables' fingerprints for the new file (see {@link fingerprintsAfterLoad}).
 */
export async function loadIntoWarehouse(
  path: string,
  plan: LoadPlan,
  options: LoadOptions & { memoryLimit?: string } = {},
): Promise<LoadSummary> {
  await mkdir(dirname(path), { recursive: true });
  const before = cachedFingerprints(path);
  const summary = await withWarehouseCopy(path, (w) => load(w.db, plan, options), { memoryLimit: options.memoryLimit });
  await saveFingerprints(path, fingerprintsAfterLoad(before, summary));
  return summary;
}

/**
 * The raw tables' fingerprints after a load, without reading them: a table the load changed gets the load's id
 * (no other load has it, so its readers rebuild), one it left alone keeps the fingerprint it had, if that was
 * known. The next build hashes only the tables left out. At l scale hashing the two 10M-row tables took ~5
 * CPU-seconds of every build after a load; a content hash would tell the build no more than the load already
 * knows. An edit that is not a load changes the file and so voids these, as before.
 */
export function fingerprintsAfterLoad(before: Map<string, string>, summary: LoadSummary): Map<string, string> {
  const changed = new Set(summary.changedTables);
  const after = new Map<string, string>();
  for (const contract of entityContracts) {
    const table = rawTableName(contract.entity);
    const known = changed.has(table) ? `load:${summary.loadId}` : before.get(table);
    if (known !== undefined) after.set(table, known);
  }
  return after;
}
