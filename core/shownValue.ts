/**
 * The 15-significant-digit rule (formulas.md, "Conventions"): where a computed share or
 * score meets a cut-off or a band edge, it is compared as Excel shows it, rounded to 15
 * significant digits, so a score displayed as 80 grades as 80. Used by CRM.ABC (shares
 * against a_share / b_share) and every grading of a score against credit bands.
 */

/** Excel shows (and compares on) at most 15 significant digits. */
const SHOWN_DIGITS = 15;

// Rounding to 15 digits moves a number by at most 5e-15 of its size; a number farther
// than this from an edge compares the same rounded or not, which spares `toPrecision`
// (a string round trip) for all but the few values that sit on an edge.
const NEAR_EDGE = 1e-13;

/** `x` rounded to 15 significant digits, as Excel shows it: `79.99999999999999` → `80`. */
export function shownValue(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(SHOWN_DIGITS)) : x;
}

/**
 * `x` as Excel shows it compared with `edge`: negative below, 0 equal, positive above, NaN
 * when either is NaN (so both `< 0` and `>= 0` are false). The edge is taken as given (a
 * typed cut-off or band edge already has at most 15 digits).
 * E.g. `compareShown(79.99999999999999, 80) === 0`, `compareShown(0.79999999999999, 0.8) < 0`.
 */
export function compareShown(x: number, edge: number): number {
  const shown = Math.abs(x - edge) > NEAR_EDGE * Math.abs(x) ? x : shownValue(x);
  return shown < edge ? -1 : shown > edge ? 1 : shown === edge ? 0 : Number.NaN;
}
