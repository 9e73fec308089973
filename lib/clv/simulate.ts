import type { BgNbdParams } from "./bgnbd.ts";
import type { GammaGammaParams } from "./gamma-gamma.ts";

/** A seeded uniform generator on (0, 1): sfc32, seeded through splitmix32 so small seeds differ well. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return (t + 0.5) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) draw (Marsaglia & Tsang 2000; shape < 1 boosted by U^(1/shape)). */
export function gammaDraw(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaDraw(random, shape + 1, rate) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Beta(a, b) draw as a ratio of gammas. */
export function betaDraw(random: () => number, a: number, b: number): number {
  const x = gammaDraw(random, a, 1);
  const y = gammaDraw(random, b, 1);
  return x / (x + y);
}

/** One simulated customer's calibration statistics and holdout count. */
export interface SimulatedCustomer {
  x: number;
  tx: number;
  T: number;
  /** Mean value of the repeat transactions (0 when x = 0). */
  m: number;
  /** Repeat transactions in (T, T + holdout]. */
  holdout: number;
}

/**
 * Simulate customers from BG/NBD and Gamma-Gamma exactly as the models state: λ ~ Gamma(r, α),
 * p ~ Beta(a, b); after the first purchase at 0, purchases arrive at rate λ and after each (repeat)
 * purchase the customer drops out with probability p. ν ~ Gamma(q, v) and each repeat transaction is
 * worth Gamma(p, ν). Each customer is observed for T weeks, drawn uniformly in [minT, maxT], or taken in
 * turn from `observedT` (e.g. the real customers' ages, to mimic a data set's observation windows).
 * With dayResolution, T is a whole number of days and t_x is rounded to the nearest day, as warehouse
 * data are, so many customers share statistics and the fit runs on compressed groups.
 * With dropoutAtFirstPurchase the dropout coin is also tossed right after the first purchase, the MBG/NBD
 * variant (Batislam, Denizel & Filiztekin 2007) — data BG/NBD does not describe exactly, to measure
 * what fitting BG/NBD to such data does.
 */
export function simulateCustomers(
  n: number,
  bgnbd: BgNbdParams,
  spend: GammaGammaParams,
  options: {
    seed: number;
    minT: number;
    maxT: number;
    holdout?: number;
    dayResolution?: boolean;
    observedT?: readonly number[];
    dropoutAtFirstPurchase?: boolean;
  },
): SimulatedCustomer[] {
  const random = seededRandom(options.seed);
  const holdout = options.holdout ?? 0;
  const customers: SimulatedCustomer[] = [];
  for (let i = 0; i < n; i++) {
    let T = options.observedT ? options.observedT[i % options.observedT.length] : options.minT + (options.maxT - options.minT) * random();
    if (options.dayResolution) T = Math.round(T * 7) / 7;
    const lambda = gammaDraw(random, bgnbd.r, bgnbd.alpha);
    const dropout = betaDraw(random, bgnbd.a, bgnbd.b);
    const nu = gammaDraw(random, spend.q, spend.v);
    let t = 0;
    let x = 0;
    let tx = 0;
    let later = 0;
    let total = 0;
    const droppedAtStart = options.dropoutAtFirstPurchase === true && random() < dropout;
    while (!droppedAtStart) {
      t += -Math.log(random()) / lambda;
      if (t > T + holdout) break;
      if (t <= T) {
        x++;
        tx = t;
        total += gammaDraw(random, spend.p, nu);
      } else later++;
      if (random() < dropout) break;
    }
    if (options.dayResolution) tx = Math.min(Math.round(tx * 7) / 7, T);
    customers.push({ x, tx, T, m: x > 0 ? total / x : 0, holdout: later });
  }
  return customers;
}
