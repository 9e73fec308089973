import { digamma, lgamma } from "./special-functions.ts";

/**
 * Gamma-Gamma model of spend (Fader, Hardie & Lee 2005 "RFM and CLV"; Fader & Hardie 2013 note):
 * a transaction's value is Gamma(p, ν); ν varies across customers as Gamma(q, γ) (γ is called v here,
 * as in lifetimes). Fitted on customers with at least one repeat transaction, on the mean value m of
 * their x repeat transactions.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** Customers sharing (x, m): x ≥ 1 repeat transactions with mean value m > 0; `n` customers. */
export interface SpendGroups {
  x: Float64Array;
  m: Float64Array;
  n: Float64Array;
  /** ln m and m·x per group, which the likelihood needs at every evaluation and which do not change. */
  logM: Float64Array;
  mx: Float64Array;
  /** Distinct x values, and each group's position in it: the Γ terms depend on x only. */
  xLevels: Float64Array;
  xIndex: Int32Array;
}

/**
 * Build SpendGroups from rows. Customers with x = 0, or whose repeat transactions are worth 0 in total
 * (free orders), carry no information a Gamma density can use and are left out, as in CLVTools.
 */
export function spendGroups(rows: { x: number; m: number | null; n?: number }[]): SpendGroups {
  return spendGroupsFromColumns(
    rows.map((row) => row.x),
    rows.map((row) => row.m),
    rows.map((row) => row.n ?? 1),
  );
}

/**
 * spendGroups from columns: group i has x[i] repeat transactions of mean value m[i] and n[i] customers
 * (1 without `n`); groups with x = 0 or no positive m are left out. No row object per group.
 */
export function spendGroupsFromColumns(x: ArrayLike<number>, m: ArrayLike<number | null>, n?: ArrayLike<number>): SpendGroups {
  const keep = (i: number) => x[i] > 0 && m[i] !== null && (m[i] as number) > 0;
  let size = 0;
  for (let i = 0; i < x.length; i++) if (keep(i)) size++;
  const g: SpendGroups = {
    x: new Float64Array(size),
    m: new Float64Array(size),
    n: new Float64Array(size),
    logM: new Float64Array(size),
    mx: new Float64Array(size),
    xLevels: new Float64Array(0),
    xIndex: new Int32Array(size),
  };
  const levels = new Map<number, number>();
  for (let i = 0, k = 0; i < x.length; i++) {
    if (!keep(i)) continue;
    const xi = x[i];
    const mi = m[i] as number;
    g.x[k] = xi;
    g.m[k] = mi;
    g.n[k] = n ? n[i] : 1;
    g.logM[k] = Math.log(mi);
    g.mx[k] = mi * xi;
    let level = levels.get(xi);
    if (level === undefined) {
      level = levels.size;
      levels.set(xi, level);
    }
    g.xIndex[k] = level;
    k++;
  }
  g.xLevels = Float64Array.from(levels.keys());
  return g;
}

/**
 * Log-likelihood Σ n·ln f(m | p, q, v, x), where m·x ~ Gamma(px, ν) given ν, so the marginal density of m is
 * Γ(px+q) / (Γ(px)Γ(q)) · v^q · m^(px−1) · x^(px) / (v + m·x)^(px+q). This is the full density (it matches
 * lifetimes' GammaGammaFitter), so values are comparable with other implementations.
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, groups: SpendGroups): number {
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return -Infinity;
  const lgQ = lgamma(q);
  const logV = Math.log(v);
  const base = groups.xLevels.map((x) => lgamma(p * x + q) - lgamma(p * x) - lgQ + q * logV + p * x * Math.log(x));
  let total = 0;
  for (let i = 0; i < groups.x.length; i++) {
    const px = p * groups.x[i];
    total += groups.n[i] * (base[groups.xIndex[i]] + (px - 1) * groups.logM[i] - (px + q) * Math.log(v + groups.mx[i]));
  }
  return total;
}

/**
 * The log-likelihood and its gradient with respect to (p, q, v):
 *   ∂/∂p = x[ψ(px+q) − ψ(px) + ln m + ln x − ln(v+mx)],  ∂/∂q = ψ(px+q) − ψ(q) + ln v − ln(v+mx),
 *   ∂/∂v = q/v − (px+q)/(v+mx).
 */
export function gammaGammaLogLikelihoodWithGradient(params: GammaGammaParams, groups: SpendGroups): { value: number; gradient: number[] } {
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return { value: -Infinity, gradient: [NaN, NaN, NaN] };
  const lgQ = lgamma(q);
  const psiQ = digamma(q);
  const logV = Math.log(v);
  const levels = groups.xLevels;
  // The x-only terms, once per distinct x.
  const base = new Float64Array(levels.length);
  const dBaseP = new Float64Array(levels.length);
  const dBaseQ = new Float64Array(levels.length);
  for (let k = 0; k < levels.length; k++) {
    const x = levels[k];
    const px = p * x;
    const psiPxQ = digamma(px + q);
    base[k] = lgamma(px + q) - lgamma(px) - lgQ + q * logV + px * Math.log(x);
    dBaseP[k] = x * (psiPxQ - digamma(px) + Math.log(x));
    dBaseQ[k] = psiPxQ - psiQ + logV;
  }
  const qOverV = q / v;
  const { x: xs, n: ns, logM: logMs, mx: mxs, xIndex } = groups;
  let value = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const px = p * x;
    const k = xIndex[i];
    const n = ns[i];
    const logM = logMs[i];
    const vmx = v + mxs[i];
    const logVmx = Math.log(vmx);
    value += n * (base[k] + (px - 1) * logM - (px + q) * logVmx);
    gp += n * (dBaseP[k] + x * (logM - logVmx));
    gq += n * (dBaseQ[k] - logVmx);
    gv += n * (qOverV - (px + q) / vmx);
  }
  return { value, gradient: [gp, gq, gv] };
}

/**
 * E[M | p, q, v, m, x]: expected value of a future transaction given x repeat transactions with mean m
 * (FHL 2005 "RFM and CLV" eq. 5): p(v + m·x)/(p·x + q − 1), a weighted mean of the population mean
 * p·v/(q−1) and m. For x = 0 it is the population mean. Needs q > 1 (otherwise the mean is infinite: NaN).
 */
export function conditionalExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, v } = params;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) return NaN;
  return (p * (v + (x > 0 ? m * x : 0))) / denominator;
}
