/** Symmetric Hessian from central differences of a gradient (step h·max(1, |xᵢ|)). */
export function hessianFromGradient(gradient: (x: number[]) => number[], x: number[], h = 1e-5): number[][] {
  const n = x.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const step = h * Math.max(1, Math.abs(x[i]));
    const up = x.slice();
    const down = x.slice();
    up[i] += step;
    down[i] -= step;
    const gu = gradient(up);
    const gd = gradient(down);
    for (let j = 0; j < n; j++) H[i][j] = (gu[j] - gd[j]) / (up[i] - down[i]);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (H[i][j] + H[j][i]);
      H[i][j] = v;
      H[j][i] = v;
    }
  }
  return H;
}

/** Cholesky factor L (A = L Lᵀ) of a symmetric matrix, or undefined when A is not positive definite. */
export function cholesky(A: number[][]): number[][] | undefined {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  return L;
}

/** Inverse of a symmetric positive-definite matrix via Cholesky; undefined when it is not positive definite. */
export function invertSpd(A: number[][]): number[][] | undefined {
  const L = cholesky(A);
  if (!L) return undefined;
  const n = A.length;
  const inv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let col = 0; col < n; col++) {
    // Solve L y = e_col, then Lᵀ x = y.
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
      y[i] = s / L[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= L[k][i] * inv[k][col];
      inv[i][col] = s / L[i][i];
    }
  }
  return inv;
}

/**
 * Standard errors of θ = exp(φ) from the Hessian of the negative log-likelihood in φ = ln θ:
 * Cov(φ) = H⁻¹, and by the delta method SE(θᵢ) = θᵢ·√Cov(φ)ᵢᵢ. NaN when H is not positive definite
 * (the optimum is on a ridge or the fit did not converge).
 */
export function standardErrorsFromLogHessian(logParams: number[], hessian: number[][]): number[] {
  const cov = invertSpd(hessian);
  if (!cov) return logParams.map(() => NaN);
  return logParams.map((phi, i) => Math.exp(phi) * Math.sqrt(cov[i][i]));
}
