import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClvPredictions, MIN_SEGMENT_REPEAT_CUSTOMERS, type ClvBuildSummary, type SegmentFit } from "../lib/clv/build-predictions.ts";
import { compressRfm, pAlive } from "../lib/clv/bgnbd.ts";
import { fitBgNbd } from "../lib/clv/fit-models.ts";
import { fitClv } from "../lib/clv/fit.ts";
import { simulateCustomers } from "../lib/clv/simulate.ts";
import { LensConfig } from "../lib/config/lens-config.ts";
import { generateDemo } from "../lib/demo/generate.ts";
import type { DemoTruth } from "../lib/demo/truth.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { load } from "../loaders/load.ts";
import { planFromFolder } from "../loaders/source-folder.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");
const SETTINGS = LensConfig.parse({}).metrics;

async function createStaging(db: DuckDBConnection, name: string): Promise<void> {
  const sql = readFileSync(path.join(repoRoot, `sql/staging/${name}.sql`), "utf8").replace(/;\s*$/, "");
  await db.run(`create or replace view ${name} as ${sql}`);
}

const fitOf = (summary: ClvBuildSummary, segment: string): SegmentFit => {
  const fit = summary.fits.find((f) => f.segment === segment);
  if (!fit) throw new Error(`no ${segment} fit`);
  return fit;
};

/** |estimate − truth| in standard errors. */
const zScore = (estimate: number, se: number, truth: number) => Math.abs(estimate - truth) / se;

/**
 * The demo company (seed 42, demo scale: 3,000 accounts, ~15% business) mixes consumers (ToC) and business
 * accounts (ToB) whose spend differs ~13×. Its generator plants the parameters (truth.json → btyd): ToC buys
 * as BG/NBD with λ ~ Gamma(0.9, 22) per ordinary day (α = 22/7 per week), p ~ Beta(0.7, 9), spend
 * Gamma-Gamma (6, 4, 150); ToB buys at a steady Poisson rate while an annual contract runs, spend (4, 4, 3000).
 */
describe("CLV on the demo company: per customer type fits against the planted parameters", () => {
  let dir: string;
  let db: DuckDBConnection;
  let close: () => void;
  let truth: DemoTruth;
  let summary: ClvBuildSummary;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "lens-clv-demo-"));
    truth = generateDemo({ scale: "demo", seed: 42, out: dir, clean: true });
    const w = await openWarehouse(":memory:");
    db = w.db;
    close = () => w.close();
    await load(db, planFromFolder(dir));
    await createStaging(db, "stg_orders");
    await createStaging(db, "stg_customers");
    summary = await buildClvPredictions(db, SETTINGS);
  });
  afterAll(() => {
    close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fits ToC and ToB on their own (each has ≥ 50 repeat customers), with no pooled fit", async () => {
    expect(summary.fits.map((f) => f.segment)).toEqual(["ToC", "ToB"]);
    for (const fit of summary.fits) expect(fit.gammaGamma!.customers).toBeGreaterThanOrEqual(MIN_SEGMENT_REPEAT_CUSTOMERS);
    const params = await queryRows<{ segment: string; model: string; n: number; fitted: number }>(
      db,
      "select segment, model, count(*) as n, count(distinct fitted_at) as fitted from clv_model_parameters group by all order by segment desc, model",
    );
    expect(params).toEqual([
      { segment: "ToC", model: "bgnbd", n: 4, fitted: 1 },
      { segment: "ToC", model: "gamma_gamma", n: 3, fitted: 1 },
      { segment: "ToB", model: "bgnbd", n: 4, fitted: 1 },
      { segment: "ToB", model: "gamma_gamma", n: 3, fitted: 1 },
    ]);
    // Every customer is scored by the fit of their own type.
    const mismatched = await queryRows(
      db,
      "select p.customer_id from int_customer_clv_predicted p left join stg_customers c using (customer_id) where p.model_segment is distinct from c.customer_type",
    );
    expect(mismatched).toEqual([]);
  });

  it("ToC BG/NBD: a and b within 3 standard errors of the planted Beta(0.7, 9); the mean buying rate r/α within 10%", () => {
    const bg = fitOf(summary, "ToC").bgnbd!;
    const planted = truth.btyd.toc;
    expect(bg.converged).toBe(true);
    expect(zScore(bg.params.a, bg.stdErrors.a, planted.a)).toBeLessThan(3);
    expect(zScore(bg.params.b, bg.stdErrors.b, planted.b)).toBeLessThan(3);
    // Planted rate per week: λ ~ Gamma(r, α/7); mean r/(α/7) = 0.286 ordinary-day purchases per week.
    const plantedRate = planted.r / (planted.alpha / 7);
    expect(Math.abs(bg.params.r / bg.params.alpha / plantedRate - 1)).toBeLessThan(0.1);
    // r and α themselves are not recovered, for a documented reason (docs/clv.md, "The demo company"): the
    // generator tosses the dropout coin after the first purchase too (the MBG/NBD variant), while BG/NBD lets
    // nobody drop out before a repeat purchase, so the extra zero-repeat consumers are read as more heterogeneity
    // in λ: r ≈ 0.66 and α ≈ 2.4 instead of 0.9 and 3.14, as the same fit on MBG/NBD data simulated from the
    // planted parameters gives. The check pins the direction and size of that bias so a change is noticed.
    expect(bg.params.r).toBeGreaterThan(0.55);
    expect(bg.params.r).toBeLessThan(0.75);
    expect(zScore(bg.params.r, bg.stdErrors.r, planted.r)).toBeGreaterThan(3);
  });

  it("the r and α bias is what BG/NBD makes of MBG/NBD data simulated from the planted parameters", async () => {
    // Simulate consumers exactly as the planted process says (dropout coin tossed after the first purchase too),
    // observed for the demo consumers' own ages (5 each), without the calendar's seasons, campaigns or cancellations.
    const planted = truth.btyd.toc;
    const weekly = { r: planted.r, alpha: planted.alpha / 7, a: planted.a, b: planted.b };
    const ages = (
      await queryRows<{ age_weeks: number }>(db, "select age_weeks from int_customer_clv_predicted where model_segment = 'ToC' order by customer_id")
    ).map((r) => r.age_weeks);
    const simulate = (dropoutAtFirstPurchase: boolean) =>
      fitBgNbd(compressRfm(simulateCustomers(5 * ages.length, weekly, { p: 6, q: 4, v: 150 }, { seed: 11, minT: 0, maxT: 0, observedT: ages, dayResolution: true, dropoutAtFirstPurchase })));
    const mbg = simulate(true);
    const bgnbd = simulate(false);
    process.stdout.write(
      `simulated from the planted ToC parameters: BG/NBD data r ${bgnbd.params.r.toFixed(3)} ± ${bgnbd.stdErrors.r.toFixed(3)}, α ${bgnbd.params.alpha.toFixed(3)} ± ${bgnbd.stdErrors.alpha.toFixed(3)}; ` +
        `MBG/NBD data r ${mbg.params.r.toFixed(3)} ± ${mbg.stdErrors.r.toFixed(3)}, α ${mbg.params.alpha.toFixed(3)} ± ${mbg.stdErrors.alpha.toFixed(3)}\n`,
    );
    const demo = fitOf(summary, "ToC").bgnbd!;
    for (const k of ["r", "alpha"] as const) {
      // BG/NBD data: the planted value comes back. MBG/NBD data: it does not, and the demo's estimate matches the
      // MBG/NBD one within 3 combined standard errors.
      expect([k, zScore(bgnbd.params[k], bgnbd.stdErrors[k], weekly[k]) < 3]).toEqual([k, true]);
      expect([k, zScore(mbg.params[k], mbg.stdErrors[k], weekly[k]) > 3]).toEqual([k, true]);
      const combined = Math.hypot(mbg.stdErrors[k], demo.stdErrors[k]);
      expect([k, Math.abs(mbg.params[k] - demo.params[k]) / combined < 3]).toEqual([k, true]);
    }
  });

  it("Gamma-Gamma converges with finite standard errors in both segments and recovers the planted spend", () => {
    for (const segment of ["ToC", "ToB"]) {
      const gg = fitOf(summary, segment).gammaGamma!;
      expect([segment, gg.converged]).toEqual([segment, true]);
      for (const k of ["p", "q", "v"] as const) {
        expect(Number.isFinite(gg.stdErrors[k])).toBe(true);
        expect(gg.stdErrors[k]).toBeGreaterThan(0);
      }
    }
    // ToB: every parameter within 3 standard errors of the planted (4, 4, 3000).
    const tob = fitOf(summary, "ToB").gammaGamma!;
    const plantedTob = { p: truth.btyd.tob.spend_p, q: truth.btyd.tob.spend_q, v: truth.btyd.tob.spend_gamma };
    for (const k of ["p", "q", "v"] as const) expect([k, zScore(tob.params[k], tob.stdErrors[k], plantedTob[k]) < 3]).toEqual([k, true]);
    // ToC: q within 3 standard errors and the mean spend p·v/(q − 1) within 5% of the planted 6·150/3 = 300.
    // p and v trade off along a ridge and the data are net amounts (coupons, partial refunds, same-day orders
    // summed), not the planted gross draws, so v alone is ~3.4 standard errors off.
    const toc = fitOf(summary, "ToC").gammaGamma!;
    const plantedToc = truth.btyd.toc;
    expect(zScore(toc.params.q, toc.stdErrors.q, plantedToc.spend_q)).toBeLessThan(3);
    const meanSpend = (g: { p: number; q: number; v: number }) => (g.p * g.v) / (g.q - 1);
    const plantedMean = (plantedToc.spend_p * plantedToc.spend_gamma) / (plantedToc.spend_q - 1);
    expect(Math.abs(meanSpend(toc.params) / plantedMean - 1)).toBeLessThan(0.05);
    // The two scales the pooled fit could not reconcile: ToB spends ~13× more per purchase.
    const plantedTobMean = (plantedTob.p * plantedTob.v) / (plantedTob.q - 1);
    expect(Math.abs(meanSpend(tob.params) / plantedTobMean - 1)).toBeLessThan(0.1);
  });

  it("pooled over both types, the Gamma-Gamma fit diverges (the bug the segment fits fix)", async () => {
    const pooled = await fitClv(db, { calibrationEnd: "2025-12-31" });
    expect(pooled.segment).toBe("all");
    expect(pooled.gamma_gamma!.p).toBeGreaterThan(1e4);
    expect(pooled.gamma_gamma!.converged).toBe(false);
    expect(pooled.warnings.join("\n")).toMatch(/Gamma-Gamma did not converge.*fit them by segment/);
  });

  it("ToB BG/NBD: the planted buying rate comes back; contract accounts have no dropout heterogeneity, and the fit says so", async () => {
    const bg = fitOf(summary, "ToB").bgnbd!;
    // While a contract runs an account buys as Poisson with λ ~ Gamma(2, 110) per ordinary day: Gamma(2, 110/7) per week.
    const planted = truth.btyd.tob;
    expect(zScore(bg.params.r, bg.stdErrors.r, planted.rate_shape)).toBeLessThan(3);
    expect(zScore(bg.params.alpha, bg.stdErrors.alpha, planted.rate_rate / 7)).toBeLessThan(3);
    // Accounts leave when a contract is not renewed, not after a purchase: one small dropout probability for all.
    expect(bg.params.a).toBeGreaterThan(1e3);
    expect(bg.params.a / (bg.params.a + bg.params.b)).toBeLessThan(0.05);
    expect(summary.warnings.join("\n")).toMatch(/ToB: BG\/NBD: every customer has the same dropout probability/);
    const bad = await queryRows(
      db,
      `select customer_id from int_customer_clv_predicted where model_segment = 'ToB'
         and not (isfinite(p_alive) and isfinite(predicted_purchases) and isfinite(predicted_clv))`,
    );
    expect(bad).toEqual([]);
  });

  it("writes predictions within their ranges, ToB spend per purchase ~13× ToC", async () => {
    const [r] = await queryRows<{ n: number; bad: number; toc: number; tob: number }>(
      db,
      `select count(*) as n,
         count(*) filter (where not (p_alive between 0 and 1) or predicted_clv < 0 or predicted_purchases < 0 or predicted_clv is null) as bad,
         avg(predicted_avg_spend) filter (where model_segment = 'ToC') as toc,
         avg(predicted_avg_spend) filter (where model_segment = 'ToB') as tob
       from int_customer_clv_predicted`,
    );
    expect(r.n).toBe(summary.customers);
    expect(r.bad).toBe(0);
    expect(r.tob / r.toc).toBeGreaterThan(11);
    expect(r.tob / r.toc).toBeLessThan(16);
  });

  it("weeks_below_warning goes back to where P(alive) crossed warning_p_alive_below (ToC: the fitted P(alive) there is p*)", async () => {
    const threshold = SETTINGS.warning_p_alive_below;
    const params = fitOf(summary, "ToC").bgnbd!.params;
    const rows = await queryRows<{ x: number; tx: number; T: number; p_alive: number; weeks: number | null }>(
      db,
      `select frequency as x, recency_weeks as tx, age_weeks as T, p_alive, weeks_below_warning as weeks
       from int_customer_clv_predicted where model_segment = 'ToC'`,
    );
    const below = rows.filter((r) => r.p_alive < threshold);
    // Enough of both kinds on the demo for the checks below to mean something.
    expect(below.length).toBeGreaterThan(100);
    expect(rows.length - below.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.p_alive >= threshold).every((r) => r.weeks === null)).toBe(true);
    let crossed = 0;
    for (const r of below) {
      const crossing = r.T - r.weeks!;
      expect(crossing).toBeGreaterThanOrEqual(r.tx - 1e-9);
      expect(crossing).toBeLessThan(r.T);
      if (crossing > r.tx + 1e-9) {
        crossed++;
        expect(pAlive(params, r.x, r.tx, crossing)).toBeCloseTo(threshold, 9);
      } else {
        // Already below p* at the last purchase: below ever since.
        expect(pAlive(params, r.x, r.tx, r.tx)).toBeLessThan(threshold);
      }
    }
    expect(crossed).toBeGreaterThan(100);
  });

  it("calibration/holdout by segment (fit to 2025-06-30, predict 2025-07-01..12-31): ToC within 15%, ToB within 5%", async () => {
    const toc = await fitClv(db, { calibrationEnd: "2025-06-30", holdoutEnd: "2025-12-31", segment: "ToC" });
    const tob = await fitClv(db, { calibrationEnd: "2025-06-30", holdoutEnd: "2025-12-31", segment: "ToB" });
    process.stdout.write(
      `demo holdout: ToC predicted ${toc.holdout!.predicted_total.toFixed(0)} vs actual ${toc.holdout!.actual_total}; ToB ${tob.holdout!.predicted_total.toFixed(0)} vs ${tob.holdout!.actual_total}\n`,
    );
    // ToC over-forecasts (the MBG/NBD misspecification above overstates heavy buyers); the ordering holds.
    expect(Math.abs(toc.holdout!.relative_error)).toBeLessThan(0.15);
    expect(Math.abs(tob.holdout!.relative_error)).toBeLessThan(0.05);
    const means = toc.holdout!.by_frequency.map((b) => b.actual_mean);
    expect(means[7]).toBeGreaterThan(3 * means[0]);
    expect(toc.customers + tob.customers).toBe((await fitClv(db, { calibrationEnd: "2025-06-30" })).customers);
  });

  it("scores a type with fewer than 50 repeat customers, and customers without a type, by a pooled fit", async () => {
    // Keep the ToB label on the first 40 ToB accounts only; the others lose their type (as if not in the CRM).
    await db.run(`create or replace view stg_customers as
      with src as (
        select * exclude (customer_type),
          case when customer_type = 'ToB' and row_number() over (partition by customer_type order by customer_id) > 40 then null
               else customer_type end as customer_type
        from raw_customers
      )
      select * from src`);
    const fallback = await buildClvPredictions(db, SETTINGS);
    expect(fallback.fits.map((f) => f.segment)).toEqual(["ToC", "all"]);
    expect(fallback.warnings.join("\n")).toMatch(/ToB: \d+ customers with a repeat purchase \(< 50\), scored by the pooled fit/);
    const bySegment = await queryRows<{ model_segment: string; customer_type: string | null; n: number }>(
      db,
      `select p.model_segment, c.customer_type, count(*) as n from int_customer_clv_predicted p
       left join stg_customers c using (customer_id) group by all order by all`,
    );
    expect(bySegment.map((r) => [r.model_segment, r.customer_type])).toEqual([
      ["ToC", "ToC"],
      ["all", "ToB"],
      ["all", null],
    ]);
    // The pooled fit is made on every customer, and scores the ones without a fit of their own.
    const all = fitOf(fallback, "all");
    expect(all.bgnbd!.customers).toBe(fallback.customers);
    expect(all.scored).toBe(bySegment.filter((r) => r.model_segment === "all").reduce((s, r) => s + r.n, 0));
    await createStaging(db, "stg_customers");
  });
});
