import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  LARGE_A,
  betaExpectation as logitBetaExpectation,
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodWithGradient,
  conditionalExpectedPurchases,
  expectedPurchases,
  pAlive,
  rfmGroups,
} from "../lib/clv/bgnbd.ts";
import { WEEKS_PER_MONTH, discountedPurchases } from "../lib/clv/discounting.ts";
import { conditionalExpectedSpend, gammaGammaLogLikelihood, gammaGammaLogLikelihoodWithGradient, spendGroups } from "../lib/clv/gamma-gamma.ts";
import { lgamma } from "../lib/clv/special-functions.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");
const cdnowDir = path.resolve(repoRoot, "../shared/datasets/cdnow");

// Published BG/NBD estimates for CDNOW (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way").
const FHL = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** ∫₀¹ f by composite Simpson's rule on n (even) intervals. */
function simpson(f: (u: number) => number, n = 20_000, lo = 0, hi = 1): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

/** E[g(p)] for p ~ Beta(a, b), integrating over u = p^a so the p^(a−1) singularity disappears. */
function betaExpectation(g: (p: number) => number, a: number, b: number): number {
  const logB = lgamma(a) + lgamma(b) - lgamma(a + b);
  const integral = simpson((u) => {
    // The integrand is finite at u = 0; evaluate just inside so 0/0 in g cannot occur.
    const p = Math.pow(Math.max(u, 1e-15), 1 / a);
    return p >= 1 ? 0 : g(p) * Math.pow(1 - p, b - 1);
  });
  return integral / a / Math.exp(logB);
}

/** E[g(λ)] for λ ~ Gamma(shape, rate), integrating over s = ln λ (smooth for any shape). */
function gammaExpectation(g: (lambda: number) => number, shape: number, rate: number): number {
  const logNorm = shape * Math.log(rate) - lgamma(shape);
  return simpson((s) => {
    const lambda = Math.exp(s);
    return g(lambda) * Math.exp(logNorm + shape * s - rate * lambda);
  }, 40_000, -60, 8);
}

describe("BG/NBD formulas", () => {
  it("reproduces the published worked example E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (FHL 2005)", () => {
    expect(conditionalExpectedPurchases(FHL, 2, 30.43, 38.86, 39)).toBeCloseTo(1.226, 3);
  });

  it("gives the published log-likelihood −9582.4 at the published estimates on the CDNOW summary file", () => {
    const rows = readFileSync(path.join(cdnowDir, "cdnow_customers_summary.csv"), "utf8").trim().split(/\r?\n/).slice(1);
    const groups = rfmGroups(rows.map((l) => l.split(",").map(Number)).map(([, x, tx, T]) => ({ x, tx, T })));
    // The published parameters are rounded to 3 decimals, which moves the optimum's LL by < 0.05.
    expect(bgnbdLogLikelihood(FHL, groups)).toBeCloseTo(-9582.4, 1);
  });

  const cases = [
    { x: 0, tx: 0, T: 38.86, t: 39 },
    { x: 2, tx: 30.43, T: 38.86, t: 39 },
    { x: 1, tx: 1.71, T: 38.86, t: 39 },
    { x: 12, tx: 20, T: 52, t: 52 },
    { x: 0, tx: 0, T: 0.5, t: 104 },
  ];

  it("P(alive) equals the posterior probability computed by numerical integration over λ and p", () => {
    for (const { x, tx, T } of cases) {
      // Model definition: alive after x repeats with prob (1−p)^x, having made them by T; dead after the x-th: p(1−p)^(x−1).
      const alive = gammaExpectation((l) => Math.pow(l, x) * Math.exp(-l * T), FHL.r, FHL.alpha) * betaExpectation((p) => Math.pow(1 - p, x), FHL.a, FHL.b);
      const dead =
        x === 0
          ? 0
          : gammaExpectation((l) => Math.pow(l, x) * Math.exp(-l * tx), FHL.r, FHL.alpha) *
            betaExpectation((p) => p * Math.pow(1 - p, x - 1), FHL.a, FHL.b);
      expect(pAlive(FHL, x, tx, T)).toBeCloseTo(alive / (alive + dead), 7);
    }
  });

  it("E[Y(t) | x, t_x, T] equals P(alive) · E_p[(1 − (1 + pt/(α+T))^−(r+x))/p] integrated numerically, p ~ Beta(a, b+x)", () => {
    for (const { x, tx, T, t } of cases) {
      const given = betaExpectation((p) => -Math.expm1(-(FHL.r + x) * Math.log1p((p * t) / (FHL.alpha + T))) / p, FHL.a, FHL.b + x);
      const expected = given * pAlive(FHL, x, tx, T);
      expect(conditionalExpectedPurchases(FHL, x, tx, T, t) / expected).toBeCloseTo(1, 7);
    }
  });

  it("E[X(t)] (a new customer) matches E_p[(1 − (α/(α+pt))^r)/p] integrated numerically", () => {
    for (const t of [1, 39, 78, 520]) {
      const numeric = betaExpectation((p) => -Math.expm1(-FHL.r * Math.log1p((p * t) / FHL.alpha)) / p, FHL.a, FHL.b);
      expect(expectedPurchases(FHL, t) / numeric).toBeCloseTo(1, 7);
    }
  });

  it("handles a = 1 (the 0/0 point of the closed form) and large x without overflow", () => {
    const p1 = { r: 0.5, alpha: 3, a: 1, b: 2 };
    const numeric = betaExpectation((p) => -Math.expm1(-(0.5 + 3) * Math.log1p((p * 20) / (3 + 30))) / p, 1, 2 + 3) * pAlive(p1, 3, 25, 30);
    expect(conditionalExpectedPurchases(p1, 3, 25, 30, 20) / numeric).toBeCloseTo(1, 6);
    const heavy = conditionalExpectedPurchases(FHL, 2000, 150, 156, 52);
    expect(Number.isFinite(heavy) && heavy > 0).toBe(true);
  });

  it("the analytic gradient matches central differences of the log-likelihood", () => {
    const groups = rfmGroups(cases.map((c, i) => ({ ...c, n: i + 1 })));
    const { value, gradient } = bgnbdLogLikelihoodWithGradient(FHL, groups);
    expect(value).toBeCloseTo(bgnbdLogLikelihood(FHL, groups), 10);
    (["r", "alpha", "a", "b"] as const).forEach((k, i) => {
      const h = 1e-6 * FHL[k];
      const numeric = (bgnbdLogLikelihood({ ...FHL, [k]: FHL[k] + h }, groups) - bgnbdLogLikelihood({ ...FHL, [k]: FHL[k] - h }, groups)) / (2 * h);
      expect(gradient[i]).toBeCloseTo(numeric, 4);
    });
  });
});

describe("Gamma-Gamma formulas", () => {
  const GG = { p: 6.25, q: 3.74, v: 15.44 };

  it("E[M | x, m] equals p·E[1/ν | x, m], integrated numerically over the posterior of ν", () => {
    for (const [x, m] of [[1, 20], [5, 35.5], [40, 100]]) {
      // Posterior of ν ∝ ν^(q−1) e^(−vν) · ν^(px) e^(−ν·m·x) (the Gamma(px, ν) density of the total spend m·x).
      const shape = GG.q + GG.p * x;
      const rate = GG.v + m * x;
      const numeric = GG.p * gammaExpectation((nu) => 1 / nu, shape, rate);
      expect(conditionalExpectedSpend(GG, x, m) / numeric).toBeCloseTo(1, 7);
    }
  });

  it("falls back to the population mean p·v/(q−1) at x = 0 and is NaN when q ≤ 1", () => {
    expect(conditionalExpectedSpend(GG, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
    expect(conditionalExpectedSpend({ ...GG, q: 0.9 }, 0, 0)).toBeNaN();
  });

  it("the log-likelihood is a density in m (integrates to 1) and its gradient matches central differences", () => {
    const x = 3;
    // ∫ f(m) dm over m = e^s.
    const mass = simpson((s) => Math.exp(s + gammaGammaLogLikelihood(GG, spendGroups([{ x, m: Math.exp(s) }]))), 40_000, -20, 10);
    expect(mass).toBeCloseTo(1, 8);
    const groups = spendGroups([{ x: 1, m: 12 }, { x: 4, m: 40, n: 3 }, { x: 9, m: 25.5, n: 2 }]);
    const { value, gradient } = gammaGammaLogLikelihoodWithGradient(GG, groups);
    expect(value).toBeCloseTo(gammaGammaLogLikelihood(GG, groups), 10);
    (["p", "q", "v"] as const).forEach((k, i) => {
      const h = 1e-6 * GG[k];
      const numeric = (gammaGammaLogLikelihood({ ...GG, [k]: GG[k] + h }, groups) - gammaGammaLogLikelihood({ ...GG, [k]: GG[k] - h }, groups)) / (2 * h);
      expect(gradient[i]).toBeCloseTo(numeric, 4);
    });
  });
});

describe("discounting", () => {
  it("discounts each month's purchases at (1+d)^(−k/12): for steady buying this is a geometric series", () => {
    const perWeek = 0.5;
    const { purchases, discounted } = discountedPurchases((t) => perWeek * t, 12, 0.1);
    expect(purchases).toBeCloseTo(perWeek * 12 * WEEKS_PER_MONTH, 10);
    const perMonth = perWeek * WEEKS_PER_MONTH;
    const q = Math.pow(1.1, -1 / 12);
    // Σ_{k=1..12} q^k = q(1 − q¹²)/(1 − q), and q¹² = 1/1.1.
    expect(discounted).toBeCloseTo((perMonth * q * (1 - 1 / 1.1)) / (1 - q), 10);
    expect(discountedPurchases((t) => perWeek * t, 12, 0).discounted).toBeCloseTo(purchases, 10);
  });
});

describe("large a (a fit drifting towards 'nobody drops out')", () => {
  it("the logit-scale quadrature agrees with the ₂F₁ closed form where both apply", () => {
    const params = { r: 0.8, alpha: 6, a: 150, b: 90 };
    for (const [x, tx, T, t] of [[0, 0, 20, 52], [4, 18, 30, 26], [30, 100, 104, 52]]) {
      const scale = t / (params.alpha + T);
      const quadrature =
        logitBetaExpectation((p) => -Math.expm1(-(params.r + x) * Math.log1p(p * scale)) / p, params.a, params.b + x) * pAlive(params, x, tx, T);
      expect(conditionalExpectedPurchases(params, x, tx, T, t) / quadrature).toBeCloseTo(1, 9);
    }
  });

  it("stays finite and tends to the no-dropout limit E[Y(t)] = (r+x)·t/(α+T) as p → 0", () => {
    const params = { r: 0.8, alpha: 6, a: 3e7, b: 3e14 };
    expect(params.a).toBeGreaterThan(LARGE_A);
    const value = conditionalExpectedPurchases(params, 3, 20, 30, 26);
    expect(value / ((0.8 + 3) * (26 / 36))).toBeCloseTo(1, 4);
  });

  it("logitBetaExpectation reproduces Beta moments, including a skewed Beta with a small shape", () => {
    for (const [a, b] of [[0.3, 2.5], [2, 0.4], [5, 7], [1e6, 3e6]]) {
      expect(logitBetaExpectation((p) => p, a, b)).toBeCloseTo(a / (a + b), 10);
      expect(logitBetaExpectation((p) => p * p, a, b)).toBeCloseTo((a * (a + 1)) / ((a + b) * (a + b + 1)), 10);
    }
  });
});
