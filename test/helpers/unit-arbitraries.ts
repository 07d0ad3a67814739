/**
 * fast-check generators for the unit tests (MAC, shift, activation): unit specs across the
 * fast-path boundary, raw data vectors, activation parameters, and comparison helpers.
 * Formats, modes and raw values come from ./arbitraries.ts (shared with the core tests).
 */
import fc from 'fast-check';
import type { CastModes } from '../../src/core/cast.ts';
import type { EventCounters } from '../../src/core/events.ts';
import { makeFormat, type Format } from '../../src/core/format.ts';
import type { QuantMode } from '../../src/core/modes.ts';
import { Lfsr, Xoshiro128ss, type RandomSource } from '../../src/core/random.ts';
import { resolveSlope } from '../../src/units/activations/leaky-relu.ts';
import { fullProductFormat, type MacSpec } from '../../src/units/mac.ts';
import { toBigVec, type RawVec } from '../../src/units/vec.ts';
import { arbBigIntIn, arbCastModes, arbFormat, arbOverflowFor, arbQuantMode, hi, lo, type FormatOpts } from './arbitraries.ts';

// ---------------------------------------------------------------- vectors and comparisons

/** Numbers from bigints; the caller knows every value is within 2^53. */
export const f64 = (v: readonly bigint[]): Float64Array => Float64Array.from(v, (x) => Number(x));
export const big = (v: RawVec): bigint[] => toBigVec(v).slice();
export const LIM53 = 1n << 53n;
export const fitsF64 = (v: readonly bigint[]): boolean => v.every((x) => x <= LIM53 && x >= -LIM53);

/** A raw value of f, restricted to magnitude <= 2^bits when bits is given (small data in a wide format). */
export function arbRawIn(f: Format, bits?: number): fc.Arbitrary<bigint> {
  let min = lo(f);
  let max = hi(f);
  if (bits !== undefined) {
    const m = 1n << BigInt(bits);
    if (min < -m) min = -m;
    if (max > m) max = m;
  }
  return arbBigIntIn(min, max);
}

/** A vector of n raw values of f, zeros over-represented (MAC kernels skip zero inputs). */
export function arbVec(f: Format, n: number, opts: { bits?: number; zeros?: boolean; extremes?: boolean } = {}): fc.Arbitrary<bigint[]> {
  const any = arbRawIn(f, opts.bits);
  // extremes: the format's ends most of the time, so products and sums reach their bounds
  const v = opts.extremes
    ? fc.oneof({ weight: 4, arbitrary: fc.constant(lo(f)) }, { weight: 1, arbitrary: fc.constant(hi(f)) }, { weight: 1, arbitrary: any })
    : any;
  const el = opts.zeros ? fc.oneof({ weight: 3, arbitrary: v }, { weight: 1, arbitrary: fc.constant(0n) }) : v;
  return fc.array(el, { minLength: n, maxLength: n });
}

/** Two identically seeded random sources (one per side of a fast == ref comparison). */
export interface RngPair {
  a: RandomSource;
  b: RandomSource;
}
export const arbRngPair: fc.Arbitrary<RngPair> = fc
  .record({ kind: fc.constantFrom('lfsr', 'xoshiro'), seed: fc.integer({ min: 1, max: 0xffff_ffff }) })
  .map(({ kind, seed }) => (kind === 'lfsr' ? { a: new Lfsr(32, undefined, seed), b: new Lfsr(32, undefined, seed) } : { a: new Xoshiro128ss(seed), b: new Xoshiro128ss(seed) }));

export const countersOf = (c: EventCounters): EventCounters => ({ ...c });

// ---------------------------------------------------------------- MAC specs

/**
 * Which side of the fast-path boundary a MAC case aims at:
 * - small: formats narrow enough that the static proof succeeds (mostly)
 * - observed: wide formats (weights up to 64 bits) with small data, so only the data proves it
 * - wide: 64-bit weights with large values and 60-70-bit accumulators: the BigInt fallback
 * - edge: terms and sums right at 2^53 (wide product formats, left-shifting ones included,
 *   48-100-bit accumulators, wide biases), where a loose bound shows up as a rounded float
 */
export type MacKind = 'small' | 'observed' | 'wide' | 'edge';

export interface MacCase {
  spec: MacSpec;
  rows: number;
  cols: number;
  w: bigint[];
  x: bigint[];
  bias?: bigint[];
  stoch: boolean;
}

interface MacShape {
  input: Format;
  weight: Format;
  product?: { format: Format; modes: CastModes };
  accWidth: number;
  accSigned: boolean;
  biasShift?: number;
  biasWidth: number;
  biasSigned: boolean;
  rows: number;
  cols: number;
}

const int = (min: number, max: number) => fc.integer({ min, max });

function arbMacShape(kind: MacKind, quant: fc.Arbitrary<QuantMode>): fc.Arbitrary<MacShape> {
  const edge = kind === 'edge';
  const inOpts: FormatOpts = kind === 'small' ? { maxWidth: 16, fracSlack: 4 } : edge ? { minWidth: 2, maxWidth: 12, fracSlack: 4 } : { maxWidth: 40, fracSlack: 4 };
  const wOpts: FormatOpts = kind === 'small' ? { maxWidth: 16, fracSlack: 4 } : edge ? { minWidth: 8, maxWidth: 30, fracSlack: 4 } : { minWidth: 40, maxWidth: 64, fracSlack: 4 };
  const accWidth = kind === 'wide' ? int(60, 70) : edge ? int(48, 100) : fc.oneof(int(1, 40), int(40, 72));
  return fc
    .record({
      input: arbFormat(inOpts),
      weight: arbFormat(wOpts),
      hasProduct: edge ? fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) : fc.boolean(),
      // product frac relative to w*x: positive drops bits (rounding), negative is an exact left shift;
      // edge: the shifted product's magnitude lands at 2^(productTop)
      productDrop: fc.oneof({ weight: 3, arbitrary: int(0, 24) }, { weight: 1, arbitrary: int(-6, -1) }),
      productTop: int(46, 54),
      productWidth: edge ? int(48, 56) : fc.oneof(int(1, 24), int(24, 60)),
      productSigned: fc.boolean(),
      accWidth,
      accSigned: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      hasBias: fc.boolean(),
      biasShift: int(0, edge ? 3 : 6),
      biasWidth: edge ? int(40, 56) : int(1, kind === 'small' ? 20 : 48),
      biasSigned: fc.boolean(),
      rows: int(1, 3),
      cols: edge ? int(1, 8) : int(0, 10),
    })
    .chain((s) => {
      const pin = fullProductFormat(s.weight, s.input);
      const pinBits = (pin.signed ? pin.width - 1 : pin.width);
      const drop = edge ? Math.min(0, pinBits - s.productTop) : s.productDrop;
      const pf = makeFormat(s.productSigned, s.productWidth, pin.frac - drop);
      const product = s.hasProduct ? arbCastModes(pf, quant).map((modes) => ({ format: pf, modes })) : fc.constant(undefined);
      return product.map((p) => ({
        input: s.input, weight: s.weight, product: p, accWidth: s.accWidth, accSigned: s.accSigned,
        biasShift: s.hasBias ? s.biasShift : undefined, biasWidth: s.biasWidth, biasSigned: s.biasSigned, rows: s.rows, cols: s.cols,
      }));
    });
}

export function arbMacCase(kind: MacKind, quant: fc.Arbitrary<QuantMode> = arbQuantMode): fc.Arbitrary<MacCase> {
  return arbMacShape(kind, quant).chain((s) => {
    const termFrac = s.product?.format.frac ?? fullProductFormat(s.weight, s.input).frac;
    const acc = makeFormat(s.accSigned, s.accWidth, termFrac);
    const biasFormat = s.biasShift === undefined ? undefined : makeFormat(s.biasSigned, s.biasWidth, termFrac - s.biasShift);
    // observed: data far smaller than the formats; wide: large weights (up to 2^53, still numbers)
    const wBits = kind === 'observed' ? fc.integer({ min: 0, max: 20 }) : kind === 'wide' ? fc.integer({ min: 40, max: 53 }) : fc.constant(undefined);
    const xBits = kind === 'observed' ? fc.integer({ min: 0, max: 12 }) : fc.constant(undefined);
    return fc.record({ wb: wBits, xb: xBits, stochAll: fc.boolean() }).chain(({ wb, xb }) =>
      fc.record({
        spec: fc.record({ overflow: arbOverflowFor(acc) }).map(({ overflow }): MacSpec => ({
          name: 'mac', input: s.input, weight: s.weight, acc, accOverflow: overflow.overflow, accNBits: overflow.nBits, product: s.product, bias: biasFormat,
        })),
        rows: fc.constant(s.rows),
        cols: fc.constant(s.cols),
        w: arbVec(s.weight, s.rows * s.cols, { bits: wb, extremes: kind === 'edge' }),
        x: arbVec(s.input, s.cols, { bits: xb, zeros: kind !== 'edge', extremes: kind === 'edge' }),
        bias: biasFormat ? fc.option(arbVec(biasFormat, s.rows, { bits: kind === 'observed' ? 16 : undefined }), { nil: undefined }) : fc.constant(undefined),
        stoch: fc.constant(s.product?.modes.rounding === 'STOCH'),
      }),
    );
  });
}

// ---------------------------------------------------------------- activation parameters

/** Valid parameters for every registered activation (registry.test.ts checks none is missing). */
export const ACTIVATION_PARAMS: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  linear: fc.constant({}),
  relu: fc.constant({}),
  leaky_relu: fc.oneof(
    fc.integer({ min: 1, max: 30 }).map((shift) => ({ shift })),
    // dyadic slopes without a format: m / 2^k
    fc.record({ m: fc.integer({ min: -40, max: 40 }), k: fc.integer({ min: 0, max: 12 }) }).map(({ m, k }) => ({ slope: m / 2 ** k })),
    // decimal slopes quantized into a format (mode from the spelling, default TRN)
    fc
      .record({
        slope: fc.constantFrom('0.01', '0.1', '0.2', '0.3', '-0.25', '1.5', 0.125, '3', '0'),
        w: fc.integer({ min: 3, max: 20 }),
        i: fc.integer({ min: -2, max: 3 }),
        q: fc.constantFrom('', ',AP_RND', ',AP_RND_CONV', ',AP_TRN_ZERO'),
      })
      .map(({ slope, w, i, q }) => ({ slope, slope_format: `ap_fixed<${w},${i}${q}>` }))
      // out of range for the format is a config error (tested in leaky_relu.test.ts)
      .filter((p) => typeof resolveSlope(p) !== 'string'),
  ),
  clipped_relu: fc.oneof(
    fc.constant({}),
    fc.record({ m: fc.integer({ min: 1, max: 100 }), k: fc.integer({ min: -3, max: 10 }) }).map(({ m, k }) => ({ cap: m / 2 ** k })),
    fc.constantFrom({ cap: '6' }, { cap: '0.75' }, { cap: 1 }, { cap: '1e2' }),
  ),
  hard_sigmoid: fc.oneof(fc.constant({}), fc.integer({ min: 0, max: 30 }).map((slope_shift) => ({ slope_shift }))),
  hard_tanh: fc.constant({}),
};

/** Input formats for activations: narrow and wide, fractions below 0 and above W. */
export const arbActInput: fc.Arbitrary<Format> = fc.oneof(
  { weight: 3, arbitrary: arbFormat({ maxWidth: 24, fracSlack: 6 }) },
  { weight: 1, arbitrary: arbFormat({ minWidth: 40, maxWidth: 70, fracSlack: 6 }) },
);

/** The numbers of a fast-path result; fails if the unit took the BigInt path. */
export function nums(v: RawVec): number[] {
  if (!(v instanceof Float64Array)) throw new Error('expected the fast path (a Float64Array result)');
  return Array.from(v);
}
