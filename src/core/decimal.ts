import type { CastModes } from './cast.ts';
import { inputError } from './errors.ts';
import type { EventCounters } from './events.ts';
import { formatName, fromBits, maxRaw, minRaw, toBits, type Format } from './format.ts';
import { overflowRef } from './overflow.ts';
import { quantizeRef, ROUNDING } from './quantize.ts';
import type { RandomSource } from './random.ts';
import type { QuantMode } from './modes.ts';

/**
 * Exact decimal text <-> fixed-point raw values. Nothing here touches a float: a decimal token
 * is an exact rational num / den (den a power of ten), quantized into a format by one decision
 * on the exact remainder, with the same mode table (ROUNDING) as the reference quantizer.
 */
export interface Rational {
  readonly num: bigint;
  /** a power of ten, >= 1 */
  readonly den: bigint;
}

/** Largest |decimal exponent| accepted (1e100000 is already a 332,000-bit integer). */
export const MAX_DECIMAL_EXPONENT = 100_000;

/** Powers of ten and five, memoized for the exponents real data uses. */
const P10: bigint[] = [];
const P5: bigint[] = [];
const pow10n = (e: number): bigint => (e < 1024 ? (P10[e] ??= 10n ** BigInt(e)) : 10n ** BigInt(e));
const pow5n = (e: number): bigint => (e < 1024 ? (P5[e] ??= 5n ** BigInt(e)) : 5n ** BigInt(e));

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const HEXISH = /^[+-]?0[xX]/;

/**
 * Parse a decimal real token (`-1.25`, `3`, `.5`, `1.`, `1e-3`, `2.5E+2`, `+7`) exactly.
 * Returns the rational, or a one-line reason it is not one.
 */
export function tryParseDecimal(token: string): Rational | string {
  const m = DECIMAL.exec(token);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    if (token === '') return 'empty value';
    if (NON_FINITE.test(token)) return 'not a finite decimal number (NaN and infinities have no fixed-point value)';
    if (HEXISH.test(token)) return 'not a decimal number (0x hex is accepted only for raw values, --raw)';
    return 'not a decimal number';
  }
  const [, sign, intDigits, fracDigits = '', expText] = m;
  let exp = 0;
  if (expText !== undefined) {
    exp = Number(expText);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_DECIMAL_EXPONENT) {
      return `decimal exponent ${expText} is outside the supported range ±${MAX_DECIMAL_EXPONENT}`;
    }
  }
  let digits = intDigits + fracDigits;
  let scale = fracDigits.length - exp; // value = digits * 10^-scale
  // trailing zeros carry no information; dropping them keeps den small
  let end = digits.length;
  while (end > 0 && scale > 0 && digits.charCodeAt(end - 1) === 48) { end--; scale--; }
  digits = digits.slice(0, end);
  if (Math.abs(scale) > MAX_DECIMAL_EXPONENT) return `decimal exponent is outside the supported range ±${MAX_DECIMAL_EXPONENT}`;
  let num = digits === '' ? 0n : BigInt(digits);
  if (num === 0n) return { num: 0n, den: 1n };
  if (sign === '-') num = -num;
  if (scale <= 0) return { num: num * pow10n(-scale), den: 1n };
  return { num, den: pow10n(scale) };
}

/** tryParseDecimal, throwing FxInputError with the reason. */
export function parseDecimal(token: string, where?: string): Rational {
  const r = tryParseDecimal(token);
  return typeof r === 'string' ? inputError(r, where) : r;
}

/** The decimal exponent e of den = 10^e. */
function decimalScale(den: bigint): number {
  const s = den.toString();
  if (den < 1n || !/^10*$/.test(s)) throw new RangeError(`denominator ${s} is not a power of ten`);
  return s.length - 1;
}

/**
 * If num/den is a binary fraction (dyadic), its raw value at the fewest fraction bits that
 * hold it exactly, except that trailing zero bits are not stripped below `atLeast` fraction bits.
 */
export function rationalToDyadic(num: bigint, den: bigint, atLeast = -Infinity): { raw: bigint; frac: number } | undefined {
  const e = decimalScale(den); // den = 2^e * 5^e
  const p5 = pow5n(e);
  if (num % p5 !== 0n) return undefined;
  let raw = num / p5;
  let frac = e;
  if (raw === 0n) return { raw, frac: Number.isFinite(atLeast) ? atLeast : 0 };
  while (frac > atLeast && (raw & 1n) === 0n) { raw >>= 1n; frac--; }
  return { raw, frac };
}

/**
 * Quantize the exact rational num/den straight into `format` (one rounding decision on the
 * exact remainder), then apply the overflow mode. With q = floor(num * 2^F / den) and remainder
 * rem in [0, den'), the ROUNDING table is consulted with (2*rem, den') in place of (rem, half),
 * which compares rem with den'/2 exactly. STOCH needs a binary-fraction value: it is brought to
 * raw at the fewest fraction bits f that hold it and quantized by quantizeRef (drawing f - F bits;
 * a value already exact in `format` draws nothing). Counts events like castRef (not `values`:
 * callers count those).
 */
export function rationalToRaw(num: bigint, den: bigint, format: Format, modes: CastModes, rng?: RandomSource, counters?: EventCounters): bigint {
  if (den <= 0n) throw new RangeError('rationalToRaw: den must be positive');
  const F = format.frac;
  let out: bigint;
  if (modes.rounding === 'STOCH') {
    const d = rationalToDyadic(num, den, F);
    if (!d) return inputError('STOCH needs a value exactly representable in --from; this value is not a binary fraction');
    out = quantizeRef(d.raw, d.frac - F, 'STOCH', rng, counters);
  } else out = roundRational(num, den, F, modes.rounding, counters);
  return overflowRef(out, format, modes.overflow, modes.nBits, counters);
}

/**
 * round(num/den * 2^frac) with a deterministic mode, decided once on the exact remainder:
 * q = floor(num * 2^F / den), rem in [0, den); the mode table (ROUNDING) is consulted with
 * (2*rem, den) in place of (rem, half). No overflow step. den > 0.
 */
export function roundRational(num: bigint, den: bigint, frac: number, mode: Exclude<QuantMode, 'STOCH'>, counters?: EventCounters): bigint {
  if (den <= 0n) throw new RangeError('roundRational: den must be positive');
  let n = num;
  let d = den;
  if (frac >= 0) n <<= BigInt(frac);
  else d <<= BigInt(-frac);
  let q = n / d; // truncates toward zero
  let rem = n - q * d;
  if (rem < 0n) { q -= 1n; rem += d; }
  const out = rem !== 0n && ROUNDING[mode](q, rem << 1n, d, num < 0n) ? q + 1n : q;
  if (counters) {
    if (rem !== 0n) counters.inexact++;
    if (out === 0n && num !== 0n) counters.toZero++;
  }
  return out;
}

/**
 * The raw value of num/den in `format`, which must represent it exactly (in range, no rounding);
 * otherwise an FxInputError saying why. `label` names the format in the message.
 */
export function rationalToExactRaw(num: bigint, den: bigint, format: Format, label = formatName(format)): bigint {
  const F = format.frac;
  const n = F >= 0 ? num << BigInt(F) : num;
  const dd = F >= 0 ? den : den << BigInt(-F);
  if (n % dd !== 0n) inputError(`not exactly representable in ${label}: it needs more than ${F} fraction bits`);
  const raw = n / dd;
  const lo = minRaw(format);
  const hi = maxRaw(format);
  if (raw < lo || raw > hi) inputError(`outside the range [${rawToDecimal(lo, F)}, ${rawToDecimal(hi, F)}] of ${label}`);
  return raw;
}

/**
 * The exact decimal value of raw * 2^-frac: for frac > 0 it is raw * 5^frac / 10^frac, printed
 * without exponent and with trailing zeros stripped; for frac <= 0 an integer. Never '-0'.
 */
export function rawToDecimal(raw: bigint, frac: number): string {
  if (frac <= 0) return (raw << BigInt(-frac)).toString();
  if (raw === 0n) return '0';
  const neg = raw < 0n;
  let s = ((neg ? -raw : raw) * pow5n(frac)).toString();
  if (s.length <= frac) s = '0'.repeat(frac - s.length + 1) + s;
  const cut = s.length - frac;
  let end = s.length;
  while (end > cut && s.charCodeAt(end - 1) === 48) end--;
  const intPart = s.slice(0, cut);
  return (neg ? '-' : '') + intPart + (end > cut ? '.' + s.slice(cut, end) : '');
}

/** How a raw value is written: a decimal integer or a 0x two's-complement pattern. */
export type RawStyle = 'dec' | 'hex';

const RAW_DEC = /^[+-]?\d+$/;
const RAW_HEX = /^0[xX][0-9a-fA-F]+$/;

/**
 * A raw-value token: a decimal integer (optional sign), which must lie in the format's raw range,
 * or 0x hex (case-insensitive, no sign), a W-bit two's-complement pattern that is sign-extended
 * for signed formats and may not be wider than W bits.
 */
export function parseRawToken(token: string, format: Format): { raw: bigint; style: RawStyle } {
  if (RAW_DEC.test(token)) {
    const raw = BigInt(token);
    const lo = minRaw(format);
    const hi = maxRaw(format);
    if (raw < lo || raw > hi) inputError(`raw value ${token} is outside the range [${lo}, ${hi}] of ${formatName(format)}`);
    return { raw, style: 'dec' };
  }
  if (RAW_HEX.test(token)) {
    const bits = BigInt('0x' + token.slice(2));
    if (bits >> BigInt(format.width) !== 0n) inputError(`hex raw value ${token} is wider than the ${format.width} bits of ${formatName(format)}`);
    return { raw: fromBits(bits, format), style: 'hex' };
  }
  if (/^[+-]0[xX]/.test(token)) inputError(`a hex raw value is a ${format.width}-bit two's-complement pattern and takes no sign`);
  if (token === '') inputError('empty value');
  return inputError('not a raw integer (a decimal integer, or 0x hex)');
}

/** Hex digits of a W-bit pattern. */
export const hexDigits = (format: Format): number => Math.ceil(format.width / 4);

/** Print a raw value (in range for `format`) as a decimal integer or as 0x + its zero-padded W-bit pattern. */
export function formatRaw(raw: bigint, format: Format, style: RawStyle): string {
  if (style === 'dec') return raw.toString();
  return '0x' + toBits(raw, format).toString(16).padStart(hexDigits(format), '0');
}
