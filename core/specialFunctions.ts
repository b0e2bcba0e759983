/**
 * The special functions the customer-base models need, accurate to about 1e-15 relative over
 * the ranges real data gives (arguments from 1e-8 to 1e8): log-gamma, digamma and the Gauss
 * hypergeometric series. Log forms everywhere, so a frequency in the thousands never overflows.
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// Below this, shift the argument up with the recurrence before using the asymptotic series.
const ASYMPTOTIC_FROM = 10;

/** ln Γ(x) for x > 0 (Stirling's series after shifting x to >= 10), e.g. `logGamma(5)` = ln 24. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  if (x < ASYMPTOTIC_FROM) {
    // ln Γ(x) = ln Γ(x + n) − ln(x (x + 1) … (x + n − 1)); the product stays far from overflow.
    let product = 1;
    while (x < ASYMPTOTIC_FROM) {
      product *= x;
      x += 1;
    }
    shift = Math.log(product);
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Bernoulli terms B2k / (2k (2k − 1) x^(2k−1)), k = 1..7: error below 1e-17 for x >= 10.
  const series =
    inv *
    (1 / 12 +
      inv2 *
        (-1 / 360 +
          inv2 *
            (1 / 1260 +
              inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 / 156))))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series - shift;
}

/** ψ(x) = d/dx ln Γ(x) for x > 0, e.g. `digamma(1)` = −0.5772156649015329 (−γ). */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  while (x < ASYMPTOTIC_FROM) {
    shift += 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv2 *
    (1 / 12 -
      inv2 *
        (1 / 120 -
          inv2 *
            (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
  return Math.log(x) - 0.5 * inv - series - shift;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** The most terms the hypergeometric series may take: enough for z up to about 0.9995. */
export const MAX_SERIES_TERMS = 100_000;

/**
 * 2F1(a, b; c; z) − 1, the Gauss hypergeometric series without its leading 1 (so a caller
 * that subtracts 1 keeps every digit), for 0 <= z < 1 and c not 0, −1, −2, … NaN when the
 * series has not converged within `MAX_SERIES_TERMS` terms (z too close to 1 for the parameters).
 */
export function hypergeometric2F1Minus1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1) || (c <= 0 && Number.isInteger(c))) return Number.NaN;
  let term = 1;
  let sum = 0;
  for (let k = 0; k < MAX_SERIES_TERMS; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    // Once a + k, b + k and c + k have all passed 0 the terms keep one sign and only shrink.
    if (Math.abs(term) <= 1e-17 * Math.abs(1 + sum) && (k + Math.min(a, b, c) > 0 || term === 0))
      return sum;
  }
  return Number.NaN;
}

/** The Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1, by its series. */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  return 1 + hypergeometric2F1Minus1(a, b, c, z);
}
