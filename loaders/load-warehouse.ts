import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { withWarehouseCopy } from "../lib/warehouse/open.ts";
import { load, type LoadOptions, type LoadSummary } from "./load.ts";
import type { LoadPlan } from "./load-plan.ts";

/**
 * Load a plan into the warehouse file atomically: the load runs on a copy that replaces the file only
 * when every input was read; on any error the previous warehouse stays byte-for-byte as it was.
 */
export async function loadIntoWarehouse(
  path: string,
  plan: LoadPlan,
  options: LoadOptions & { memoryLimit?: string } = {},
): Promise<LoadSummary> {
  await mkdir(dirname(path), { recursive: true });
  return withWarehouseCopy(path, (w) => load(w.db, plan, options), { memoryLimit: options.memoryLimit });
}
