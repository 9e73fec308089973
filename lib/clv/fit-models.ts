import { bgnbdLogLikelihoodWithGradient, rfmGroups, totalCustomers, type BgNbdParams, type RfmGroups } from "./bgnbd.ts";
import { gammaGammaLogLikelihoodWithGradient, spendGroups, type GammaGammaParams, type SpendGroups } from "./gamma-gamma.ts";
import { fitMle, type MleFit } from "./maximum-likelihood.ts";

export type BgNbdFit = MleFit<BgNbdParams & Record<string, number>>;
export type GammaGammaFit = MleFit<GammaGammaParams & Record<string, number>>;

/** Above this many groups the multi-start search runs on coarsened groups. */
const COARSE_ABOVE = 5_000;

/** Width in weeks of the t_x and T cells of the coarse BG/NBD search. */
const COARSE_WEEKS = 4;

/** Width in ln m of the spend cells of the coarse Gamma-Gamma search (about 2%). */
const COARSE_LOG_SPEND = 0.02;

/**
 * Merge groups whose t_x and T fall in the same cell of `weeks` weeks (x stays exact), at their weighted
 * mean t_x and T. The likelihood of the merged groups is close to the exact one, so its optimum (and its
 * curvature there) is a start from which the exact fit converges in a few steps.
 */
export function coarsenRfm(groups: RfmGroups, weeks = COARSE_WEEKS): RfmGroups {
  const cells = new Map<number, { x: number; tx: number; T: number; n: number }>();
  for (let i = 0; i < groups.x.length; i++) {
    // x, t_x and T cells packed into one number: cells stay below 2^20 for any T under 20,000 years.
    const key = (groups.x[i] * 1_048_576 + Math.round(groups.tx[i] / weeks)) * 1_048_576 + Math.round(groups.T[i] / weeks);
    const n = groups.n[i];
    const cell = cells.get(key);
    if (cell) {
      cell.tx += n * groups.tx[i];
      cell.T += n * groups.T[i];
      cell.n += n;
    } else cells.set(key, { x: groups.x[i], tx: n * groups.tx[i], T: n * groups.T[i], n });
  }
  return rfmGroups([...cells.values()].map((c) => ({ x: c.x, tx: Math.min(c.tx / c.n, c.T / c.n), T: c.T / c.n, n: c.n })));
}

/** Merge spend groups with the same x whose m are within about 2% (cells in ln m), at their weighted mean m. */
export function coarsenSpend(groups: SpendGroups, logWidth = COARSE_LOG_SPEND): SpendGroups {
  const cells = new Map<number, { x: number; m: number; n: number }>();
  for (let i = 0; i < groups.x.length; i++) {
    const key = groups.x[i] * 1_048_576 + Math.round(groups.logM[i] / logWidth);
    const n = groups.n[i];
    const cell = cells.get(key);
    if (cell) {
      cell.m += n * groups.m[i];
      cell.n += n;
    } else cells.set(key, { x: groups.x[i], m: n * groups.m[i], n });
  }
  return spendGroups([...cells.values()].map((c) => ({ x: c.x, m: c.m / c.n, n: c.n })));
}

/**
 * Fit BG/NBD by maximum likelihood on compressed (x, t_x, T) groups. Starts are generic, scaled to the
 * data's purchase rate so the time unit does not matter: α = r / (Σx / ΣT).
 */
export function fitBgNbd(groups: RfmGroups): BgNbdFit {
  const customers = totalCustomers(groups);
  if (customers === 0) throw new Error("BG/NBD: no customers to fit");
  let repeat = 0;
  let exposure = 0;
  for (let i = 0; i < groups.x.length; i++) {
    repeat += groups.n[i] * groups.x[i];
    exposure += groups.n[i] * groups.T[i];
  }
  if (repeat === 0) throw new Error("BG/NBD: no customer has a repeat transaction, so the model cannot be fitted");
  const rate = repeat / Math.max(exposure, 1e-9);
  const starts: (BgNbdParams & Record<string, number>)[] = [
    { r: 1, alpha: 1 / rate, a: 1, b: 1 },
    { r: 0.5, alpha: 0.5 / rate, a: 0.5, b: 3 },
    { r: 2, alpha: 2 / rate, a: 2, b: 10 },
  ];
  // Many groups (large or day-resolution data): search on week-rounded groups first, refine on the exact ones.
  const coarse = groups.x.length > COARSE_ABOVE ? coarsenRfm(groups) : undefined;
  return fitMle(["r", "alpha", "a", "b"], (p) => bgnbdLogLikelihoodWithGradient(p, groups), customers, starts, {
    coarse: coarse && ((p) => bgnbdLogLikelihoodWithGradient(p, coarse)),
  });
}

/** Fit Gamma-Gamma by maximum likelihood on (x, m) groups of customers with x ≥ 1. */
export function fitGammaGamma(groups: SpendGroups): GammaGammaFit {
  const customers = totalCustomers(groups);
  if (customers < 2) throw new Error("Gamma-Gamma: fewer than two customers with a repeat transaction; the spend model cannot be fitted");
  let mean = 0;
  for (let i = 0; i < groups.m.length; i++) mean += (groups.n[i] * groups.m[i]) / customers;
  // Starts with population mean p·v/(q−1) equal to the observed mean.
  const starts: (GammaGammaParams & Record<string, number>)[] = [
    { p: 1, q: 2, v: mean },
    { p: 5, q: 4, v: (3 * mean) / 5 },
    { p: 0.5, q: 10, v: 18 * mean },
  ];
  // Many groups (every customer has their own mean spend): search on merged spend cells first, refine on the exact groups.
  const coarse = groups.x.length > COARSE_ABOVE ? coarsenSpend(groups) : undefined;
  return fitMle(["p", "q", "v"], (p) => gammaGammaLogLikelihoodWithGradient(p, groups), customers, starts, {
    coarse: coarse && ((p) => gammaGammaLogLikelihoodWithGradient(p, coarse)),
  });
}

/** Above this, a and b both growing means the Beta mixing distribution of dropout has collapsed to a point. */
const DEGENERATE_BETA = 1_000;

/**
 * What to say about a BG/NBD fit that did not converge or sits on a boundary, or undefined. When a and b both run
 * off together the likelihood is maximised in the limit where every customer has the same dropout
 * probability a/(a+b): the ratio is estimated, a and b separately are not (e.g. contract customers who
 * buy steadily and leave when a contract ends rather than after a purchase).
 */
export function bgnbdConvergenceWarning(fit: BgNbdFit, label = ""): string | undefined {
  const { a, b } = fit.params;
  if (a > DEGENERATE_BETA && b > DEGENERATE_BETA) {
    return `${label}BG/NBD: every customer has the same dropout probability (a and b grow without bound at a/(a+b) = ${(a / (a + b)).toPrecision(3)}); a and b are not identified separately, predictions use that limit`;
  }
  if (fit.converged) return undefined;
  return `${label}BG/NBD did not converge cleanly (gradient ${fit.gradientNorm.toExponential(2)}); treat the estimates with care`;
}

/** What to say about a Gamma-Gamma fit that did not converge or has an infinite mean, or undefined. */
export function gammaGammaWarnings(fit: GammaGammaFit, label = ""): string[] {
  const warnings: string[] = [];
  if (!fit.converged) {
    warnings.push(
      `${label}Gamma-Gamma did not converge cleanly (gradient ${fit.gradientNorm.toExponential(2)}, p = ${fit.params.p.toPrecision(3)}); a p that runs off means spend varies far less within customers than between them, e.g. customer types with very different spend scales pooled (fit them by segment) or very few repeat customers`,
    );
  }
  if (!(fit.params.q > 1)) warnings.push(`${label}Gamma-Gamma q = ${fit.params.q.toFixed(3)} ≤ 1: the population mean spend is infinite`);
  return warnings;
}
