import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemo } from "../lib/demo/generate.ts";
import type { Scale } from "../lib/demo/scale.ts";
import { selectModels } from "../lib/models/graph.ts";
import { buildModels, readProject, type Model } from "../lib/models/project.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { load } from "../loaders/load.ts";
import { planFromFolder } from "../loaders/source-folder.ts";
import { freshWarehouse } from "./util/warehouse.ts";

// The model files do not change during a test file: read and parse them once.
let project: Model[] | undefined;

/*
 * Planted truth: the demo generator simulates both potential outcomes of every treated customer, so truth.json
 * knows each campaign's true incremental revenue per treated customer. incentive_roi must cover it with its 95%
 * Welch interval for about 95% of campaigns, and its estimates must be unbiased across seeds.
 *
 * By default this runs 6 seeds at demo scale (3,000 customers, 12 holdout campaigns each: 72 intervals, ~30 s).
 * Small holdouts make demo-scale coverage noisy, so the bar here is 85%; the bar (≥ 90% at m scale) runs
 * outside the test suite, e.g. in the benchmark job:
 *   ROI_TRUTH_SCALE=m ROI_TRUTH_SEEDS=3 npx vitest run tests/roi-truth.test.ts
 * (m: 100k customers, 12 holdout campaigns and about 2 minutes per seed; the bar becomes 90%. Seed 101 at m
 * scale: 12 of 12 intervals cover the truth, mean standardized error −0.14.)
 */
const scale = (process.env.ROI_TRUTH_SCALE ?? "demo") as Scale;
const seeds = Array.from({ length: Number(process.env.ROI_TRUTH_SEEDS ?? 6) }, (_, i) => 101 + i);
const minCoverage = scale === "demo" ? 0.85 : 0.9;

interface Estimate {
  seed: number;
  campaign_id: string;
  truth: number;
  estimate: number;
  se: number;
  covered: boolean;
}

async function estimatesFor(seed: number): Promise<Estimate[]> {
  const dir = mkdtempSync(join(tmpdir(), `lens-roi-${seed}-`));
  try {
    const truth = generateDemo({ scale, seed, out: dir, clean: true });
    const w = await freshWarehouse();
    await load(w.db, planFromFolder(dir));
    const all = (project ??= await readProject(w.db, "sql", { checkSources: false }));
    const keep = selectModels(all, ["+incentive_roi"]);
    await buildModels(w.db, all.filter((m) => keep.has(m.name)));
    const rows = await queryRows(w.db, "select * from incentive_roi where has_holdout");
    const byId = new Map(rows.map((r) => [r.campaign_id as string, r]));
    const withHoldout = truth.campaigns.filter((c) => c.has_holdout);
    expect(rows.length, `seed ${seed}: campaigns with a holdout`).toBe(withHoldout.length);
    return withHoldout.map((c) => {
      const r = byId.get(c.campaign_id)!;
      // The arms' observed means are recorded by the generator too: the intent-to-treat revenue must match them.
      expect(r.treated_customers, c.campaign_id).toBe(c.treated_customers);
      expect(r.holdout_customers, c.campaign_id).toBe(c.holdout_customers);
      expect(r.treated_revenue_per_customer as number).toBeCloseTo(c.treated_mean_net_revenue, 3);
      expect(r.holdout_revenue_per_customer as number).toBeCloseTo(c.holdout_mean_net_revenue!, 3);
      const t = c.true_incremental_revenue_per_customer;
      return {
        seed,
        campaign_id: c.campaign_id,
        truth: t,
        estimate: r.incremental_revenue_per_customer as number,
        se: r.incremental_revenue_se as number,
        covered: (r.ci_low as number) <= t && t <= (r.ci_high as number),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("incentive_roi against the demo generator's planted effects", () => {
  it(`covers the true effects and is unbiased across ${seeds.length} seeds (${scale} scale)`, { timeout: seeds.length * (scale === "demo" ? 60_000 : 600_000) }, async () => {
    const all: Estimate[] = [];
    for (const seed of seeds) all.push(...(await estimatesFor(seed)));
    expect(all.length).toBeGreaterThanOrEqual(seeds.length * 5);
    const coverage = all.filter((e) => e.covered).length / all.length;
    expect(coverage, `coverage ${coverage.toFixed(3)} of ${all.length} intervals`).toBeGreaterThanOrEqual(minCoverage);
    // Unbiased: the standardized errors (estimate − truth)/se average 0 with sd ≈ 1, so their mean over K
    // estimates lies within ±3/sqrt(K) unless the estimator is biased.
    const z = all.map((e) => (e.estimate - e.truth) / e.se);
    const meanZ = z.reduce((a, b) => a + b, 0) / z.length;
    expect(Math.abs(meanZ), `mean standardized error ${meanZ.toFixed(3)}`).toBeLessThan(3 / Math.sqrt(z.length));
    // …and the standardized errors have about unit spread, so the intervals are neither too wide nor too narrow.
    const sdZ = Math.sqrt(z.reduce((a, b) => a + (b - meanZ) ** 2, 0) / (z.length - 1));
    if (process.env.ROI_TRUTH_VERBOSE) {
      console.log(`${all.length} intervals, coverage ${coverage.toFixed(3)}, mean z ${meanZ.toFixed(3)}, sd z ${sdZ.toFixed(3)}`);
    }
    // (With fewer than 30 intervals, e.g. one m-scale seed, the sample sd is itself too noisy to judge.)
    if (z.length >= 30) {
      expect(sdZ).toBeGreaterThan(0.7);
      expect(sdZ).toBeLessThan(1.3);
    }
  });
});
