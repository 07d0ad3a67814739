import type { EventCounters } from './events.ts';
import type { Format } from './format.ts';
import type { QuantMode } from './modes.ts';
import { formatRaw, rawToDecimal, type RawStyle } from './decimal.ts';
import { quantizeFast } from './fast.ts';
import type { RandomSource } from './random.ts';

/**
 * Number-only fast paths for decimal text <-> raw values. Each one either returns an exact
 * answer or declines (returns false / NaN) and the caller runs the BigInt path in decimal.ts,
 * which is the definition: every float64 operation below is on integers < 2^53, hence exact.
 * Declining is always safe, so the preconditions are deliberately conservative.
 */

/** 10^i and 5^i for i = 0..22: all exact in float64 (10^22 < 2^53 * 2^22, 5^22 < 2^53). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const POW5 = Array.from({ length: 23 }, (_, i) => 5 ** i);
const LIMIT52 = 2 ** 52;
const LIMIT53 = 2 ** 53;
/** Mantissas stay below this while parsing so that m * 10 + 9 is exact. */
const MANT_LIMIT = 2 ** 49;

/** A short decimal: value = mant * 10^-scale, |mant| < 2^52, 0 <= scale <= 22. */
export interface DecimalParts {
  mant: number;
  scale: number;
}

/**
 * Parse a plain decimal token (sign, digits, optional point, optional exponent) into exact
 * parts when it is short enough; false means "use parseDecimal" (which also diagnoses bad tokens).
 */
export function parseDecimalFast(s: string, out: DecimalParts): boolean {
  const n = s.length;
  let i = 0;
  let neg = false;
  if (n === 0) return false;
  let c = s.charCodeAt(0);
  if (c === 45) { neg = true; i = 1; } else if (c === 43) i = 1;
  let m = 0;
  let scale = 0;
  let run = 0; // zeros seen but not yet folded into m
  let dot = false;
  let digits = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c === 48) { digits = true; run++; continue; }
    if (c > 48 && c <= 57) {
      digits = true;
      if (run > 0) {
        if (m !== 0) {
          if (run > 15) return false;
          m *= POW10[run];
        }
        if (dot) scale += run;
        run = 0;
      }
      m = m * 10 + (c - 48);
      if (dot) scale++;
      if (m >= MANT_LIMIT) return false;
      continue;
    }
    if (c === 46 && !dot) {
      // zeros ending the integer part are significant
      if (run > 0 && m !== 0) {
        if (run > 15) return false;
        m *= POW10[run];
        if (m >= MANT_LIMIT) return false;
      }
      run = 0;
      dot = true;
      continue;
    }
    if (c === 101 || c === 69) break;
    return false;
  }
  if (!digits) return false;
  // trailing zeros: significant in the integer part, dropped after the point
  if (!dot && run > 0 && m !== 0) {
    if (run > 15) return false;
    m *= POW10[run];
    if (m >= MANT_LIMIT) return false;
  }
  if (i < n) {
    // exponent: i is at 'e'
    i++;
    let eneg = false;
    if (i < n) {
      c = s.charCodeAt(i);
      if (c === 45) { eneg = true; i++; } else if (c === 43) i++;
    }
    if (i >= n) return false;
    let e = 0;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return false;
      e = e * 10 + (c - 48);
      if (e > 400) return false;
    }
    scale += eneg ? e : -e;
  }
  if (m === 0) { out.mant = 0; out.scale = 0; return true; }
  if (scale < 0) {
    if (-scale > 15) return false;
    m *= POW10[-scale];
    if (m >= LIMIT52) return false;
    scale = 0;
  }
  if (scale > 22) return false;
  out.mant = neg ? -m : m;
  out.scale = scale;
  return true;
}

/**
 * q = floor(mant * 10^-scale * 2^frac) and its remainder: the value is num / den with common
 * powers of two cancelled (10^scale = 2^scale * 5^scale), rem in [0, den). Rounding decisions
 * compare 2*rem with den and do not depend on that scaling.
 */
export interface DivParts {
  q: number;
  rem: number;
  den: number;
}

/**
 * Exact floor division, when numerator and denominator are integers below 2^52 (then
 * q*den <= |num| + den < 2^53 and the remainder is exact).
 */
export function divideFast(mant: number, scale: number, frac: number, out: DivParts): boolean {
  if (mant === 0) { out.q = 0; out.rem = 0; out.den = 1; return true; }
  const t = frac - scale; // value * 2^frac = mant * 2^t / 5^scale
  let num: number;
  let den: number;
  if (t >= 0) {
    if (t > 52) return false;
    num = mant * 2 ** t;
    den = POW5[scale];
  } else {
    if (t < -52) return false;
    num = mant;
    den = POW5[scale] * 2 ** -t;
  }
  if (!(num < LIMIT52 && num > -LIMIT52 && den < LIMIT52)) return false;
  let q = Math.floor(num / den);
  let rem = num - q * den;
  if (rem < 0) { q -= 1; rem += den; } else if (rem >= den) { q += 1; rem -= den; }
  out.q = q;
  out.rem = rem;
  out.den = den;
  return true;
}

/**
 * The ROUNDING table of quantize.ts on numbers, asked with (rem2, den) = (2*rem, den) in place of
 * (rem, half) and only when rem > 0. Tested equal to ROUNDING case by case.
 */
export function roundUpFast(mode: Exclude<QuantMode, 'STOCH'>, q: number, rem2: number, den: number, neg: boolean): boolean {
  switch (mode) {
    case 'TRN': return false;
    case 'TRN_ZERO': return neg;
    case 'TRN_INF': return true;
    case 'TRN_AWAY': return !neg;
    case 'RND': return rem2 >= den;
    case 'RND_ZERO': return rem2 > den || (rem2 === den && neg);
    case 'RND_MIN_INF': return rem2 > den;
    case 'RND_INF': return rem2 > den || (rem2 === den && !neg);
    case 'RND_CONV': return rem2 > den || (rem2 === den && (q & 1) !== 0);
    case 'RND_CONV_ODD': return rem2 > den || (rem2 === den && (q & 1) === 0);
  }
}

/**
 * Quantize mant * 10^-scale into `frac` fraction bits (before overflow), exactly like
 * rationalToRaw does, or NaN when the fast preconditions do not hold. Counts inexact and toZero
 * as rationalToRaw does.
 */
export function decimalToRawFast(mant: number, scale: number, frac: number, mode: Exclude<QuantMode, 'STOCH'>, div: DivParts, counters?: EventCounters): number {
  if (!divideFast(mant, scale, frac, div)) return NaN;
  const q = div.q;
  const out = div.rem !== 0 && roundUpFast(mode, q, 2 * div.rem, div.den, mant < 0) ? q + 1 : q;
  if (counters) {
    if (div.rem !== 0) counters.inexact++;
    if (out === 0 && mant !== 0) counters.toZero++;
  }
  return out;
}

/**
 * STOCH straight from a short decimal, as rationalToRaw does it (before overflow): the value must be
 * a binary fraction; it is taken at its fewest fraction bits f (not below `frac`) and quantized by
 * quantizeFast, drawing f - frac bits. NaN declines (not dyadic, or not provably exact).
 */
export function decimalToRawStochFast(mant: number, scale: number, frac: number, rng: RandomSource, counters?: EventCounters): number {
  let m = mant;
  let f = scale;
  if (m !== 0) {
    const p5 = POW5[scale];
    if (m % p5 !== 0) return NaN;
    m /= p5;
  }
  while (f > frac && m % 2 === 0) { m /= 2; f--; }
  if (m === 0) return 0;
  const k = f - frac;
  if (k < 0 && (k < -52 || Math.abs(m) * 2 ** -k >= LIMIT53)) return NaN;
  return quantizeFast(m, k, 'STOCH', rng, counters);
}

/** rawToDecimal for an integer raw of magnitude < 2^53; exact (falls back to BigInt when needed). */
export function rawToDecimalFast(raw: number, frac: number): string {
  if (raw === 0) return '0';
  let r = raw;
  let f = frac;
  while (f > 0 && r % 2 === 0) { r /= 2; f--; }
  if (f <= 0) {
    if (f < -52) return rawToDecimal(BigInt(raw), frac);
    const v = r * 2 ** -f;
    return v < LIMIT53 && v > -LIMIT53 ? String(v) : rawToDecimal(BigInt(raw), frac);
  }
  if (f > 22) return rawToDecimal(BigInt(raw), frac);
  const a = r < 0 ? -r : r;
  const t = a * POW5[f];
  if (t >= LIMIT53) return rawToDecimal(BigInt(raw), frac);
  // r is odd, so t ends in 5: no trailing zeros to strip
  let s = String(t);
  if (s.length <= f) s = '0'.repeat(f - s.length + 1) + s;
  const cut = s.length - f;
  return (r < 0 ? '-' : '') + s.slice(0, cut) + '.' + s.slice(cut);
}

/**
 * Parse a raw token as a number when short: decimal (<= 15 digits) or 0x hex (<= 13 digits).
 * Returns NaN to decline. Sets style.value. Does NOT check the range; the caller does.
 * For hex it returns the unsigned pattern.
 */
export function parseRawFast(s: string, style: { value: RawStyle }): number {
  const n = s.length;
  if (n === 0) return NaN;
  let c = s.charCodeAt(0);
  if (n > 2 && c === 48 && (s.charCodeAt(1) | 32) === 120) {
    if (n > 15) return NaN;
    let v = 0;
    for (let i = 2; i < n; i++) {
      c = s.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if ((c | 32) >= 97 && (c | 32) <= 102) d = (c | 32) - 87;
      else return NaN;
      v = v * 16 + d;
    }
    style.value = 'hex';
    return v;
  }
  let i = 0;
  let neg = false;
  if (c === 45) { neg = true; i = 1; } else if (c === 43) i = 1;
  if (i >= n || n - i > 15) return NaN;
  let v = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  style.value = 'dec';
  return neg && v !== 0 ? -v : v;
}

/** formatRaw for a raw number of a format with width <= 52. */
export function formatRawFast(raw: number, format: Format, style: RawStyle): string {
  if (style === 'dec') return String(raw);
  if (format.width > 52) return formatRaw(BigInt(raw), format, style);
  const bits = raw < 0 ? raw + 2 ** format.width : raw;
  return '0x' + bits.toString(16).padStart(Math.ceil(format.width / 4), '0');
}
