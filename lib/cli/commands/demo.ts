import { Command, InvalidArgumentError, Option } from "commander";
import { generateDemo } from "../../demo/generate.ts";
import { CUSTOMERS, SCALES, type Scale } from "../../demo/scale.ts";
import { progress } from "../progress.ts";

function parseSeed(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError("the seed must be a whole number between 0 and 999999999.");
  return Number(value);
}

const EXAMPLES = `
Examples:
  lens demo                              # 3,000 customers into data/demo (what npm run build uses)
  lens demo --seed 7 --out /tmp/demo7    # another company, same shape
  lens demo --scale m --out data/demo-m  # 100k customers, ~1M orders (benchmarks)
  lens demo --clean                      # without the planted bad rows and duplicate lines

Writes one CSV per source entity (customers, orders, contracts, survey_responses, tickets, loyalty_events,
campaigns, campaign_assignments, campaign_redemptions) and truth.json: the planted facts (campaign effects,
BTYD parameters, row counts, the deliberately bad rows and their lines). The same seed gives the same bytes.`;

/** `lens demo`: generate the deterministic demo company. */
export function register(program: Command): void {
  program
    .command("demo")
    .description("Generate the deterministic demo company: one CSV per source entity plus truth.json")
    .addOption(new Option("--scale <scale>", "demo (3k customers), m (100k customers, ~1M orders), l (1M customers, ~10M orders) or xl (3M customers, ~30M orders)").choices(SCALES).default("demo"))
    .option("--seed <n>", "random seed; the same seed gives the same bytes", parseSeed, 42)
    .option("--out <dir>", "folder to write the CSV files and truth.json into", "data/demo")
    .option("--clean", "leave out the deliberately bad rows and duplicate lines that show the quarantine")
    .addHelpText("after", EXAMPLES)
    .action((opts: { scale: Scale; seed: number; out: string; clean?: boolean }) => {
      const started = Date.now();
      const bar = opts.scale === "demo" ? undefined : progress(`demo ${opts.scale} customers`, CUSTOMERS[opts.scale]);
      const truth = generateDemo({ scale: opts.scale, seed: opts.seed, out: opts.out, clean: opts.clean === true, onProgress: bar ? (n) => bar.tick(n) : undefined });
      bar?.done();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const lines = [`demo company (scale ${opts.scale}, seed ${opts.seed}) written to ${opts.out} in ${seconds} s`];
      for (const [entity, rows] of Object.entries(truth.rows)) lines.push(`  ${entity.padEnd(22)} ${rows.toLocaleString("en-US").padStart(12)} rows`);
      const bad = truth.planted_bad_rows.length;
      const dups = Object.values(truth.planted_exact_duplicates).reduce((a, b) => a + b, 0);
      lines.push(opts.clean ? "  no planted bad rows (--clean)" : `  plus ${bad} planted bad rows and ${dups} exact duplicate lines for the quarantine (see truth.json; --clean leaves them out)`);
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
