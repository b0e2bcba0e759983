/**
 * The BG/NBD model of Fader, Hardie & Lee ("Counting your customers the easy way", Marketing
 * Science 24(2), 2005): while alive a customer buys as a Poisson process with rate λ ~
 * Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b). From each
 * customer's (x, t_x, T) — repeat purchases, time of the last, age — it gives the
 * log-likelihood and its gradient, the maximum-likelihood fit, P(alive) and the expected
 * number of purchases in a horizon. Pure numbers in and out; the row rules are in
 * predictedValue.ts.
 */
import { minimise } from "./optimise.ts";
import { digamma, hypergeometric2F1Minus1, logBeta, logGamma } from "./specialFunctions.ts";

/** The four BG/NBD parameters, all > 0; α is in the data's time unit. */
export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * Customers for a fit: rows with the same (x, t_x, T) are merged with a weight, and the
 * distinct frequencies are listed once, so the log-gamma terms are computed per frequency
 * and not per customer.
 */
export interface PurchaseHistories {
  readonly x: Float64Array;
  readonly recency: Float64Array;
  readonly age: Float64Array;
  readonly weight: Float64Array;
  /** Index into `frequencies` of each row's x. */
  readonly frequencyIndex: Uint32Array;
  readonly frequencies: Float64Array;
  /** Σ weight, Σ weight·x and the mean age (the time scale of the fit). */
  readonly customers: number;
  readonly purchases: number;
  readonly meanAge: number;
}

/** Merges customers into `PurchaseHistories`, e.g. `purchaseHistories([2, 0], [30.43, 0], [38.86, 38.86])`. */
export function purchaseHistories(
  x: ArrayLike<number>,
  recency: ArrayLike<number>,
  age: ArrayLike<number>,
): PurchaseHistories {
  const n = x.length;
  // Sorting by (x, T, t_x) puts equal histories side by side (numbers, no string keys).
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (i, j) =>
      (x[i] as number) - (x[j] as number) ||
      (age[i] as number) - (age[j] as number) ||
      (recency[i] as number) - (recency[j] as number),
  );
  const xs = new Float64Array(n);
  const ts = new Float64Array(n);
  const ages = new Float64Array(n);
  const weights = new Float64Array(n);
  const frequencyIndex = new Uint32Array(n);
  const frequencies: number[] = [];
  let rows = 0;
  let purchases = 0;
  let totalAge = 0;
  for (const i of order) {
    const xi = x[i] as number;
    const ti = recency[i] as number;
    const ai = age[i] as number;
    purchases += xi;
    totalAge += ai;
    const last = rows - 1;
    if (rows > 0 && xs[last] === xi && ages[last] === ai && ts[last] === ti) {
      weights[last] = (weights[last] as number) + 1;
      continue;
    }
    if (frequencies.at(-1) !== xi) frequencies.push(xi);
    xs[rows] = xi;
    ts[rows] = ti;
    ages[rows] = ai;
    weights[rows] = 1;
    frequencyIndex[rows] = frequencies.length - 1;
    rows++;
  }
  return {
    x: xs.subarray(0, rows),
    recency: ts.subarray(0, rows),
    age: ages.subarray(0, rows),
    weight: weights.subarray(0, rows),
    frequencyIndex: frequencyIndex.subarray(0, rows),
    frequencies: Float64Array.from(frequencies),
    customers: n,
    purchases,
    meanAge: n > 0 ? totalAge / n : 1,
  };
}

/**
 * The log-likelihood of the histories at `params`; with `gradient` (length 4) also its
 * partial derivatives in (r, α, a, b). Per customer (FHL 2005, eq. 6, in logs):
 * ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b) − (r+x) ln(α+T)
 * + ln(1 + [x > 0] a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
 */
export function bgnbdLogLikelihood(
  h: PurchaseHistories,
  params: BgNbdParams,
  gradient?: Float64Array,
): number {
  const { r, alpha, a, b } = params;
  const m = h.frequencies.length;
  // Per frequency: the log-gamma terms and their derivatives.
  const constant = new Float64Array(m);
  const dR = new Float64Array(m);
  const dA = new Float64Array(m);
  const dB = new Float64Array(m);
  const logOdds = new Float64Array(m);
  const logGammaR = logGamma(r);
  const logGammaAB = logGamma(a + b);
  const logGammaB = logGamma(b);
  const digammaR = digamma(r);
  const digammaAB = digamma(a + b);
  const digammaB = digamma(b);
  const logA = Math.log(a);
  for (let k = 0; k < m; k++) {
    const x = h.frequencies[k] as number;
    constant[k] =
      logGamma(r + x) - logGammaR + logGammaAB + logGamma(b + x) - logGammaB - logGamma(a + b + x);
    if (gradient) {
      dR[k] = digamma(r + x) - digammaR;
      dA[k] = digammaAB - digamma(a + b + x);
      dB[k] = (dA[k] as number) + digamma(b + x) - digammaB;
    }
    logOdds[k] = x > 0 ? logA - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
  }
  const logAlpha = Math.log(alpha);
  let sum = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  const n = h.x.length;
  for (let i = 0; i < n; i++) {
    const k = h.frequencyIndex[i] as number;
    const x = h.x[i] as number;
    const w = h.weight[i] as number;
    const rx = r + x;
    const logAgeTerm = Math.log(alpha + (h.age[i] as number));
    let ll = (constant[k] as number) + r * logAlpha - rx * logAgeTerm;
    // d = ln of the odds that the customer has dropped out (−∞ when x = 0).
    let dropped = 0;
    let logRecencyTerm = logAgeTerm;
    if (x > 0) {
      logRecencyTerm = Math.log(alpha + (h.recency[i] as number));
      const d = (logOdds[k] as number) + rx * (logAgeTerm - logRecencyTerm);
      ll += softplus(d);
      dropped = 1 / (1 + Math.exp(-d));
    }
    sum += w * ll;
    if (gradient) {
      const alive = 1 - dropped;
      gR +=
        w * ((dR[k] as number) + logAlpha - logAgeTerm + dropped * (logAgeTerm - logRecencyTerm));
      gAlpha +=
        w *
        (r / alpha -
          rx *
            (alive / (alpha + (h.age[i] as number)) +
              dropped / (alpha + (h.recency[i] as number))));
      if (x > 0) {
        gA += w * ((dA[k] as number) + dropped / a);
        gB += w * ((dB[k] as number) - dropped / (b + x - 1));
      }
    }
  }
  if (gradient) {
    gradient[0] = gR;
    gradient[1] = gAlpha;
    gradient[2] = gA;
    gradient[3] = gB;
  }
  return sum;
}

/** ln(1 + e^d) without overflow. */
function softplus(d: number): number {
  return d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d));
}

/** A fit's result: the parameters at the maximum, or why there is none. */
export type Fit<P> =
  | {
      readonly params: P;
      readonly logLikelihood: number;
      readonly iterations: number;
    }
  | { readonly failure: "notFinite" | "tooManyIterations" | "unbounded" | "lineSearch" };

/**
 * The maximum-likelihood BG/NBD parameters, by BFGS on the log-parameters. Time is divided by
 * the mean age first, so α starts near its optimum whether the data is in days or weeks.
 */
export function fitBgNbd(h: PurchaseHistories): Fit<BgNbdParams> {
  const scale = h.meanAge > 0 ? h.meanAge : 1;
  const scaled: PurchaseHistories = {
    ...h,
    recency: h.recency.map((t) => t / scale),
    age: h.age.map((t) => t / scale),
  };
  const perCustomer = 1 / h.customers;
  const gradient = new Float64Array(4);
  const objective = (theta: Float64Array, g: Float64Array): number => {
    const params = paramsOf(theta);
    const ll = bgnbdLogLikelihood(scaled, params, gradient);
    // Minimise the mean negative log-likelihood; d/dθ = p · d/dp on the log scale.
    g[0] = -(gradient[0] as number) * params.r * perCustomer;
    g[1] = -(gradient[1] as number) * params.alpha * perCustomer;
    g[2] = -(gradient[2] as number) * params.a * perCustomer;
    g[3] = -(gradient[3] as number) * params.b * perCustomer;
    return -ll * perCustomer;
  };
  const result = minimise(objective, [0, 0, 0, 0]);
  if (result.failure) return { failure: result.failure };
  const fitted = paramsOf(result.x);
  const params = { ...fitted, alpha: fitted.alpha * scale };
  // Back to the data's time unit: each purchase's density gains a factor 1/scale.
  const logLikelihood = -result.value * h.customers - h.purchases * Math.log(scale);
  return { params, logLikelihood, iterations: result.iterations };
}

function paramsOf(theta: Float64Array): BgNbdParams {
  return {
    r: Math.exp(theta[0] as number),
    alpha: Math.exp(theta[1] as number),
    a: Math.exp(theta[2] as number),
    b: Math.exp(theta[3] as number),
  };
}

/**
 * ln of the odds that a customer with x repeat purchases, the last at t_x, age T, has
 * dropped out: ln(a/(b+x−1)) + (r+x) ln((α+T)/(α+t_x)); −∞ when x = 0.
 */
function logOddsDropped(p: BgNbdParams, x: number, recency: number, age: number): number {
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return (
    Math.log(p.a) -
    Math.log(p.b + x - 1) +
    (p.r + x) * Math.log1p((age - recency) / (p.alpha + recency))
  );
}

/** P(alive | x, t_x, T) (FHL 2005 eq. 11); exactly 1 when x = 0, e.g. `probabilityAlive(p, 2, 30.43, 38.86)`. */
export function probabilityAlive(p: BgNbdParams, x: number, recency: number, age: number): number {
  return 1 / (1 + Math.exp(logOddsDropped(p, x, recency, age)));
}

/** The largest z = t/(α+T+t) for which the series is summed (about 40,000 terms). */
const SERIES_UP_TO = 0.999;

/**
 * E[purchases in (T, T + t] | x, t_x, T] (FHL 2005 eq. 10). Written with Euler's transformation
 * 2F1(r+x, b+x; c; z) = (1−z)^(a−1−r−x) 2F1(a+b−1−r, a−1; c; z), c = a+b+x−1, whose upper
 * parameters do not grow with x, so the series is short even for thousands of purchases:
 * (c/(a−1)) (1 − (1−z)^(a−1) 2F1(a+b−1−r, a−1; c; z)) P(alive), z = t/(α+T+t).
 * Past z = 0.999 (a horizon over ~1,000 × (α + T)), where the series would need more than
 * 40,000 terms, the same expectation is integrated over p instead
 * (`expectedPurchasesOverDropout`). NaN when a = 1 (0/0).
 */
export function expectedPurchases(
  p: BgNbdParams,
  horizon: number,
  x: number,
  recency: number,
  age: number,
): number {
  if (horizon === 0) return 0;
  const c = p.a + p.b + x - 1;
  const z = horizon / (p.alpha + age + horizon);
  if (p.a === 1) return Number.NaN;
  // The series needs about 40/(1 − z) terms: past z = 0.999 the integral is cheaper.
  if (z > SERIES_UP_TO) return expectedPurchasesOverDropout(p, horizon, x, recency, age);
  const tail = hypergeometric2F1Minus1(p.a + p.b - 1 - p.r, p.a - 1, c, z);
  if (Number.isNaN(tail)) return expectedPurchasesOverDropout(p, horizon, x, recency, age);
  // 1 − e^u (1 + tail) with u = (a−1) ln(1−z), keeping the digits when the horizon is short.
  const u = (p.a - 1) * Math.log1p(-z);
  const notBought = -Math.expm1(u) - Math.exp(u) * tail;
  return (c / (p.a - 1)) * notBought * probabilityAlive(p, x, recency, age);
}

// Tanh-sinh quadrature on (0, 1): step and half-width in u. Wide enough for p down to
// e^−4000, which a small a (mass spread over many orders of magnitude of p) needs.
const QUADRATURE_STEP = 1 / 32;
const QUADRATURE_HALF_WIDTH = 8;

/**
 * E[purchases in (T, T + t]] as an integral over the drop-out probability p: alive at T, λ
 * ~ Gamma(r + x, α + T) and p ~ Beta(a, b + x) after the data, and a customer with rate λ
 * and drop-out p buys (1 − e^(−λ p t))/p in t; integrating λ out leaves
 * P(alive) ∫ (1 − ((α+T)/(α+T+p t))^(r+x)) / p Beta(p; a, b+x) dp.
 * Tanh-sinh quadrature in logs copes with the p^(a−1) singularity; any horizon works.
 */
export function expectedPurchasesOverDropout(
  params: BgNbdParams,
  horizon: number,
  x: number,
  recency: number,
  age: number,
): number {
  const { r, alpha, a, b } = params;
  const rx = r + x;
  const rate = horizon / (alpha + age);
  const logRate = Math.log(rate);
  const logNorm = logBeta(a, b + x);
  let sum = 0;
  for (let u = -QUADRATURE_HALF_WIDTH; u <= QUADRATURE_HALF_WIDTH; u += QUADRATURE_STEP) {
    const s = Math.PI * Math.sinh(u);
    // p = 1/(1 + e^−s), 1 − p = 1/(1 + e^s), in logs so neither end underflows.
    const logP = -softplus(-s);
    const logQ = -softplus(s);
    const pt = Math.exp(logP + logRate);
    // ln(1 − (1 + p t/(α+T))^−(r+x)), linear in p t when p t is tiny.
    const logBought =
      pt < 1e-300 ? Math.log(rx) + logP + logRate : Math.log(-Math.expm1(-rx * Math.log1p(pt)));
    sum += Math.exp(
      Math.log(Math.PI * Math.cosh(u)) + (a - 1) * logP + (b + x) * logQ - logNorm + logBought,
    );
  }
  return sum * QUADRATURE_STEP * probabilityAlive(params, x, recency, age);
}
