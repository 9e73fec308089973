import { describe, expect, it } from "vitest";
import { invertSpd, standardErrorsFromLogHessian } from "../lib/clv/hessian.ts";
import { fitMle } from "../lib/clv/maximum-likelihood.ts";
import { bfgs, minimize, nelderMead, withNumericalGradient } from "../lib/clv/optimizer.ts";

// Rosenbrock's valley: minimum 0 at (1, 1), a classic hard case for both methods.
const rosenbrock = ([x, y]: number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe("optimizer", () => {
  it("Nelder–Mead gets near the Rosenbrock minimum and BFGS converges on it", () => {
    const rough = nelderMead(rosenbrock, [-1.2, 1]);
    expect(rough.fx).toBeLessThan(1e-6);
    const fine = bfgs(withNumericalGradient(rosenbrock), rough.x, { gradientTolerance: 1e-8 });
    expect(fine.x[0]).toBeCloseTo(1, 6);
    expect(fine.x[1]).toBeCloseTo(1, 6);
  });

  it("minimize keeps the best of several starts and treats non-finite values as worse", () => {
    // Two basins, the deeper at x = 3; NaN outside (−5, 5).
    const f = ([x]: number[]) => (Math.abs(x) >= 5 ? NaN : Math.min((x + 2) ** 2 + 1, (x - 3) ** 2));
    const r = minimize(f, [[-2.5], [2.5]]);
    expect(r.x[0]).toBeCloseTo(3, 5);
    expect(r.fx).toBeCloseTo(0, 9);
  });

  it("inverts a symmetric positive-definite matrix and refuses an indefinite one", () => {
    const inv = invertSpd([[4, 2], [2, 3]])!;
    // Inverse of [[4,2],[2,3]] is [[3,−2],[−2,4]]/8.
    expect(inv[0][0]).toBeCloseTo(3 / 8, 14);
    expect(inv[0][1]).toBeCloseTo(-2 / 8, 14);
    expect(inv[1][1]).toBeCloseTo(4 / 8, 14);
    expect(invertSpd([[1, 2], [2, 1]])).toBeUndefined();
    expect(standardErrorsFromLogHessian([0, 0], [[1, 2], [2, 1]]).every(Number.isNaN)).toBe(true);
  });
});

describe("fitMle: estimates and standard errors against closed forms", () => {
  it("exponential rate: λ̂ = n/Σy and SE(λ̂) = λ̂/√n (delta method from the log scale)", () => {
    const n = 400;
    const total = 1234.5;
    const fit = fitMle<{ lambda: number }>(["lambda"], ({ lambda }) => ({ value: n * Math.log(lambda) - lambda * total, gradient: [n / lambda - total] }), n, [
      { lambda: 1 },
    ]);
    expect(fit.params.lambda).toBeCloseTo(n / total, 9);
    expect(fit.stdErrors.lambda).toBeCloseTo(n / total / Math.sqrt(n), 7);
    expect(fit.logLikelihood).toBeCloseTo(n * Math.log(n / total) - n, 8);
    expect(fit.converged).toBe(true);
  });

  it("normal with unknown mean > 0 and sd: SE(μ̂) = σ̂/√n and SE(σ̂) = σ̂/√(2n)", () => {
    const ys = Array.from({ length: 200 }, (_, i) => 10 + Math.sin(i * 1.7) * 3);
    const n = ys.length;
    const mean = ys.reduce((s, y) => s + y, 0) / n;
    const sd = Math.sqrt(ys.reduce((s, y) => s + (y - mean) ** 2, 0) / n);
    const fit = fitMle<{ mu: number; sigma: number }>(
      ["mu", "sigma"],
      ({ mu, sigma }) => {
        const ss = ys.reduce((s, y) => s + (y - mu) ** 2, 0);
        const sum = ys.reduce((s, y) => s + (y - mu), 0);
        return { value: -n * Math.log(sigma) - ss / (2 * sigma * sigma), gradient: [sum / (sigma * sigma), -n / sigma + ss / sigma ** 3] };
      },
      n,
      [{ mu: 1, sigma: 1 }, { mu: 20, sigma: 10 }],
    );
    expect(fit.params.mu).toBeCloseTo(mean, 8);
    expect(fit.params.sigma).toBeCloseTo(sd, 8);
    expect(fit.stdErrors.mu).toBeCloseTo(sd / Math.sqrt(n), 7);
    expect(fit.stdErrors.sigma).toBeCloseTo(sd / Math.sqrt(2 * n), 7);
  });
});
