import { makeFormat, type Format } from '../../core/format.ts';
import { rationalToDyadic, tryParseDecimal, type Rational } from '../../core/decimal.ts';

/**
 * Helpers shared by the activations: exact parameter constants and exact bit bounds.
 * Nothing here rounds: a constant is a rational parsed from its decimal text, and a number
 * parameter is read as the shortest decimal that prints it (String(n)), i.e. what the user wrote.
 */

/** A real-valued parameter as written: a JSON/YAML number or a decimal string. */
export type RealParam = number | string;

/** The exact rational a real parameter denotes, or a one-line reason it is not one. */
export function realParam(v: RealParam): Rational | string {
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v} is not a finite number`;
  return tryParseDecimal(typeof v === 'number' ? String(v) : v.trim());
}

/**
 * A real parameter that must be a binary fraction (dyadic): its raw value at the fewest fraction
 * bits >= `atLeast` that hold it exactly. Returns a one-line reason when it is not one.
 */
export function dyadicParam(v: RealParam, what: string, atLeast = -Infinity): { raw: bigint; frac: number } | string {
  const q = realParam(v);
  if (typeof q === 'string') return `${what} ${JSON.stringify(v)}: ${q}`;
  const d = rationalToDyadic(q.num, q.den, atLeast);
  if (!d) return `${what} ${v} is not a binary fraction (m * 2^-k), so no fixed-point format holds it exactly`;
  return d;
}

/** Smallest e with |x| <= 2^e; -Infinity for 0. Exact (no floating point). */
export function ceilLog2Abs(x: bigint): number {
  const a = x < 0n ? -x : x;
  if (a === 0n) return -Infinity;
  const len = a.toString(2).length; // 2^(len-1) <= a < 2^len
  return a === 1n << BigInt(len - 1) ? len - 1 : len;
}

/** The narrowest format at frac `frac` holding every value (raw integers): unsigned unless one is negative. */
export function holdingFormat(values: readonly bigint[], frac: number): Format {
  const signed = values.some((v) => v < 0n);
  let width = 1;
  for (const v of values) {
    // unsigned: v < 2^w; signed: -2^(w-1) <= v < 2^(w-1)
    const need = signed ? (v < 0n ? (-v - 1n).toString(2).length : v.toString(2).length) + 1 : v.toString(2).length;
    if (v !== 0n && need > width) width = need;
  }
  return makeFormat(signed, width, frac);
}
