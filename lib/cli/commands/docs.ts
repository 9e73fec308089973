import type { Command } from "commander";
import { loadLensConfig } from "../../config/lens-config.ts";
import { REFERENCE_DIR, referenceDocs, writeReferenceDocs } from "../../docs/reference.ts";

/** `lens docs`: regenerate the reference documentation from the models, contracts and config schema. */
export function register(program: Command): void {
  program
    .command("docs")
    .description("Generate docs/reference (marts.md: every mart and intermediate model; config.md: every lens.config.json setting)")
    .option("-o, --out <dir>", "folder to write the Markdown files to", REFERENCE_DIR)
    .option("--sql-dir <dir>", "model folder", "sql")
    .addHelpText(
      "after",
      "\nNeeds no warehouse: dependencies are parsed from the SQL files. Links in marts.md assume the files\n" +
        "live in docs/reference. Run it after changing a model, a contract or lib/config; tests/docs-reference.test.ts\n" +
        "fails while the committed files differ from what this writes.\n\nExample:\n  lens docs && git diff docs/reference",
    )
    .action(async (opts: { out: string; sqlDir: string }) => {
      const docs = await referenceDocs(opts.sqlDir, loadLensConfig());
      for (const path of writeReferenceDocs(opts.out, docs)) process.stdout.write(`wrote ${path}\n`);
    });
}
