/**
 * A small, robust minimiser for smooth functions of a few variables: BFGS (Nocedal & Wright,
 * "Numerical Optimization", algorithm 6.1) with a backtracking line search that keeps the
 * Armijo condition, and skips the update when the curvature condition fails. The models fit
 * log-parameters with it, so every point it tries is a valid model.
 */

/** The value of the function at `x`; writes its gradient into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimiseOptions {
  /** Stop when every gradient component is at most this in absolute value. */
  readonly gradientTolerance?: number;
  readonly maxIterations?: number;
  /** Function evaluations at most (line searches included), so a hopeless fit ends soon. */
  readonly maxEvaluations?: number;
  /** No coordinate may step more than this in one iteration (keeps exp(x) finite). */
  readonly maxStep?: number;
  /**
   * A coordinate outside [−bound, bound] (where the gradient of a runaway parameter has faded
   * below the tolerance) means the optimum is at 0 or infinity: "unbounded", not a minimum.
   */
  readonly bound?: number;
}

export interface Minimum {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  /** Why it stopped when it did not converge; null when it did. */
  readonly failure: null | "notFinite" | "tooManyIterations" | "unbounded" | "lineSearch";
}

/** The largest quasi-Newton step (in log-parameters) that counts as converged. */
const STEP_TOLERANCE = 1e-5;

/** Minimises `f` from `start`, e.g. `minimise((x, g) => { g[0] = 2 * x[0]; return x[0] ** 2; }, [3])`. */
export function minimise(
  f: Objective,
  start: readonly number[],
  options: MinimiseOptions = {},
): Minimum {
  const tolerance = options.gradientTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 500;
  const maxEvaluations = options.maxEvaluations ?? 1000;
  let evaluations = 1;
  const maxStep = options.maxStep ?? 4;
  const bound = options.bound ?? 15;
  const n = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const h = identity(n);
  const direction = new Float64Array(n);
  let trial = new Float64Array(n);
  let trialGradient = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const done = (iterations: number, failure: Minimum["failure"]): Minimum => ({
    x,
    value: fx,
    iterations,
    failure: failure === null && maxAbs(x) > bound ? "unbounded" : failure,
  });
  if (!Number.isFinite(fx) || !allFinite(g)) return done(0, "notFinite");
  let firstUpdate = true;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    multiply(h, g, direction);
    // A minimum has a small gradient and a small quasi-Newton step; along a runaway direction
    // the gradient fades too, but the step (curvature ~ 0) does not.
    if (maxAbs(g) <= tolerance && maxAbs(direction) <= STEP_TOLERANCE)
      return done(iteration - 1, null);
    let slope = 0;
    for (let i = 0; i < n; i++) {
      direction[i] = -(direction[i] as number);
      slope += (direction[i] as number) * (g[i] as number);
    }
    if (!(slope < 0)) {
      // Not a descent direction (round-off in H): restart from steepest descent.
      resetToIdentity(h);
      for (let i = 0; i < n; i++) direction[i] = -(g[i] as number);
      slope = -dot(g, g);
    }
    let step = Math.min(1, maxStep / maxAbs(direction));
    let ft = Number.NaN;
    let accepted = false;
    for (let tries = 0; tries < 60; tries++) {
      if (evaluations >= maxEvaluations) return done(iteration, "tooManyIterations");
      for (let i = 0; i < n; i++) trial[i] = (x[i] as number) + step * (direction[i] as number);
      ft = f(trial, trialGradient);
      evaluations++;
      if (Number.isFinite(ft) && allFinite(trialGradient) && ft <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // No decrease even for tiny steps: at the optimum to round-off, or a broken function.
      return done(iteration, maxAbs(g) <= tolerance * 1e3 ? null : "lineSearch");
    }
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = (trial[i] as number) - (x[i] as number);
      y[i] = (trialGradient[i] as number) - (g[i] as number);
      sy += (s[i] as number) * (y[i] as number);
    }
    [x, trial] = [trial, x];
    [g, trialGradient] = [trialGradient, g];
    const improvement = fx - ft;
    fx = ft;
    if (maxAbs(x) > bound) return done(iteration, "unbounded");
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (firstUpdate) {
        // Scale the first inverse Hessian to the curvature just seen (Nocedal & Wright 6.20).
        scale(h, sy / dot(y, y));
        firstUpdate = false;
      }
      updateInverseHessian(h, s, y, sy);
    }
    if (improvement === 0 && maxAbs(g) <= tolerance * 1e3) return done(iteration, null);
  }
  return done(maxIterations, "tooManyIterations");
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / (yᵀ s). */
function updateInverseHessian(
  h: Float64Array[],
  s: Float64Array,
  y: Float64Array,
  sy: number,
): void {
  const n = s.length;
  const rho = 1 / sy;
  const hy = new Float64Array(n);
  multiply(h, y, hy);
  const yhy = dot(y, hy);
  for (let i = 0; i < n; i++) {
    const row = h[i] as Float64Array;
    for (let j = 0; j < n; j++) {
      const si = s[i] as number;
      const sj = s[j] as number;
      row[j] =
        (row[j] as number) -
        rho * ((hy[i] as number) * sj + si * (hy[j] as number)) +
        (rho * rho * yhy + rho) * si * sj;
    }
  }
}

function identity(n: number): Float64Array[] {
  const h = Array.from({ length: n }, () => new Float64Array(n));
  resetToIdentity(h);
  return h;
}

function resetToIdentity(h: Float64Array[]): void {
  h.forEach((row, i) => {
    row.fill(0);
    row[i] = 1;
  });
}

function scale(h: Float64Array[], factor: number): void {
  for (const row of h) for (let j = 0; j < row.length; j++) row[j] = (row[j] as number) * factor;
}

function multiply(h: Float64Array[], v: Float64Array, out: Float64Array): void {
  h.forEach((row, i) => {
    out[i] = dot(row, v);
  });
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function maxAbs(v: Float64Array): number {
  let max = 0;
  for (const value of v) max = Math.max(max, Math.abs(value));
  return max;
}

function allFinite(v: Float64Array): boolean {
  for (const value of v) if (!Number.isFinite(value)) return false;
  return true;
}
