/**
 * Shared fast-check generators for the core tests: formats, modes, raw values in a format,
 * cast cases (including the fast-path boundary around 2^53), and a few BigInt helpers that
 * compute expectations independently of src/core.
 */
import fc from 'fast-check';
import type { CastModes } from '../../src/core/cast.ts';
import { makeFormat, type Format } from '../../src/core/format.ts';
import { OVERFLOW_MODE_NAMES, QUANT_MODE_NAMES, type OverflowMode, type QuantMode } from '../../src/core/modes.ts';
import type { RandomSource } from '../../src/core/random.ts';

// ---------------------------------------------------------------- modes

/** Deterministic rounding modes (everything but STOCH). */
export const DET_QUANT_MODES = QUANT_MODE_NAMES.filter((m) => m !== 'STOCH') as Exclude<QuantMode, 'STOCH'>[];
export const RND_MODES = ['RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV', 'RND_CONV_ODD'] as const;
export const TRN_MODES = ['TRN', 'TRN_ZERO', 'TRN_INF', 'TRN_AWAY'] as const;
/** The quantization modes SystemC defines (IEEE 1666 sc_q_mode). */
export const SYSTEMC_QUANT_MODES = ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV'] as const;

export const arbQuantMode: fc.Arbitrary<QuantMode> = fc.constantFrom(...QUANT_MODE_NAMES);
export const arbDetQuantMode: fc.Arbitrary<Exclude<QuantMode, 'STOCH'>> = fc.constantFrom(...DET_QUANT_MODES);
export const arbOverflowMode: fc.Arbitrary<OverflowMode> = fc.constantFrom(...OVERFLOW_MODE_NAMES);

/** An overflow mode legal for f (WRAP_SM is signed only) with n_bits in 0..W. */
export function arbOverflowFor(f: Format): fc.Arbitrary<{ overflow: OverflowMode; nBits: number }> {
  const modes = OVERFLOW_MODE_NAMES.filter((m) => f.signed || m !== 'WRAP_SM');
  return fc.record({
    overflow: fc.constantFrom(...modes),
    // n_bits matters only for WRAP/WRAP_SM; bias toward the interesting small values and W
    nBits: fc.oneof(fc.integer({ min: 0, max: Math.min(2, f.width) }), fc.integer({ min: 0, max: f.width }), fc.constant(f.width)),
  });
}

export function arbCastModes(to: Format, quant: fc.Arbitrary<QuantMode> = arbQuantMode): fc.Arbitrary<CastModes> {
  return fc.tuple(quant, arbOverflowFor(to)).map(([rounding, o]) => ({ rounding, overflow: o.overflow, nBits: o.nBits }));
}

// ---------------------------------------------------------------- formats and raw values

export interface FormatOpts {
  minWidth?: number;
  maxWidth?: number;
  signed?: boolean;
  /** frac is drawn from [-fracSlack, width + fracSlack], so F < 0 and F > W both occur. */
  fracSlack?: number;
}

export function arbFormat(opts: FormatOpts = {}): fc.Arbitrary<Format> {
  const { minWidth = 1, maxWidth = 70, fracSlack = 8 } = opts;
  const width = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: minWidth, max: maxWidth }) },
    { weight: 1, arbitrary: fc.integer({ min: minWidth, max: Math.min(maxWidth, minWidth + 7) }) },
  );
  const signed = opts.signed === undefined ? fc.boolean() : fc.constant(opts.signed);
  return fc
    .tuple(signed, width)
    .chain(([s, w]) => fc.integer({ min: -fracSlack, max: w + fracSlack }).map((frac) => makeFormat(s, w, frac)));
}

export const lo = (f: Format): bigint => (f.signed ? -(1n << BigInt(f.width - 1)) : 0n);
export const hi = (f: Format): bigint => (f.signed ? (1n << BigInt(f.width - 1)) - 1n : (1n << BigInt(f.width)) - 1n);

/** A bigint in [min, max], with the ends, zero, ±1 and powers of two near the ends over-represented. */
export function arbBigIntIn(min: bigint, max: bigint): fc.Arbitrary<bigint> {
  const edges = new Set<bigint>([min, max, min + 1n, max - 1n, 0n, 1n, -1n, 2n, -2n]);
  for (let e = 0n; (1n << e) <= (max > -min ? max : -min) + 1n; e++) {
    const p = 1n << e;
    for (const v of [p, p - 1n, p + 1n, -p, -p + 1n, -p - 1n]) edges.add(v);
  }
  const inRange = [...edges].filter((v) => v >= min && v <= max);
  return fc.oneof(
    { weight: 3, arbitrary: fc.bigInt({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(...inRange) },
  );
}

/** A raw value of format f. */
export const arbRaw = (f: Format): fc.Arbitrary<bigint> => arbBigIntIn(lo(f), hi(f));

/** Raw values wider than f: up to `extra` bits beyond its range on each side (for overflow tests). */
export function arbRawAround(f: Format, extra = 6): fc.Arbitrary<bigint> {
  const m = 1n << BigInt(f.width + extra);
  return fc.oneof(arbRaw(f), arbBigIntIn(-m, m), fc.constantFrom(lo(f) - 1n, hi(f) + 1n, lo(f) - (1n << BigInt(f.width)), hi(f) + (1n << BigInt(f.width))));
}

export interface CastCase {
  from: Format;
  to: Format;
  modes: CastModes;
  r: bigint;
}

export function arbCastCase(opts: { from?: FormatOpts; to?: FormatOpts; quant?: fc.Arbitrary<QuantMode> } = {}): fc.Arbitrary<CastCase> {
  return fc
    .tuple(arbFormat(opts.from), arbFormat(opts.to))
    .chain(([from, to]) => fc.record({ from: fc.constant(from), to: fc.constant(to), modes: arbCastModes(to, opts.quant), r: arbRaw(from) }));
}

/**
 * Moves a cast case's raw value onto (or next to) a rounding tie of the dropped bits, when the
 * cast drops bits and the tie is in the input range: random raws rarely hit ties otherwise.
 */
export function withTies(arb: fc.Arbitrary<CastCase>, weight = 1): fc.Arbitrary<CastCase> {
  const tied = fc.tuple(arb, fc.constantFrom(-1n, 0n, 0n, 1n)).map(([c, delta]) => {
    const k = c.from.frac - c.to.frac;
    if (k <= 0) return c;
    const r = floorDiv(c.r, k) * pow2(k) + pow2(k - 1) + delta;
    return r >= lo(c.from) && r <= hi(c.from) ? { ...c, r } : c;
  });
  return fc.oneof({ weight: 3, arbitrary: arb }, { weight, arbitrary: tied });
}

/**
 * Cast cases around the float64 boundary: widths mostly 48..56 (magnitudes near 2^53; targets up to 70), shifts
 * from -12 (left shift, growth) to 70 (dropping more than 53 bits). Many are fast-safe, many not.
 */
export function arbBoundaryCastCase(quant: fc.Arbitrary<QuantMode> = arbQuantMode): fc.Arbitrary<CastCase> {
  const width = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 48, max: 56 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 56 }) });
  // targets also past 56 bits: a wide signed target is fast-safe (nothing can overflow it)
  const toWidth = fc.oneof({ weight: 4, arbitrary: width }, { weight: 1, arbitrary: fc.integer({ min: 57, max: 70 }) });
  const shift = fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: -12, max: 12 }) },
    { weight: 1, arbitrary: fc.integer({ min: 40, max: 70 }) },
    { weight: 1, arbitrary: fc.constantFrom(-3, -1, 0, 1, 52, 53, 54, 55) },
  );
  return fc
    .record({ sf: fc.boolean(), wf: width, st: fc.boolean(), wt: toWidth, fracFrom: fc.integer({ min: -4, max: 60 }), shift })
    .chain(({ sf, wf, st, wt, fracFrom, shift: s }) => {
      const from = makeFormat(sf, wf, fracFrom);
      const to = makeFormat(st, wt, fracFrom - s);
      return fc.record({ from: fc.constant(from), to: fc.constant(to), modes: arbCastModes(to, quant), r: arbRaw(from) });
    });
}

// ---------------------------------------------------------------- independent BigInt helpers

export const pow2 = (n: number | bigint): bigint => 1n << BigInt(n);
export const absB = (x: bigint): bigint => (x < 0n ? -x : x);
/** floor(a / 2^k) for k >= 0, written with division so it does not reuse the code under test's >> idiom */
export function floorDiv(a: bigint, k: number): bigint {
  const d = pow2(k);
  const q = a / d; // truncates toward zero
  return a < 0n && q * d !== a ? q - 1n : q;
}
/** a mod m in [0, m) */
export const modB = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

// ---------------------------------------------------------------- random-source stubs

/** A RandomSource that always returns the same u (masked to k bits): lets a test pick the random bits. */
export function fixedBits(u: bigint): RandomSource & { calls: number } {
  const src = {
    kind: 'xoshiro128ss' as const,
    calls: 0,
    drawn: 0,
    bits(k: number): bigint {
      src.calls++;
      src.drawn += k;
      return u & (pow2(k) - 1n);
    },
    bitsNumber(k: number): number {
      return Number(src.bits(k));
    },
    state: () => `fixed:${u}`,
    stateWords: () => [],
  };
  return src;
}
