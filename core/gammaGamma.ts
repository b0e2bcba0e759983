/**
 * The Gamma-Gamma spend model of Fader, Hardie & Lee ("RFM and CLV: using iso-value curves
 * for customer base analysis", Journal of Marketing Research 42(4), 2005; the note "The
 * Gamma-Gamma model of monetary value", 2013): each purchase's value ~ Gamma(p, ν), and
 * ν ~ Gamma(q, v) across customers. Fitted on repeat buyers (x > 0) from their mean repeat
 * spend m_x; gives the conditional expected spend of a purchase.
 */
import type { Fit } from "./bgnbd.ts";
import { minimise } from "./optimise.ts";
import { digamma, logGamma } from "./specialFunctions.ts";

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

/** Repeat buyers for a fit: x > 0 and the mean repeat spend m > 0 of each. */
export interface RepeatSpends {
  readonly x: Float64Array;
  readonly meanSpend: Float64Array;
}

/**
 * The log-likelihood of the mean spends (the density of m_x, FHL 2013 eq. 3, in logs):
 * ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(xm+v);
 * with `gradient` (length 3) also its partial derivatives in (p, q, v).
 */
export function gammaGammaLogLikelihood(
  data: RepeatSpends,
  params: GammaGammaParams,
  gradient?: Float64Array,
): number {
  const { p, q, v } = params;
  const logGammaQ = logGamma(q);
  const digammaQ = digamma(q);
  const logV = Math.log(v);
  let sum = 0;
  let gP = 0;
  let gQ = 0;
  let gV = 0;
  for (let i = 0; i < data.x.length; i++) {
    const x = data.x[i] as number;
    const m = data.meanSpend[i] as number;
    const px = p * x;
    const logX = Math.log(x);
    const logM = Math.log(m);
    const logTotal = Math.log(x * m + v);
    sum +=
      logGamma(px + q) -
      logGamma(px) -
      logGammaQ +
      q * logV +
      (px - 1) * logM +
      px * logX -
      (px + q) * logTotal;
    if (gradient) {
      const digammaPxQ = digamma(px + q);
      gP += x * (digammaPxQ - digamma(px) + logM + logX - logTotal);
      gQ += digammaPxQ - digammaQ + logV - logTotal;
      gV += q / v - (px + q) / (x * m + v);
    }
  }
  if (gradient) {
    gradient[0] = gP;
    gradient[1] = gQ;
    gradient[2] = gV;
  }
  return sum;
}

/**
 * The maximum-likelihood Gamma-Gamma parameters, by BFGS on the log-parameters. Spends are
 * divided by their mean first, so v starts near its optimum in any currency.
 */
export function fitGammaGamma(data: RepeatSpends): Fit<GammaGammaParams> {
  const n = data.x.length;
  let total = 0;
  for (const m of data.meanSpend) total += m;
  const scale = total > 0 ? total / n : 1;
  const scaled: RepeatSpends = { x: data.x, meanSpend: data.meanSpend.map((m) => m / scale) };
  const gradient = new Float64Array(3);
  const objective = (theta: Float64Array, g: Float64Array): number => {
    const params = paramsOf(theta);
    const ll = gammaGammaLogLikelihood(scaled, params, gradient);
    g[0] = (-(gradient[0] as number) * params.p) / n;
    g[1] = (-(gradient[1] as number) * params.q) / n;
    g[2] = (-(gradient[2] as number) * params.v) / n;
    return -ll / n;
  };
  const result = minimise(objective, [0, 0, 0]);
  if (result.failure) return { failure: result.failure };
  const fitted = paramsOf(result.x);
  // Each customer's density of m gains a factor 1/scale back in the data's currency.
  return {
    params: { ...fitted, v: fitted.v * scale },
    logLikelihood: -result.value * n - n * Math.log(scale),
    iterations: result.iterations,
  };
}

function paramsOf(theta: Float64Array): GammaGammaParams {
  return {
    p: Math.exp(theta[0] as number),
    q: Math.exp(theta[1] as number),
    v: Math.exp(theta[2] as number),
  };
}

/**
 * E[spend of a purchase | x, m_x] = (v + x m) p / (px + q − 1) (FHL 2013 eq. 5); the
 * population mean p v / (q − 1) when x = 0. Needs q > 1, e.g. `expectedSpend(p, 2, 22.35)`.
 */
export function expectedSpend(params: GammaGammaParams, x: number, meanSpend: number): number {
  const { p, q, v } = params;
  if (x === 0) return (p * v) / (q - 1);
  return ((v + x * meanSpend) * p) / (p * x + q - 1);
}
