import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Model } from "../models/model.ts";

/** Source text without comments, so a setting a comment merely mentions does not count as read. */
function code(text: string, kind: "sql" | "ts"): string {
  if (kind === "sql") return text.replace(/--[^\n]*/g, "");
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/[^\n]*/g, "$1");
}

/**
 * The code a model runs: the SQL file, or a TS model and the project files it imports directly (the CLV
 * model reads its settings in lib/clv). One level of imports is enough for the models we have.
 */
function modelCode(m: Model): string {
  if (m.kind === "sql") return code(m.text, "sql");
  // m.text of a TS model carries every file it imports (for its hash); read the model file itself here.
  const own = readFileSync(m.file, "utf8");
  const parts = [code(own, "ts")];
  // Static imports and the dynamic import("…") by which TS models load their heavy code inside build().
  for (const [, spec] of own.matchAll(/(?:from\s+|import\(\s*)"(\.\.?\/[^"]+\.ts)"/g)) {
    const file = resolve(dirname(resolve(m.file)), spec);
    if (existsSync(file)) parts.push(code(readFileSync(file, "utf8"), "ts"));
  }
  return parts.join("\n");
}

/**
 * For each metric setting, the models whose code names it as a whole word (config_metrics columns are
 * read by name), sorted.
 */
export function settingReaders(project: readonly Model[], settings: readonly string[]): Map<string, string[]> {
  const texts = project.map((m) => ({ name: m.name, text: modelCode(m) }));
  return new Map(
    settings.map((s) => {
      const word = new RegExp(`\\b${s}\\b`);
      return [s, texts.filter((t) => word.test(t.text)).map((t) => t.name).sort()];
    }),
  );
}
