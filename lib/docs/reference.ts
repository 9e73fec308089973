import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeConfigTables } from "../config/config-tables.ts";
import { LensConfig } from "../config/lens-config.ts";
import { readProject } from "../models/project.ts";
import { openWarehouse } from "../warehouse/open.ts";
import { ensureRawTables } from "../../loaders/raw-tables.ts";
import { configMarkdown } from "./config-reference.ts";
import { martsMarkdown } from "./marts-reference.ts";

/** Default folder of the generated reference, relative to the project root. */
export const REFERENCE_DIR = "docs/reference";

/**
 * The reference documents, file name → Markdown. Reads the models under `sqlDir` with an in-memory DuckDB
 * that has every raw and config table, so the parser resolves each model's reads exactly as `lens build`
 * does, and a model reading a table that does not exist is an error here too.
 */
export async function referenceDocs(sqlDir = "sql", config: LensConfig = LensConfig.parse({})): Promise<Record<string, string>> {
  const w = await openWarehouse(":memory:");
  try {
    await ensureRawTables(w.db);
    await writeConfigTables(w.db, config);
    const project = await readProject(w.db, sqlDir, { config });
    return { "config.md": configMarkdown(project), "marts.md": martsMarkdown(project, sqlDir) };
  } finally {
    w.close();
  }
}

/** Write the documents into `outDir` (created if needed); returns the paths written, sorted. */
export function writeReferenceDocs(outDir: string, docs: Record<string, string>): string[] {
  mkdirSync(outDir, { recursive: true });
  return Object.keys(docs)
    .sort()
    .map((name) => {
      const path = join(outDir, name);
      writeFileSync(path, docs[name]);
      return path;
    });
}
