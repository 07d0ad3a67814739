import type { RawValues, Ratio } from './types.ts';

/** Internal exact-rational helpers for src/data. */

export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function reduce(num: bigint, den: bigint): Ratio {
  if (den <= 0n) throw new RangeError('reduce: den must be positive');
  if (num === 0n) return { num: 0n, den: 1n };
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

/** a < b, a = b, a > b as -1, 0, 1 (dens positive). */
export function compareRatio(a: Ratio, b: Ratio): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Exact text of a rational: an integer, a terminating decimal when den is 2^a 5^b, else num/den. */
export function ratioText(r: Ratio): string {
  const { num, den } = reduce(r.num, r.den);
  if (den === 1n) return num.toString();
  let d = den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) { d /= 2n; twos++; }
  while (d % 5n === 0n) { d /= 5n; fives++; }
  if (d !== 1n) return `${num}/${den}`;
  const digits = Math.max(twos, fives);
  const scaled = num * (10n ** BigInt(digits) / den); // exact
  const neg = scaled < 0n;
  let s = (neg ? -scaled : scaled).toString().padStart(digits + 1, '0');
  s = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return (neg ? '-' : '') + s;
}

/** Raw value number i of a RawValues array, as a bigint. */
export function rawAt(raw: RawValues, i: number): bigint {
  const v = raw[i];
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** Smallest and largest raw value (count * features > 0). */
/** One monomorphic loop per array type: MNIST is 47M bytes. */
function byteExtent(raw: Uint8Array): { min: bigint; max: bigint } {
  const seen = new Uint8Array(256);
  for (let i = 0; i < raw.length; i++) seen[raw[i]] = 1;
  let lo = 0;
  while (!seen[lo]) lo++;
  let hi = 255;
  while (!seen[hi]) hi--;
  return { min: BigInt(lo), max: BigInt(hi) };
}

function numberExtent(raw: Float64Array): { min: bigint; max: bigint } {
  let lo = raw[0];
  let hi = raw[0];
  for (let i = 1; i < raw.length; i++) {
    const v = raw[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return { min: BigInt(lo), max: BigInt(hi) };
}

export function rawExtent(raw: RawValues): { min: bigint; max: bigint } {
  if (raw.length === 0) throw new RangeError('rawExtent: no values');
  if (raw instanceof Uint8Array) return byteExtent(raw);
  if (raw instanceof Float64Array) return numberExtent(raw);
  let lo = raw[0];
  let hi = raw[0];
  for (const v of raw) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { min: lo, max: hi };
}
