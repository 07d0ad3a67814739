import { compareRatio, rawExtent, reduce } from './ratio.ts';
import type { Ratio, Split } from './types.ts';

/** Smallest and largest real feature value over the given splits (exact, reduced). */
export function valueRange(splits: readonly (Split | undefined)[]): { min: Ratio; max: Ratio } {
  let min: Ratio | undefined;
  let max: Ratio | undefined;
  for (const s of splits) {
    if (!s || s.raw.length === 0) continue;
    const e = rawExtent(s.raw);
    // scale is positive, so the extent maps in order
    const lo = reduce(e.min * s.scale.num, s.scale.den);
    const hi = reduce(e.max * s.scale.num, s.scale.den);
    if (!min || compareRatio(lo, min) < 0) min = lo;
    if (!max || compareRatio(hi, max) > 0) max = hi;
  }
  const zero = { num: 0n, den: 1n };
  return { min: min ?? zero, max: max ?? zero };
}
