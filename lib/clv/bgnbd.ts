import { digamma, hyp2f1, lgamma, logAddExp } from "./special-functions.ts";

/**
 * BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"): while alive a
 * customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out with
 * probability p ~ Beta(a, b). Time is in weeks.
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * Customers who share the sufficient statistics (x, t_x, T): x repeat transactions, the last at t_x
 * weeks after the first, observed for T weeks since the first. `n` is how many customers share them.
 */
export interface RfmGroups {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  n: Float64Array;
  /** Distinct x values, and each group's position in it: the Γ terms depend on x only. */
  xLevels: Float64Array;
  xIndex: Int32Array;
  /**
   * Distinct t_x and T values (one list for both), and each group's positions in it: ln(α + t) is then
   * taken once per distinct time per evaluation, not once per group (day-resolution data have a few
   * thousand distinct times against hundreds of thousands of groups).
   */
  timeLevels: Float64Array;
  txIndex: Int32Array;
  TIndex: Int32Array;
}

/** Build RfmGroups from row objects (one per distinct (x, t_x, T)). */
export function rfmGroups(rows: { x: number; tx: number; T: number; n?: number }[]): RfmGroups {
  return rfmGroupsFromColumns(
    rows.map((row) => row.x),
    rows.map((row) => row.tx),
    rows.map((row) => row.T),
    rows.map((row) => row.n ?? 1),
  );
}

/**
 * Build RfmGroups from columns: group i has x[i], t_x = tx[i], T[i] and n[i] customers (1 without `n`).
 * The same as rfmGroups without a row object per group, which hundreds of thousands of groups notice.
 */
export function rfmGroupsFromColumns(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>, n?: ArrayLike<number>): RfmGroups {
  const size = x.length;
  const g: RfmGroups = {
    x: new Float64Array(size),
    tx: new Float64Array(size),
    T: new Float64Array(size),
    n: new Float64Array(size),
    xLevels: new Float64Array(0),
    xIndex: new Int32Array(size),
    timeLevels: new Float64Array(0),
    txIndex: new Int32Array(size),
    TIndex: new Int32Array(size),
  };
  const levels = new Map<number, number>();
  const times = new Map<number, number>();
  const timeLevel = (t: number) => {
    let level = times.get(t);
    if (level === undefined) {
      level = times.size;
      times.set(t, level);
    }
    return level;
  };
  for (let i = 0; i < size; i++) {
    const xi = x[i];
    const txi = tx[i];
    const Ti = T[i];
    if (!(xi >= 0 && Number.isInteger(xi))) throw new RangeError(`BG/NBD: x must be a non-negative integer, got ${xi}`);
    if (!(txi >= 0 && Ti >= txi)) throw new RangeError(`BG/NBD: need 0 ≤ t_x ≤ T, got t_x = ${txi}, T = ${Ti}`);
    g.x[i] = xi;
    g.tx[i] = txi;
    g.T[i] = Ti;
    g.n[i] = n ? n[i] : 1;
    let level = levels.get(xi);
    if (level === undefined) {
      level = levels.size;
      levels.set(xi, level);
    }
    g.xIndex[i] = level;
    g.txIndex[i] = timeLevel(txi);
    g.TIndex[i] = timeLevel(Ti);
  }
  g.xLevels = Float64Array.from(levels.keys());
  g.timeLevels = Float64Array.from(times.keys());
  return g;
}

/** Collapse customers with identical (x, t_x, T) into weighted groups (what the SQL does for warehouse data). */
export function compressRfm(rows: { x: number; tx: number; T: number }[]): RfmGroups {
  const counts = new Map<string, { x: number; tx: number; T: number; n: number }>();
  for (const row of rows) {
    const key = `${row.x}|${row.tx}|${row.T}`;
    const group = counts.get(key);
    if (group) group.n++;
    else counts.set(key, { x: row.x, tx: row.tx, T: row.T, n: 1 });
  }
  return rfmGroups([...counts.values()]);
}

/** Total weight (number of customers) of a set of groups. */
export function totalCustomers(groups: { n: Float64Array }): number {
  let s = 0;
  for (let i = 0; i < groups.n.length; i++) s += groups.n[i];
  return s;
}

/**
 * Log-likelihood Σ n·ln L(r, α, a, b | x, t_x, T), FHL (2005) eq. 6:
 * L = B(a, b+x)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+T)^(r+x))
 *   + [x > 0] · B(a+1, b+x−1)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+t_x)^(r+x)),
 * evaluated in logs with log-sum-exp. The Γ terms depend on x only, so they are computed once per
 * distinct x, which keeps an evaluation over 100k groups to a few milliseconds.
 */
export function bgnbdLogLikelihood(params: BgNbdParams, groups: RfmGroups): number {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
  const logAlpha = Math.log(alpha);
  const lgR = lgamma(r);
  const lgAB = lgamma(a + b);
  const lgB = lgamma(b);
  const logA = Math.log(a);
  const base = groups.xLevels.map((x) => lgamma(r + x) - lgR + r * logAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x));
  const logAlphaT = groups.timeLevels.map((t) => Math.log(alpha + t));
  let total = 0;
  for (let i = 0; i < groups.x.length; i++) {
    const x = groups.x[i];
    const rx = r + x;
    let term = -rx * logAlphaT[groups.TIndex[i]];
    if (x > 0) term = logAddExp(term, logA - Math.log(b + x - 1) - rx * logAlphaT[groups.txIndex[i]]);
    total += groups.n[i] * (base[groups.xIndex[i]] + term);
  }
  return total;
}

/**
 * The log-likelihood and its gradient with respect to (r, α, a, b), in one pass over the groups.
 * With p₁ = the share of the "still alive" term in L (softmax of the two log terms):
 *   ∂/∂r = ψ(r+x) − ψ(r) + ln α − p₁ ln(α+T) − (1−p₁) ln(α+t_x)
 *   ∂/∂α = r/α − (r+x)[p₁/(α+T) + (1−p₁)/(α+t_x)]
 *   ∂/∂a = ψ(a+b) − ψ(a+b+x) + (1−p₁)/a
 *   ∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − (1−p₁)/(b+x−1)
 */
export function bgnbdLogLikelihoodWithGradient(params: BgNbdParams, groups: RfmGroups): { value: number; gradient: number[] } {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return { value: -Infinity, gradient: [NaN, NaN, NaN, NaN] };
  const logAlpha = Math.log(alpha);
  const lgR = lgamma(r);
  const lgAB = lgamma(a + b);
  const lgB = lgamma(b);
  const logA = Math.log(a);
  const psiR = digamma(r);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  const levels = groups.xLevels;
  const base = levels.map((x) => lgamma(r + x) - lgR + r * logAlpha + lgAB + lgamma(b + x) - lgB - lgamma(a + b + x));
  const dBaseR = levels.map((x) => digamma(r + x) - psiR + logAlpha);
  const dBaseA = levels.map((x) => psiAB - digamma(a + b + x));
  const dBaseB = levels.map((x) => psiAB + digamma(b + x) - psiB - digamma(a + b + x));
  // ln a − ln(b + x − 1), the x-only part of the "dropped out after the last purchase" term.
  const deadBase = levels.map((x) => (x > 0 ? logA - Math.log(b + x - 1) : 0));
  const invBx1 = levels.map((x) => (x > 0 ? 1 / (b + x - 1) : 0));
  const rOverAlpha = r / alpha;
  // α + t and its log once per distinct time (the same numbers the per-group expressions would give);
  // a plain loop, as coarse groups have nearly as many distinct times as groups.
  const times = groups.timeLevels;
  const alphaT = new Float64Array(times.length);
  const logAlphaT = new Float64Array(times.length);
  for (let j = 0; j < times.length; j++) {
    alphaT[j] = alpha + times[j];
    logAlphaT[j] = Math.log(alphaT[j]);
  }
  const { x: xs, n: ns, xIndex, TIndex, txIndex } = groups;
  let value = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const n = ns[i];
    const k = xIndex[i];
    const rx = r + x;
    const aT = alphaT[TIndex[i]];
    const logAT = logAlphaT[TIndex[i]];
    const alive = -rx * logAT;
    if (x === 0) {
      value += n * (base[k] + alive);
      gr += n * (dBaseR[k] - logAT);
      gAlpha += n * (rOverAlpha - rx / aT);
      ga += n * dBaseA[k];
      gb += n * dBaseB[k];
      continue;
    }
    const aTx = alphaT[txIndex[i]];
    const logAtx = logAlphaT[txIndex[i]];
    const dead = deadBase[k] - rx * logAtx;
    // log-sum-exp of the two terms, sharing one exp between the value and the weights.
    const d = dead - alive;
    let term: number;
    let wAlive: number;
    if (d < 0) {
      const e = Math.exp(d);
      term = alive + Math.log1p(e);
      wAlive = 1 / (1 + e);
    } else {
      const e = Math.exp(-d);
      term = dead + Math.log1p(e);
      wAlive = e / (1 + e);
    }
    const wDead = 1 - wAlive;
    value += n * (base[k] + term);
    gr += n * (dBaseR[k] - wAlive * logAT - wDead * logAtx);
    gAlpha += n * (rOverAlpha - rx * (wAlive / aT + wDead / aTx));
    ga += n * (dBaseA[k] + wDead / a);
    gb += n * (dBaseB[k] - wDead * invBx1[k]);
  }
  return { value, gradient: [gr, gAlpha, ga, gb] };
}

/**
 * P(alive at T | x, t_x, T), FHL (2005) eq. 11: 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 */
export function pAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[X(t)]: expected transactions in (0, t] for a customer who has just made their first purchase
 * (FHL 2005 eq. 7): (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))].
 * It counts repeat transactions only (the first purchase at 0 is not in (0, t]).
 */
export function expectedPurchases(params: BgNbdParams, t: number): number {
  return conditionalNumerator(params, 0, 0, t);
}

/**
 * E[Y(t) | x, t_x, T]: expected transactions in (T, T + t] (FHL 2005 eq. 10):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] / (1 + [x>0] a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
 * The denominator is 1/P(alive).
 */
export function conditionalExpectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  return conditionalNumerator(params, x, T, t) * pAlive(params, x, tx, T);
}

/**
 * The bracket of eq. 10 for a customer known to be alive at T, i.e. E_p[(1 − (1 + p·t/(α+T))^−(r+x)) / p]
 * with p ~ Beta(a, b+x). With z = t/(α+T+t), Euler's transformation turns
 * (1−z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z) into (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z): the same number,
 * but its series has bounded terms for any x (the original overflows for large x). The series needs about
 * a·z/(1−z) terms, so for large a (a fit drifting to "nobody drops out") the expectation over p is
 * integrated numerically instead. At a = 1 the closed form is 0/0; the limit is taken as the mean of
 * a = 1 ± 1e-4 (error ~1e-8, relative).
 */
function conditionalNumerator(params: BgNbdParams, x: number, T: number, t: number, grid?: BetaGrid): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  if (a > LARGE_A) {
    const scale = t / (alpha + T);
    return gridExpectation((p) => -Math.expm1(-(r + x) * Math.log1p(p * scale)) / p, grid ?? betaGrid(a, b + x));
  }
  if (Math.abs(a - 1) < 1e-6) {
    const h = 1e-4;
    return 0.5 * (conditionalNumerator({ ...params, a: 1 - h }, x, T, t) + conditionalNumerator({ ...params, a: 1 + h }, x, T, t));
  }
  const z = t / (alpha + T + t);
  const log1mz = Math.log1p(-z);
  const f = hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  // 1 − (1−z)^(a−1)·F, written with expm1 so that a near 1 does not lose digits.
  const bracket = -Math.expm1((a - 1) * log1mz + Math.log(f));
  return ((a + b + x - 1) / (a - 1)) * bracket;
}

/**
 * E[Y(t) | x, T] for a customer known to be alive, at several horizons t (weeks): the bracket of eq. 10 that
 * conditionalExpectedPurchases multiplies by P(alive). It does not depend on t_x, so customers who differ
 * only in t_x share it. Returns a function of (x, T, horizons) that keeps, per x, what does not depend on T.
 */
export function aliveExpectedPurchases(params: BgNbdParams): (x: number, T: number, horizons: ArrayLike<number>) => Float64Array {
  const grids = new Map<number, BetaGrid>();
  return (x, T, horizons) => {
    let grid: BetaGrid | undefined;
    if (params.a > LARGE_A) {
      grid = grids.get(x);
      if (!grid) {
        grid = betaGrid(params.a, params.b + x);
        grids.set(x, grid);
      }
    }
    const out = new Float64Array(horizons.length);
    for (let k = 0; k < horizons.length; k++) out[k] = conditionalNumerator(params, x, T, horizons[k], grid);
    return out;
  };
}

/** Above this a, conditional expectations integrate over p instead of summing the ₂F₁ series. */
export const LARGE_A = 200;

/** The nodes p and weights of the rule betaExpectation uses for one Beta(a, b); mass is the weights' sum. */
interface BetaGrid {
  p: Float64Array;
  weight: Float64Array;
  mass: number;
}

/**
 * The trapezoid rule in w = logit(p) for p ~ Beta(a, b), where the density ∝ e^(a·w) / (1 + e^w)^(a+b) is
 * smooth, unimodal and decays exponentially both ways, so the rule converges geometrically. The grid
 * spans the mode ± max(12 σ, 40/a or 40/b) with σ² = 1/a + 1/b, in steps of σ/8, or σ/2 when both shapes
 * exceed 100: the density is then close to normal in w, the rule's error falls like exp(−2π²(σ/h)²), and
 * σ/8 gives the same numbers to 2e-13 at four times the cost. Nodes below 1e-18 of the peak weight are
 * dropped: they cannot move the sum by as much as its rounding (a quarter of the nodes when both shapes are large).
 */
function betaGrid(a: number, b: number): BetaGrid {
  const mode = Math.log(a / b);
  const sigma = Math.sqrt(1 / a + 1 / b);
  const lo = mode - Math.max(12 * sigma, 40 / a);
  const hi = mode + Math.max(12 * sigma, 40 / b);
  const steps = Math.min(20_000, Math.ceil((hi - lo) / (sigma / (Math.min(a, b) > 100 ? 2 : 8))));
  const h = (hi - lo) / steps;
  const logDensity = (w: number) => a * w - (a + b) * (w > 0 ? w + Math.log1p(Math.exp(-w)) : Math.log1p(Math.exp(w)));
  const peak = logDensity(mode);
  const ps: number[] = [];
  const weights: number[] = [];
  let mass = 0;
  for (let i = 0; i <= steps; i++) {
    const w = lo + i * h;
    const weight = (i === 0 || i === steps ? 0.5 : 1) * Math.exp(logDensity(w) - peak);
    if (!(weight > 1e-18)) continue;
    ps.push(w > 0 ? 1 / (1 + Math.exp(-w)) : Math.exp(w) / (1 + Math.exp(w)));
    weights.push(weight);
    mass += weight;
  }
  return { p: Float64Array.from(ps), weight: Float64Array.from(weights), mass };
}

function gridExpectation(g: (p: number) => number, grid: BetaGrid): number {
  let total = 0;
  for (let i = 0; i < grid.p.length; i++) total += grid.weight[i] * g(grid.p[i]);
  return total / grid.mass;
}

/** E[g(p)] for p ~ Beta(a, b) by the trapezoid rule in w = logit(p) (see betaGrid). */
export function betaExpectation(g: (p: number) => number, a: number, b: number): number {
  return gridExpectation(g, betaGrid(a, b));
}
