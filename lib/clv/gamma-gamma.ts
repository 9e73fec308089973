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
}

/**
 * Build SpendGroups from rows. Customers with x = 0, or whose repeat transactions are worth 0 in total
 * (free orders), carry no information a Gamma density can use and are left out, as in CLVTools.
 */
export function spendGroups(rows: { x: number; m: number | null; n?: number }[]): SpendGroups {
  const kept = rows.filter((row): row is { x: number; m: number; n?: number } => row.x > 0 && row.m !== null && row.m > 0);
  const g: SpendGroups = { x: new Float64Array(kept.length), m: new Float64Array(kept.length), n: new Float64Array(kept.length) };
  kept.forEach((row, i) => {
    g.x[i] = row.x;
    g.m[i] = row.m;
    g.n[i] = row.n ?? 1;
  });
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
  const byX = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < groups.x.length; i++) {
    const x = groups.x[i];
    const px = p * x;
    let base = byX.get(x);
    if (base === undefined) {
      base = lgamma(px + q) - lgamma(px) - lgQ + q * logV + px * Math.log(x);
      byX.set(x, base);
    }
    const m = groups.m[i];
    total += groups.n[i] * (base + (px - 1) * Math.log(m) - (px + q) * Math.log(v + m * x));
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
  const byX = new Map<number, [number, number, number]>();
  let value = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  for (let i = 0; i < groups.x.length; i++) {
    const x = groups.x[i];
    const px = p * x;
    let cached = byX.get(x);
    if (cached === undefined) {
      const psiPxQ = digamma(px + q);
      cached = [lgamma(px + q) - lgamma(px) - lgQ + q * logV + px * Math.log(x), x * (psiPxQ - digamma(px) + Math.log(x)), psiPxQ - psiQ + logV];
      byX.set(x, cached);
    }
    const n = groups.n[i];
    const m = groups.m[i];
    const logM = Math.log(m);
    const logVmx = Math.log(v + m * x);
    value += n * (cached[0] + (px - 1) * logM - (px + q) * logVmx);
    gp += n * (cached[1] + x * (logM - logVmx));
    gq += n * (cached[2] - logVmx);
    gv += n * (q / v - (px + q) / (v + m * x));
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
