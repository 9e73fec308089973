/**
 * Special functions the CLV likelihoods need, written for double precision over the parameter ranges
 * BG/NBD and Gamma-Gamma fits visit (tiny shapes near 0, counts in the thousands).
 */

// Lanczos coefficients for g = 7, n = 9 (Godfrey); relative error about 1e-15 for x ≥ 0.5.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln|Γ(x)| for real x; +Infinity at the poles (0, −1, −2, …). */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (x > 15) {
    // Stirling series: more accurate than Lanczos for large x and cheaper.
    const inv = 1 / x;
    const inv2 = inv * inv;
    const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  }
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Sign of Γ(x): +1 for x > 0, alternating between the poles for x < 0; 0 at a pole. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^u + e^v) without overflow; −Infinity terms are allowed. */
export function logAddExp(u: number, v: number): number {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  const hi = Math.max(u, v);
  return hi + Math.log1p(Math.exp(-Math.abs(u - v)));
}

/** True when x is a non-positive integer (a pole of Γ). */
function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/**
 * Γ(n₁)…Γ(nₖ) / (Γ(d₁)…Γ(dₘ)) with signs, computed in logs. A denominator at a pole makes the
 * ratio 0 (1/Γ is entire); a numerator at a pole is a genuine singularity and throws.
 */
export function gammaRatio(numerators: number[], denominators: number[]): number {
  if (denominators.some(isNonPositiveInteger)) return 0;
  if (numerators.some(isNonPositiveInteger)) throw new RangeError(`gammaRatio: pole of Γ at ${numerators.find(isNonPositiveInteger)}`);
  let log = 0;
  let sign = 1;
  for (const n of numerators) {
    log += lgamma(n);
    sign *= gammaSign(n);
  }
  for (const d of denominators) {
    log -= lgamma(d);
    sign *= gammaSign(d);
  }
  return sign * Math.exp(log);
}

const SERIES_MAX_TERMS = 10_000_000;

/** The Gauss series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ, summed until the terms stop mattering. */
function hyp2f1Series(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < SERIES_MAX_TERMS; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (term === 0) return sum; // a or b is a non-positive integer: the series terminates
    // Stop only once terms shrink geometrically, so an early small term (e.g. a + n ≈ 0) cannot end the sum.
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) && Math.abs(((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2)) * z) < 1) {
      return sum;
    }
  }
  throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}): series did not converge in ${SERIES_MAX_TERMS} terms`);
}

/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real parameters and real z < 1.
 *
 * z ≤ 0.9: the defining series (converges like 0.9ⁿ at worst). z < 0: Pfaff's transformation maps it
 * into [0, 1). z > 0.9: the connection formula in 1 − z (Abramowitz & Stegun 15.3.6), whose two series
 * converge fast; when c − a − b is within 1e-3 of an integer that formula cancels catastrophically, so the
 * direct series is summed instead (slow only in the corner z → 1 with an integer c − a − b).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z < 1)) throw new RangeError(`hyp2f1: z = ${z} must be < 1`);
  if (isNonPositiveInteger(c)) throw new RangeError(`hyp2f1: c = ${c} is a non-positive integer`);
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z < 0) {
    // Pfaff: ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)), and z/(z−1) ∈ (0, 1).
    return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  }
  if (z <= 0.9 || isNonPositiveInteger(a) || isNonPositiveInteger(b)) return hyp2f1Series(a, b, c, z);
  const m = c - a - b;
  if (Math.abs(m - Math.round(m)) < 1e-3) return hyp2f1Series(a, b, c, z);
  const w = 1 - z;
  const first = gammaRatio([c, m], [c - a, c - b]);
  const second = gammaRatio([c, -m], [a, b]);
  const f1 = first === 0 ? 0 : first * hyp2f1Series(a, b, 1 - m, w);
  const f2 = second === 0 ? 0 : second * Math.pow(w, m) * hyp2f1Series(c - a, c - b, m + 1, w);
  return f1 + f2;
}

/** Digamma ψ(x) = d ln Γ(x)/dx for x > 0 (recurrence up to x ≥ 10, then the asymptotic series). */
export function digamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`digamma: x = ${x} must be > 0`);
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
  return shift + Math.log(x) - 0.5 / x - series;
}
