import { FAST_LIMIT } from '../core/exact.ts';

/**
 * A vector of raw integers. Float64Array holds exact integers (|v| <= 2^53) for the fast
 * kernels; bigint[] is the reference representation for any width. Units accept either and
 * choose their path by range analysis, never by the representation alone.
 */
export type RawVec = Float64Array | bigint[];

export const isFastVec = (v: RawVec): v is Float64Array => v instanceof Float64Array;

export function toBigVec(v: RawVec): bigint[] {
  return isFastVec(v) ? Array.from(v, (x) => BigInt(x)) : v;
}

/** Convert to numbers; returns undefined if any value is beyond the exact range. */
export function tryFastVec(v: RawVec): Float64Array | undefined {
  if (isFastVec(v)) return v;
  const out = new Float64Array(v.length);
  const lim = BigInt(FAST_LIMIT);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x > lim || x < -lim) return undefined;
    out[i] = Number(x);
  }
  return out;
}

export function vecToBigints(v: RawVec): bigint[] {
  return toBigVec(v).slice();
}
