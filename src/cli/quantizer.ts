import { castRef, type CastModes } from '../core/cast.ts';
import { formatRaw, parseDecimal, parseRawToken, rationalToExactRaw, rationalToRaw, rawToDecimal, type RawStyle } from '../core/decimal.ts';
import {
  decimalToRawFast, decimalToRawStochFast, divideFast, formatRawFast, parseDecimalFast, parseRawFast, rawToDecimalFast,
  type DecimalParts, type DivParts,
} from '../core/decimal-fast.ts';
import { FxInputError, inputError } from '../core/errors.ts';
import type { EventCounters } from '../core/events.ts';
import { castFitsFast, fitsFast } from '../core/exact.ts';
import { castFast, overflowFast, overflowPlan } from '../core/fast.ts';
import { formatName, maxRaw, minRaw, type Format } from '../core/format.ts';
import { checkOverflowArgs } from '../core/overflow.ts';
import type { RandomSource } from '../core/random.ts';
import { BufferedWriter, showToken, TokenSplitter } from './tokens.ts';

/** Everything `fxsim quantize` needs to turn one token into one output line. */
export interface QuantizeOptions {
  /** Format of the input values; required with raw, optional for decimals. */
  from?: Format;
  to: Format;
  modes: CastModes;
  /** Tokens are raw integers (decimal or 0x hex) of `from`, not real values. */
  raw: boolean;
  /** Print the result's raw W-bit pattern in 0x hex, whatever the input style. */
  hex: boolean;
  /** Needed for STOCH: drawn in input order. */
  rng?: RandomSource;
  counters?: EventCounters;
  /** false forces the BigInt reference path for every token (for tests); default true. */
  fast?: boolean;
}

/** One token in, one output line (without newline) out; throws FxInputError with the reason. */
export type Converter = (token: string) => string;

/**
 * Build the per-token converter. Three input modes:
 * - raw: token = raw integer of `from` (decimal in range, or 0x W-bit pattern); cast from -> to;
 *   printed as a raw integer in the token's own style (decimal or hex) unless `hex` forces hex.
 * - decimal with `from`: the value must be exactly representable in `from`; cast from -> to.
 * - decimal without `from`: the exact decimal is quantized straight into `to` (rationalToRaw).
 * Decimal-mode results print as exact decimals, or raw hex with `hex`.
 * Each mode has a number fast path (taken when core/exact.ts proves it exact) that falls back
 * token by token to the BigInt reference; both consume the random stream identically.
 */
export function makeQuantizer(o: QuantizeOptions): Converter {
  const convert = makeConverter(o);
  const counters = o.counters;
  if (!counters) return convert;
  return (t) => {
    const line = convert(t);
    counters.values++;
    return line;
  };
}

function makeConverter(o: QuantizeOptions): Converter {
  const { from, to, modes, rng, counters } = o;
  checkOverflowArgs(to, modes.overflow, modes.nBits);
  if (modes.rounding === 'STOCH' && !rng) inputError('STOCH rounding needs a random source');
  const fast = o.fast !== false;
  if (o.raw) {
    if (!from) return inputError('--raw needs --from: the format the raw values are in');
    return rawConverter(from, to, modes, o.hex, fast, rng, counters);
  }
  const emitSlow = o.hex ? (r: bigint) => formatRaw(r, to, 'hex') : (r: bigint) => rawToDecimal(r, to.frac);
  const emitFast = o.hex ? (r: number) => formatRawFast(r, to, 'hex') : (r: number) => rawToDecimalFast(r, to.frac);
  const parts: DecimalParts = { mant: 0, scale: 0 };
  const div: DivParts = { q: 0, rem: 0, den: 1 };

  if (from) {
    const slow: Converter = (t) => emitSlow(castRef(exactRawIn(t, from), from, to, modes, rng, counters));
    if (!fast || !fitsFast(from) || !castFitsFast(from, to)) return slow;
    const plan = overflowPlan(to, modes.overflow, modes.nBits);
    const lo = Number(minRaw(from));
    const hi = Number(maxRaw(from));
    return (t) => {
      if (!parseDecimalFast(t, parts) || !divideFast(parts.mant, parts.scale, from.frac, div) || div.rem !== 0 || div.q < lo || div.q > hi) return slow(t);
      return emitFast(castFast(div.q, from, plan, to, modes, rng, counters));
    };
  }

  const slow: Converter = (t) => {
    const q = parseDecimal(t);
    return emitSlow(rationalToRaw(q.num, q.den, to, modes, rng, counters));
  };
  if (!fast || !fitsFast(to)) return slow;
  const plan = overflowPlan(to, modes.overflow, modes.nBits);
  const mode = modes.rounding;
  if (mode === 'STOCH') {
    const source = rng as RandomSource;
    return (t) => {
      if (!parseDecimalFast(t, parts)) return slow(t);
      const q = decimalToRawStochFast(parts.mant, parts.scale, to.frac, source, counters);
      if (q !== q) return slow(t);
      return emitFast(overflowFast(q, plan, counters));
    };
  }
  return (t) => {
    if (!parseDecimalFast(t, parts)) return slow(t);
    const q = decimalToRawFast(parts.mant, parts.scale, to.frac, mode, div, counters);
    if (q !== q) return slow(t);
    return emitFast(overflowFast(q, plan, counters));
  };
}

/** The raw value of a decimal token in `from`, which must hold it exactly. */
function exactRawIn(t: string, from: Format): bigint {
  const { num, den } = parseDecimal(t);
  return rationalToExactRaw(num, den, from, `--from ${formatName(from)}`);
}

function rawConverter(from: Format, to: Format, modes: CastModes, hex: boolean, fast: boolean, rng?: RandomSource, counters?: EventCounters): Converter {
  const slow: Converter = (t) => {
    const { raw, style } = parseRawToken(t, from);
    return formatRaw(castRef(raw, from, to, modes, rng, counters), to, hex ? 'hex' : style);
  };
  if (!fast || from.width > 52 || !castFitsFast(from, to)) return slow;
  const plan = overflowPlan(to, modes.overflow, modes.nBits);
  const lo = Number(minRaw(from));
  const hi = Number(maxRaw(from));
  const span = 2 ** from.width;
  const signBit = 2 ** (from.width - 1);
  const style: { value: RawStyle } = { value: 'dec' };
  return (t) => {
    let r = parseRawFast(t, style);
    if (r !== r) return slow(t);
    if (style.value === 'hex') {
      if (r >= span) return slow(t);
      if (from.signed && r >= signBit) r -= span;
    } else if (r < lo || r > hi) return slow(t);
    return formatRawFast(castFast(r, from, plan, to, modes, rng, counters), to, hex ? 'hex' : style.value);
  };
}

/** Run one token through the converter, naming it in any input error: `stdin token 17 ('1.2.3'): ...`. */
function convertNamed(convert: Converter, t: string, label: string, index: number): string {
  try {
    return convert(t);
  } catch (e) {
    if (e instanceof FxInputError) throw new FxInputError(`${label} ${index} (${showToken(t)}): ${e.message}`);
    throw e;
  }
}

/**
 * Convert values given as arguments, one output line each. Output for the values before a bad
 * one is written before the error is thrown.
 */
export async function quantizeValues(convert: Converter, values: readonly string[], out: BufferedWriter, label = 'argument'): Promise<number> {
  try {
    for (let i = 0; i < values.length; i++) {
      out.add(convertNamed(convert, values[i].trim(), label, i + 1) + '\n');
      const p = out.maybeFlush();
      if (p) await p;
    }
  } finally {
    await out.flush();
  }
  return values.length;
}

/**
 * Convert a stream of whitespace-separated values (string chunks, e.g. stdin with a utf8
 * encoding), writing output in large chunks as input arrives. Tokens may be split across chunks.
 * Output for the values before a bad one is written before the error is thrown.
 */
export async function quantizeStream(convert: Converter, chunks: AsyncIterable<string>, out: BufferedWriter, label = 'stdin token'): Promise<number> {
  const splitter = new TokenSplitter(label);
  const onToken = (t: string, i: number) => out.add(convertNamed(convert, t, label, i) + '\n');
  try {
    for await (const chunk of chunks) {
      splitter.push(chunk, onToken);
      const p = out.maybeFlush();
      if (p) await p;
    }
    splitter.end(onToken);
  } finally {
    await out.flush();
  }
  return splitter.count;
}

/** One line for stderr: `counters: values=6 inexact=4 ...`. */
export function formatCounters(c: EventCounters): string {
  return `counters: values=${c.values} inexact=${c.inexact} toZero=${c.toZero} overflows=${c.overflows} saturations=${c.saturations} stochasticDraws=${c.stochasticDraws}`;
}
