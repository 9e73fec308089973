import { beforeAll, describe, expect, it } from "vitest";
import { compressRfm, conditionalExpectedPurchases, type RfmGroups } from "../lib/clv/bgnbd.ts";
import { fitBgNbd, fitGammaGamma, type BgNbdFit, type GammaGammaFit } from "../lib/clv/fit-models.ts";
import { spendGroups } from "../lib/clv/gamma-gamma.ts";
import { simulateCustomers, type SimulatedCustomer } from "../lib/clv/simulate.ts";

// Truth: CDNOW-like BG/NBD and Gamma-Gamma parameters.
const BG = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
const GG = { p: 6, q: 4, v: 15 };

describe("parameter recovery: 100k customers simulated from known BG/NBD and Gamma-Gamma parameters", () => {
  // Customers observed 26–78 weeks, times at day resolution as warehouse data are, 39-week holdout.
  let customers: SimulatedCustomer[];
  let groups: RfmGroups;
  let bg: BgNbdFit;
  let gg: GammaGammaFit;
  beforeAll(() => {
    customers = simulateCustomers(100_000, BG, GG, { seed: 1, minT: 26, maxT: 78, holdout: 39, dayResolution: true });
    groups = compressRfm(customers);
    bg = fitBgNbd(groups);
    gg = fitGammaGamma(spendGroups(customers));
  });

  it("fits on compressed (x, t_x, T) groups, far fewer than customers", () => {
    expect(groups.x.length).toBeLessThan(60_000);
    expect(bg.customers).toBe(100_000);
    process.stdout.write(
      `recovery: ${groups.x.length} groups; BG/NBD ${bg.milliseconds.toFixed(0)} ms (${bg.evaluations} passes), Gamma-Gamma ${gg.milliseconds.toFixed(0)} ms\n`,
    );
  });

  it("recovers every BG/NBD parameter within 3 standard errors", () => {
    expect(bg.converged).toBe(true);
    for (const k of ["r", "alpha", "a", "b"] as const) {
      const z = (bg.params[k] - BG[k]) / bg.stdErrors[k];
      expect([k, Math.abs(z) < 3]).toEqual([k, true]);
      // The standard errors are those of a large sample: a few % of the estimate at most.
      expect(bg.stdErrors[k] / bg.params[k]).toBeLessThan(0.1);
    }
  });

  it("recovers every Gamma-Gamma parameter within 3 standard errors", () => {
    expect(gg.converged).toBe(true);
    for (const k of ["p", "q", "v"] as const) {
      const z = (gg.params[k] - GG[k]) / gg.stdErrors[k];
      expect([k, Math.abs(z) < 3]).toEqual([k, true]);
    }
  });

  it("predicts the simulated holdout transactions within 3% in total", () => {
    let predicted = 0;
    let actual = 0;
    for (const c of customers) {
      predicted += conditionalExpectedPurchases(bg.params, c.x, c.tx, c.T, 39);
      actual += c.holdout;
    }
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.03);
  });
});
