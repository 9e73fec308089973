/**
 * Unconstrained minimisation for small, smooth problems (3–4 log-parameters): Nelder–Mead to get into
 * the basin from rough starts, then BFGS with central-difference gradients to converge tightly.
 * Objectives may return Infinity (or NaN) outside their domain; both methods treat that as "worse".
 */
export type Objective = (x: number[]) => number;

export interface MinimizeResult {
  x: number[];
  fx: number;
  /** Objective evaluations, gradients included. */
  evaluations: number;
  /** Largest absolute gradient component at x (central differences). */
  gradientNorm: number;
  converged: boolean;
}

export interface MinimizeOptions {
  /** Stop BFGS when every gradient component is below this. Default 1e-8. */
  gradientTolerance?: number;
  maxEvaluations?: number;
  /**
   * BFGS: the inverse Hessian to start from (e.g. that of a nearby approximation of the objective),
   * instead of the identity scaled on the first step.
   */
  initialInverseHessian?: number[][];
}

const safe = (f: Objective) => (x: number[]) => {
  const v = f(x);
  return Number.isFinite(v) ? v : Infinity;
};

/** Nelder–Mead with the dimension-adaptive coefficients of Gao & Han (2012). */
export function nelderMead(f: Objective, start: number[], options: { step?: number; maxEvaluations?: number; tolerance?: number } = {}): MinimizeResult {
  const fn = safe(f);
  const n = start.length;
  const step = options.step ?? 0.5;
  const maxEvaluations = options.maxEvaluations ?? 2000;
  // Nelder–Mead only has to reach the basin; BFGS converges the rest far faster.
  const tolerance = options.tolerance ?? 1e-9;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    return fn(x);
  };
  let simplex = [start.slice()];
  for (let i = 0; i < n; i++) {
    const v = start.slice();
    v[i] += step;
    simplex.push(v);
  }
  let values = simplex.map(evaluate);
  while (evaluations < maxEvaluations) {
    const order = values.map((v, i) => i).sort((i, j) => values[i] - values[j]);
    simplex = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    const best = values[0];
    const worst = values[n];
    const spread = Math.abs(worst - best);
    let diameter = 0;
    for (let i = 1; i <= n; i++) for (let k = 0; k < n; k++) diameter = Math.max(diameter, Math.abs(simplex[i][k] - simplex[0][k]));
    if (Number.isFinite(worst) && spread <= tolerance * (Math.abs(best) + 1e-12) && diameter < 1e-3) break;
    const centroid = new Array(n).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k] += simplex[i][k] / n;
    const along = (t: number) => centroid.map((c, k) => c + t * (simplex[n][k] - c));
    const reflected = along(-alpha);
    const fr = evaluate(reflected);
    if (fr < values[0]) {
      const expanded = along(-alpha * beta);
      const fe = evaluate(expanded);
      if (fe < fr) [simplex[n], values[n]] = [expanded, fe];
      else [simplex[n], values[n]] = [reflected, fr];
      continue;
    }
    if (fr < values[n - 1]) {
      [simplex[n], values[n]] = [reflected, fr];
      continue;
    }
    const outside = fr < values[n];
    const contracted = along(outside ? -alpha * gamma : gamma);
    const fc = evaluate(contracted);
    if (fc < (outside ? fr : values[n])) {
      [simplex[n], values[n]] = [contracted, fc];
      continue;
    }
    for (let i = 1; i <= n; i++) {
      simplex[i] = simplex[i].map((v, k) => simplex[0][k] + delta * (v - simplex[0][k]));
      values[i] = evaluate(simplex[i]);
    }
  }
  const i = values.indexOf(Math.min(...values));
  return { x: simplex[i], fx: values[i], evaluations, gradientNorm: NaN, converged: evaluations < maxEvaluations };
}

/** Central-difference gradient with a step scaled to each coordinate. */
export function numericalGradient(f: Objective, x: number[], h = 1e-5): number[] {
  return x.map((xi, i) => {
    const step = h * Math.max(1, Math.abs(xi));
    const up = x.slice();
    const down = x.slice();
    up[i] = xi + step;
    down[i] = xi - step;
    return (f(up) - f(down)) / (up[i] - down[i]);
  });
}

const dot = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i], 0);
const maxAbs = (v: number[]) => v.reduce((m, vi) => Math.max(m, Math.abs(vi)), 0);

/** An objective that returns its value and gradient together (one pass over the data). */
export type ValueAndGradient = (x: number[]) => { value: number; gradient: number[] };

/** Wrap a plain objective with central-difference gradients. */
export function withNumericalGradient(f: Objective): ValueAndGradient {
  return (x) => ({ value: f(x), gradient: numericalGradient(f, x) });
}

/**
 * BFGS on the inverse Hessian with a backtracking (Armijo) line search. Each step evaluates value and
 * gradient together, so an analytic gradient makes an iteration cost one pass over the data.
 */
export function bfgs(fg: ValueAndGradient, start: number[], options: MinimizeOptions = {}): MinimizeResult {
  const n = start.length;
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const maxEvaluations = options.maxEvaluations ?? 5_000;
  let evaluations = 0;
  const evaluate = (x: number[]) => {
    evaluations++;
    const r = fg(x);
    const ok = Number.isFinite(r.value) && r.gradient.every(Number.isFinite);
    return ok ? r : { value: Infinity, gradient: r.gradient };
  };
  const identity = (): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let x = start.slice();
  let current = evaluate(x);
  if (!Number.isFinite(current.value)) return { x, fx: Infinity, evaluations, gradientNorm: NaN, converged: false };
  let fx = current.value;
  let g = current.gradient;
  let H = options.initialInverseHessian?.map((row) => row.slice()) ?? identity();
  let stalls = 0;
  let firstStep = options.initialInverseHessian === undefined;
  while (evaluations < maxEvaluations) {
    if (maxAbs(g) < gradientTolerance) return { x, fx, evaluations, gradientNorm: maxAbs(g), converged: true };
    let d = H.map((row) => -dot(row, g));
    let slope = dot(g, d);
    if (!(slope < 0)) {
      H = identity();
      d = g.map((gi) => -gi);
      slope = dot(g, d);
    }
    // Keep trial steps modest in log-parameter space: one unit is a factor of e.
    let t = Math.min(1, 1 / Math.max(maxAbs(d), 1e-300));
    let next = x;
    let trial = current;
    let halvings = 0;
    // 30 halvings shrink the step by 1e-9; below that, differences are lost in rounding anyway.
    for (; halvings < 30; halvings++) {
      next = x.map((xi, i) => xi + t * d[i]);
      trial = evaluate(next);
      if (trial.value <= fx + 1e-4 * t * slope) break;
      t *= 0.5;
    }
    if (!(trial.value <= fx)) {
      // No descent along d even for tiny steps: rounding dominates; we are at the optimum's resolution.
      if (stalls++ > 0) break;
      H = identity();
      continue;
    }
    const s = next.map((v, i) => v - x[i]);
    const y = trial.gradient.map((v, i) => v - g[i]);
    const sy = dot(s, y);
    const improvement = fx - trial.value;
    if (firstStep && sy > 0) {
      // Scale the initial inverse Hessian to the curvature seen on the first step (Nocedal & Wright 6.20).
      const scale = sy / dot(y, y);
      H = H.map((row) => row.map((v) => v * scale));
    }
    firstStep = false;
    x = next;
    current = trial;
    fx = trial.value;
    g = trial.gradient;
    if (sy > 1e-18) {
      const rho = 1 / sy;
      const Hy = H.map((row) => dot(row, y));
      const yHy = dot(y, Hy);
      H = H.map((row, i) => row.map((hij, j) => hij - rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j]));
    }
    // A step the line search had to shrink a million-fold and that moves x by less than 1e-9 lowered f by
    // rounding noise (e.g. far out on a ridge, where the objective is a difference of huge terms), not by
    // progress: it counts as a stall, like a step that does not lower f.
    const noise = halvings >= 20 && maxAbs(s) < 1e-9;
    if (improvement <= 1e-16 * Math.max(1, Math.abs(fx)) || noise) {
      if (stalls++ > 3) break;
    } else stalls = 0;
  }
  const gradientNorm = maxAbs(g);
  return { x, fx, evaluations, gradientNorm, converged: gradientNorm < gradientTolerance * 100 };
}

/**
 * Minimise from several starts: BFGS from each (with the analytic gradient when given); if none
 * converges, Nelder–Mead from each start first and BFGS again from the best simplex. The lowest
 * objective wins; deterministic for given starts.
 */
export function minimize(f: Objective, starts: number[][], options: MinimizeOptions & { gradient?: ValueAndGradient } = {}): MinimizeResult {
  const fg = options.gradient ?? withNumericalGradient(f);
  let evaluations = 0;
  let best: MinimizeResult | undefined;
  const consider = (r: MinimizeResult) => {
    evaluations += r.evaluations;
    if (Number.isFinite(r.fx) && (!best || r.fx < best.fx)) best = r;
  };
  for (const s of starts) consider(bfgs(fg, s, options));
  if (!best?.converged) {
    const rough = starts.map((s) => nelderMead(f, s));
    rough.forEach((r) => (evaluations += r.evaluations));
    const start = rough.filter((r) => Number.isFinite(r.fx)).sort((u, v) => u.fx - v.fx)[0];
    if (start) consider(bfgs(fg, start.x, options));
  }
  if (!best) throw new Error("optimizer: the objective is not finite at any start");
  return { ...best, evaluations };
}
