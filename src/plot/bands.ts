/**
 * Confidence bands for the mean of repeated runs, the study's `seaborn.tsplot(ci=[68, 95])`:
 * at each step the repeats' values give a mean and a normal-approximation interval for it,
 *   mean ± z · s / √n,   s the sample standard deviation (n − 1 in the denominator),
 * with z = Φ⁻¹(0.84) ≈ 0.9945 for the 68% band and z = Φ⁻¹(0.975) ≈ 1.9600 for the 95% band.
 * (tsplot bootstrapped the same interval; the normal approximation needs no random resampling,
 * so the pictures are deterministic.) With one repeat s is taken as 0 and both bands collapse
 * onto the mean.
 */

/** Φ⁻¹(0.84): the two-sided 68% normal quantile. */
export const Z68 = 0.994457883209753;
/** Φ⁻¹(0.975): the two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export interface Band {
  /** Number of values (repeats). */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  std: number;
  /** Standard error of the mean, std / √n. */
  se: number;
  lo68: number;
  hi68: number;
  lo95: number;
  hi95: number;
}

/** Mean, sample std and the 68% / 95% bands of the mean of `values` (finite numbers, at least one). */
export function bandStats(values: readonly number[]): Band {
  const n = values.length;
  if (n === 0) throw new RangeError('bandStats: no values');
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`bandStats: ${v} is not a finite number`);
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // rounding may put sum / n a hair outside [min, max] (three times 0.1): keep it inside
  const mean = Math.min(max, Math.max(min, sum / n));
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const se = std / Math.sqrt(n);
  return { n, mean, std, se, lo68: mean - Z68 * se, hi68: mean + Z68 * se, lo95: mean - Z95 * se, hi95: mean + Z95 * se };
}
