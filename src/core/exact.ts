import type { Format } from './format.ts';

/**
 * Range analysis for the fast kernels. A fast kernel computes on float64 numbers, so it may
 * run only when every intermediate is an integer of magnitude <= 2^53 (all such are exact).
 * Every bound here is a power-of-two exponent: a value fits in e bits when |v| <= 2^e.
 */
export const FAST_BITS = 53;
export const FAST_LIMIT = 2 ** FAST_BITS;

/** Smallest e with |v| <= 2^e for every raw value of f. */
export const magnitudeBits = (f: Format): number => (f.signed ? f.width - 1 : f.width);

/** Can raw values of this format be held exactly in a number? */
export const fitsFast = (f: Format): boolean => magnitudeBits(f) <= FAST_BITS;

/** Bits of ceil(log2(n)) for a fan-in n >= 1: the growth of a sum of n terms. */
export const sumGrowthBits = (n: number): number => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));

/**
 * A cast from `from` to `to` is fast-safe when the input fits and the aligned intermediate
 * does too: a left shift by s (to.frac > from.frac) grows magnitudes by s bits.
 */
export function castFitsFast(from: Format, to: Format): boolean {
  const shift = from.frac - to.frac;
  const grow = Math.max(0, -shift);
  // 2^shift must stay a finite double for the division in quantizeFast
  return Math.abs(shift) <= 1000 && magnitudeBits(from) + grow <= FAST_BITS && magnitudeBits(to) <= FAST_BITS;
}

/** Max magnitude exponent of the values in an array of exact integers (-Infinity when all zero). */
export function observedBits(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const a = Math.abs(xs[i]);
    if (a > m) m = a;
  }
  return m === 0 ? -Infinity : Math.log2(m);
}
