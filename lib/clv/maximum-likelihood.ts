import { hessianFromGradient, invertSpd, standardErrorsFromLogHessian } from "./hessian.ts";
import { bfgs, minimize, type MinimizeResult, type ValueAndGradient } from "./optimizer.ts";

/** A maximum-likelihood fit of positive parameters. */
export interface MleFit<P extends Record<string, number>> {
  params: P;
  /** Standard errors on the natural scale (delta method from the log scale); NaN when the Hessian is singular. */
  stdErrors: P;
  logLikelihood: number;
  /** Customers (total weight) the fit used. */
  customers: number;
  /** Largest |∂(−LL/n)/∂ ln θ| at the optimum. */
  gradientNorm: number;
  converged: boolean;
  /** Passes over the data (value, or value and gradient). */
  evaluations: number;
  milliseconds: number;
}

/** A log-likelihood with its gradient on the natural scale, in the order of `names`. */
export type LogLikelihoodWithGradient<P> = (params: P) => { value: number; gradient: number[] };

const LOG_BOUND = 20;

/**
 * Passes over the full data allowed when refining the optimum of a coarse approximation: from there BFGS
 * needs a dozen; a fit that runs on (a ridge where parameters drift off without bound) stops here and is
 * reported as not converged, as it would be after a longer search.
 */
const REFINE_EVALUATIONS = 50;

/**
 * Maximise a log-likelihood over positive parameters. The optimiser works on φ = ln θ and on the mean
 * negative log-likelihood per customer (so tolerances do not depend on sample size): BFGS from every
 * start (Nelder–Mead first if none converges), then up to three Newton steps with the Hessian from
 * central differences of the gradient; that Hessian, times the number of customers, gives the standard errors.
 */
export function fitMle<P extends Record<string, number>>(
  names: (keyof P & string)[],
  logLik: LogLikelihoodWithGradient<P>,
  customers: number,
  starts: P[],
  options: { coarse?: LogLikelihoodWithGradient<P> } = {},
): MleFit<P> {
  const started = performance.now();
  let evaluations = 0;
  const toParams = (phi: number[]) => Object.fromEntries(names.map((k, i) => [k, Math.exp(phi[i])])) as P;
  const objectiveOf =
    (ll: LogLikelihoodWithGradient<P>): ValueAndGradient =>
    (phi) => {
      if (phi.some((v) => !(Math.abs(v) < LOG_BOUND))) return { value: Infinity, gradient: phi.map(() => NaN) };
      evaluations++;
      const theta = toParams(phi);
      const { value, gradient } = ll(theta);
      // d/dφ = θ·d/dθ (chain rule through θ = e^φ).
      return { value: -value / customers, gradient: gradient.map((g, i) => (-g * theta[names[i]]) / customers) };
    };
  const full = objectiveOf(logLik);
  // The Newton polish asks for the value and then the gradient at the same point: one pass serves both.
  let last: { phi: number[]; result: { value: number; gradient: number[] } } | undefined;
  const valueAndGradient: ValueAndGradient = (phi) => {
    if (last && last.phi.length === phi.length && last.phi.every((v, i) => v === phi[i])) return last.result;
    const result = full(phi);
    last = { phi: phi.slice(), result };
    return result;
  };
  const objective = (phi: number[]) => {
    const v = valueAndGradient(phi).value;
    return Number.isFinite(v) ? v : Infinity;
  };
  const gradientAt = (phi: number[]) => valueAndGradient(phi).gradient;
  const hessianAt = (phi: number[]) => hessianFromGradient(gradientAt, phi);

  let result: MinimizeResult | undefined;
  if (options.coarse) {
    // Search from every start on the cheap approximate likelihood; only its optimum is refined on the full
    // one, by BFGS starting from the approximation's curvature there, so a few passes over the data suffice.
    const coarse = objectiveOf(options.coarse);
    const rough = minimize(
      (phi) => coarse(phi).value,
      starts.map((s) => names.map((k) => Math.log(s[k]))),
      { gradient: coarse, gradientTolerance: 1e-6, maxEvaluations: 1000 },
    );
    const curvature = invertSpd(hessianFromGradient((phi) => coarse(phi).gradient, rough.x));
    const refined = bfgs(valueAndGradient, rough.x, {
      gradientTolerance: 1e-7,
      maxEvaluations: REFINE_EVALUATIONS,
      initialInverseHessian: curvature,
    });
    if (Number.isFinite(refined.fx)) result = refined;
    else starts = [toParams(rough.x)];
  }
  result ??= minimize(
    objective,
    starts.map((s) => names.map((k) => Math.log(s[k]))),
    { gradient: valueAndGradient, gradientTolerance: 1e-7, maxEvaluations: 1000 },
  );
  let phi = result.x;
  let fx = result.fx;
  // One Hessian at the BFGS optimum serves both the Newton polish (the optimum moves by ~1e-7, too little
  // to change it) and the standard errors.
  const H = hessianAt(phi);
  const inv = invertSpd(H);
  for (let step = 0; inv && step < 3; step++) {
    const g = gradientAt(phi);
    const next = phi.map((v, i) => v - inv[i].reduce((s, hij, j) => s + hij * g[j], 0));
    const fNext = objective(next);
    // Accept ties within rounding: near the optimum a Newton step cannot lower f measurably but still sharpens φ.
    if (!(fNext <= fx + 4 * Number.EPSILON * Math.abs(fx))) break;
    const moved = Math.max(...next.map((v, i) => Math.abs(v - phi[i])));
    phi = next;
    fx = fNext;
    if (moved < 1e-9) break;
  }
  const gradientNorm = Math.max(...gradientAt(phi).map(Math.abs));
  const se = standardErrorsFromLogHessian(phi, H.map((row) => row.map((v) => v * customers)));
  return {
    params: toParams(phi),
    stdErrors: Object.fromEntries(names.map((k, i) => [k, se[i]])) as P,
    logLikelihood: -fx * customers,
    customers,
    gradientNorm,
    converged: gradientNorm < 1e-6 && se.every(Number.isFinite),
    evaluations,
    milliseconds: performance.now() - started,
  };
}
