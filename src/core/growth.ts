import { makeFormat, maxRaw, minRaw, type Format } from './format.ts';
import type { QuantMode } from './modes.ts';
import { quantizeRef } from './quantize.ts';

/**
 * Width growth, in one place. Two views of the same arithmetic:
 * - format rules (productFormat, sumFormat, shiftFormat): the register a result needs when all
 *   that is known is the operands' formats, as an RTL engineer sizes a datapath;
 * - range rules (productRange, sumRange, shiftRange): exact raw intervals, for `inspect`, which
 *   knows declared input ranges and wants the tightest width (bitsFor) that never overflows.
 * Every range is a closed interval of raw integers; all arithmetic is BigInt.
 */

/** A closed interval [lo, hi] of raw integers (at some frac the caller keeps track of). */
export interface RawRange {
  readonly lo: bigint;
  readonly hi: bigint;
}

/** Every raw value of a format. */
export const formatRange = (f: Format): RawRange => ({ lo: minRaw(f), hi: maxRaw(f) });

/** ceil(log2(n)): the extra integer bits a sum of n terms needs (0 for n <= 1). */
export function sumGrowthBits(n: number): number {
  let bits = 0;
  while (2 ** bits < n) bits++;
  return bits;
}

/**
 * Exact format of a*b: widths add, fractions add; signed if either operand is (a signed W-bit
 * times an unsigned U-bit value fits W+U signed bits; signed*signed needs all W+U bits for
 * (-2^(W-1))^2). The classic rule, one bit looser than the range rule for some corner cases.
 */
export function productFormat(a: Format, b: Format): Format {
  return makeFormat(a.signed || b.signed, a.width + b.width, a.frac + b.frac);
}

/** Exact format of a sum of n terms of format f (n >= 1): ceil(log2 n) more integer bits. */
export function sumFormat(f: Format, n: number): Format {
  return makeFormat(f.signed, f.width + sumGrowthBits(n), f.frac);
}

/**
 * Format of r >> k (k > 0) rounded with `mode`, before any overflow: k fewer bits (at least 1),
 * plus one when the mode can round up (anything but TRN/TRN_ZERO: max/2^k may round up to the
 * next power of two), at frac - k. A left shift (k < 0) is exact: -k more bits at frac - k.
 */
export function shiftFormat(f: Format, k: number, mode: QuantMode): Format {
  if (k <= 0) return makeFormat(f.signed, f.width - k, f.frac - k);
  const up = mode === 'TRN' || mode === 'TRN_ZERO' ? 0 : 1;
  return makeFormat(f.signed, Math.max(1, f.width - k) + up, f.frac - k);
}

/** Range of a*b for a in x, b in y: the extremes are at the corners. */
export function productRange(x: RawRange, y: RawRange): RawRange {
  const c = [x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi];
  return { lo: c.reduce((m, v) => (v < m ? v : m)), hi: c.reduce((m, v) => (v > m ? v : m)) };
}

/**
 * Range of every partial sum start + t1 + ... + tk, k = 0..n, with each term in `term`: what an
 * accumulator register holds at some step. start defaults to [0, 0] (no bias preload).
 */
export function sumRange(term: RawRange, n: number, start: RawRange = { lo: 0n, hi: 0n }): RawRange {
  const N = BigInt(n);
  const lo = term.lo < 0n ? start.lo + N * term.lo : start.lo;
  const hi = term.hi > 0n ? start.hi + N * term.hi : start.hi;
  return { lo, hi };
}

/**
 * Range of a right shift by k (k > 0) with a rounding mode: every deterministic mode is monotone,
 * so the ends map to the ends; STOCH lies between floor and ceil. k <= 0 is an exact left shift.
 */
export function shiftRange(r: RawRange, k: number, mode: QuantMode): RawRange {
  if (k <= 0) return { lo: r.lo << BigInt(-k), hi: r.hi << BigInt(-k) };
  if (mode === 'STOCH') return { lo: quantizeRef(r.lo, k, 'TRN'), hi: quantizeRef(r.hi, k, 'TRN_INF') };
  return { lo: quantizeRef(r.lo, k, mode), hi: quantizeRef(r.hi, k, mode) };
}

/** Bits of the magnitude of v >= 0: smallest b with v < 2^b. */
function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/**
 * Smallest width W of a signed (or unsigned) register that holds every value of r:
 * signed needs -2^(W-1) <= lo and hi <= 2^(W-1) - 1; unsigned needs hi <= 2^W - 1 and lo >= 0
 * (Infinity when lo < 0: no unsigned width holds a negative value). At least 1.
 */
export function bitsFor(r: RawRange, signed: boolean): number {
  if (!signed) return r.lo < 0n ? Infinity : Math.max(1, bitLength(r.hi));
  const neg = r.lo < 0n ? bitLength(-r.lo - 1n) : 0; // -2^b <= lo  <=>  -lo - 1 < 2^b
  const pos = r.hi > 0n ? bitLength(r.hi) : 0;
  return Math.max(neg, pos) + 1;
}

/** Does every value of r fit the format (no overflow)? */
export const rangeFits = (r: RawRange, f: Format): boolean => r.lo >= minRaw(f) && r.hi <= maxRaw(f);

export const hullRange = (...rs: RawRange[]): RawRange => ({
  lo: rs.reduce((m, r) => (r.lo < m ? r.lo : m), rs[0].lo),
  hi: rs.reduce((m, r) => (r.hi > m ? r.hi : m), rs[0].hi),
});
