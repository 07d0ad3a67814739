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

/**
 * A cast from `from` to `to` is fast-safe when the input fits and the aligned intermediate
 * does too: a left shift by s (to.frac > from.frac) grows magnitudes by s bits. The target may
 * be wider than 2^53 when signed (a value within 2^53 is then always in range); an unsigned
 * target must fit, since wrapping a negative value adds 2^W.
 */
export function castFitsFast(from: Format, to: Format): boolean {
  const shift = from.frac - to.frac;
  const grow = Math.max(0, -shift);
  // 2^shift must stay a finite double for the division in quantizeFast
  return Math.abs(shift) <= 1000 && magnitudeBits(from) + grow <= FAST_BITS && (to.signed || magnitudeBits(to) <= FAST_BITS);
}

/**
 * Smallest integer e with |x| <= 2^e over an array of exact integers (-Infinity when all are
 * zero). Decided by exact power-of-two comparisons: Math.log2 alone rounds 2^52 + 1 down to 52.
 */
export function observedBits(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const a = Math.abs(xs[i]);
    if (a > m) m = a;
  }
  if (m === 0) return -Infinity;
  let e = Math.ceil(Math.log2(m));
  while (2 ** e < m) e++;
  while (2 ** (e - 1) >= m) e--;
  return e;
}

/** Number of bits of a non-negative exact integer v: the smallest e with v < 2^e. */
export function bitLength(v: number): number {
  if (v < 4294967296) return 32 - Math.clz32(v);
  if (v < 9007199254740992) return 64 - Math.clz32(Math.floor(v / 4294967296));
  let e = Math.floor(Math.log2(v)) + 1;
  while (2 ** e <= v) e++;
  while (e > 0 && 2 ** (e - 1) > v) e--;
  return e;
}

/**
 * The narrowest format of the same signedness and frac that holds every value in xs: the
 * static proofs run on it when the declared format is too wide but the data is not.
 */
export function effectiveFormat(declared: Format, xs: ArrayLike<number>): Format {
  // not observedBits + sign: |x| <= 2^e does not make a positive x = 2^e fit (fixed<4> stops at 7)
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < lo) lo = xs[i];
    if (xs[i] > hi) hi = xs[i];
  }
  // smallest width whose range holds [lo, hi]: signed needs hi < 2^(w-1) and -lo <= 2^(w-1)
  let need: number;
  if (declared.signed) need = Math.max(bitLength(hi), lo < 0 ? bitLength(-lo - 1) : 0) + 1;
  else need = lo < 0 ? declared.width : Math.max(1, bitLength(hi));
  return need >= declared.width ? declared : { signed: declared.signed, width: need, frac: declared.frac };
}

/**
 * Set `enabled` to false to force every unit onto the BigInt reference path (the living
 * definition): tests compare whole training runs both ways, and `fxsim train --reference`
 * lets a user do the same. FXSIM_REFERENCE=1 in the environment starts it disabled.
 */
export const fastPaths = { enabled: process.env.FXSIM_REFERENCE !== '1' };

/** Run fn with the fast paths off, restoring the previous setting afterwards. */
export function referenceOnly<T>(fn: () => T): T {
  const was = fastPaths.enabled;
  fastPaths.enabled = false;
  try {
    return fn();
  } finally {
    fastPaths.enabled = was;
  }
}
