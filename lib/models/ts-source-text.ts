import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

// Static `import … from "./x.ts"`, `export … from "../y.ts"` and dynamic `import("./z.ts")` with a literal path
// (TS models import their heavy code inside build()); package imports are pinned by the lockfile.
const RELATIVE_IMPORT = /(?:(?:import|export)\s[^;]*?from\s*|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

/**
 * The text of a TS model together with every project file it imports, directly or not, so that an
 * edit to the code behind a model (say lib/clv/) changes the model's hash and triggers a rebuild.
 */
export function tsSourceText(path: string): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    // Relative names keep the hash the same wherever the project is checked out.
    parts.push(`// ${relative(process.cwd(), file)}\n${text}`);
    for (const match of text.matchAll(RELATIVE_IMPORT)) visit(resolve(dirname(file), match[1]));
  };
  visit(resolve(path));
  return parts.join("\n");
}
