import type { CastModes } from './cast.ts';
import type { EventCounters } from './events.ts';
import type { Format } from './format.ts';
import type { OverflowMode, QuantMode } from './modes.ts';
import type { RandomSource } from './random.ts';
import { inputError } from './errors.ts';
import { ROUNDING } from './quantize.ts';

/**
 * Fast scalar kernels on numbers. Preconditions (checked by the callers through exact.ts):
 * inputs are integers with |r| <= 2^53 and every intermediate stays within 2^53, so each
 * operation below is exact in float64. They mirror quantize.ts / overflow.ts mode for mode;
 * fast-check properties prove them equal to the BigInt reference.
 */
export function quantizeFast(r: number, k: number, mode: QuantMode, rng?: RandomSource, counters?: EventCounters): number {
  if (k <= 0) return r * 2 ** -k;
  const p = 2 ** k;
  let out: number;
  if (mode === 'STOCH') {
    if (!rng) inputError('STOCH rounding needs a random source');
    out = k <= 53 ? stochNarrow(r, p, rng.bitsNumber(k)) : stochWide(r, k, rng);
    if (counters) counters.stochasticDraws++;
  } else if (k > 53) {
    out = roundWide(r, k, mode);
  } else {
    const q = Math.floor(r / p);
    const rem = r - q * p;
    out = rem !== 0 && roundUp(mode, q, rem, p / 2, r < 0) ? q + 1 : q;
  }
  if (counters) {
    if (out * p !== r) counters.inexact++;
    if (out === 0 && r !== 0) counters.toZero++;
  }
  return out;
}

/**
 * floor((r + u) / p) without forming r + u, which passes 2^53 (and rounds) when r is near 2^53:
 * r = 2^53, u = 3, p = 4 gave 2^51 + 1. With q = floor(r/p) and rem = r - q*p (both exact),
 * the sum crosses the next multiple exactly when u >= p - rem.
 */
function stochNarrow(r: number, p: number, u: number): number {
  const q = Math.floor(r / p);
  return u >= p - (r - q * p) ? q + 1 : q;
}

/** k > 53 with |r| <= 2^53: r + u may pass 2^53, so do this one in BigInt. */
function stochWide(r: number, k: number, rng: RandomSource): number {
  return Number((BigInt(r) + rng.bits(k)) >> BigInt(k));
}

/**
 * k > 53 with |r| <= 2^53: rem = r + 2^k (r < 0) is not exact in float64 (r = 1 - 2^53, k = 54 gives
 * rem 2^53 + 1, rounded to the tie 2^53), so decide this one on BigInts like the reference.
 */
function roundWide(r: number, k: number, mode: Exclude<QuantMode, 'STOCH'>): number {
  const bk = BigInt(k);
  const br = BigInt(r);
  const q = br >> bk;
  const rem = br - (q << bk);
  return Number(rem !== 0n && ROUNDING[mode](q, rem, 1n << (bk - 1n), r < 0) ? q + 1n : q);
}

/**
 * The rounding decision of the three modes training loops use most, for 0 < rem < 2^k: TRN never
 * rounds up, RND on rem >= half, RND_CONV on rem > half or a tie with q odd. Small enough to be
 * inlined into hot loops, which then hold no rounding rule of their own.
 */
export function roundsUpTrnRndConv(mode: QuantMode, q: number, rem: number, half: number): boolean {
  return mode === 'RND' ? rem >= half : mode === 'RND_CONV' && (rem > half || (rem === half && (q & 1) !== 0));
}

/** Does a hot loop's mode have roundsUpTrnRndConv's rule? */
export const isTrnRndConv = (mode: QuantMode): boolean => mode === 'TRN' || mode === 'RND' || mode === 'RND_CONV';

function roundUp(mode: QuantMode, q: number, rem: number, half: number, neg: boolean): boolean {
  switch (mode) {
    case 'TRN': return false;
    case 'TRN_ZERO': return neg;
    case 'TRN_INF': return true;
    case 'TRN_AWAY': return !neg;
    case 'RND': return rem >= half;
    case 'RND_ZERO': return rem > half || (rem === half && neg);
    case 'RND_MIN_INF': return rem > half;
    case 'RND_INF': return rem > half || (rem === half && !neg);
    case 'RND_CONV': return rem > half || (rem === half && (q & 1) !== 0);
    case 'RND_CONV_ODD': return rem > half || (rem === half && (q & 1) === 0);
    default: return false;
  }
}

/** Precomputed bounds of one overflow step: the constants the reference recomputes as BigInts. */
export interface OverflowPlan {
  readonly lo: number;
  readonly hi: number;
  readonly mode: OverflowMode;
  readonly nBits: number;
  readonly width: number;
  readonly signed: boolean;
  /** most negative code (lo differs from it only for signed SAT_SYM) */
  readonly min: number;
  /** 2^W and, for n_bits > 0, 2^(W-n) with the base added to the wrapped low bits on positive overflow */
  readonly modulus: number;
  readonly lowModulus: number;
  readonly highBase: number;
}

export function overflowPlan(f: Format, mode: OverflowMode, nBits = 0): OverflowPlan {
  const hi = f.signed ? 2 ** (f.width - 1) - 1 : 2 ** f.width - 1;
  const lo = f.signed ? (mode === 'SAT_SYM' ? -hi : -(2 ** (f.width - 1))) : 0;
  const lowModulus = 2 ** (f.width - Math.min(nBits, f.width));
  const highBase = (f.signed ? 2 ** (f.width - 1) : 2 ** f.width) - lowModulus;
  return { lo, hi, mode, nBits, width: f.width, signed: f.signed, min: f.signed ? -(2 ** (f.width - 1)) : 0, modulus: 2 ** f.width, lowModulus, highBase };
}

/** r mod m in [0, m). Not ((r % m) + m) % m: for m = 2^53 that sum passes 2^53 and rounds. `+ 0` turns -0 into 0. */
const modn = (r: number, m: number) => {
  const x = r % m;
  return x < 0 ? x + m : x + 0;
};
const bitAt = (r: number, i: number) => Math.floor(r / 2 ** i) & 1; // two's complement bit of an exact integer, i <= 53

// No closures in here: tsx compiles with keepNames, which wraps every closure creation in a call.
export function overflowFast(r: number, p: OverflowPlan, counters?: EventCounters): number {
  if (r >= p.lo && r <= p.hi) return r;
  const under = r < p.lo;
  const mode = p.mode;
  if (counters) {
    counters.overflows++;
    if (mode === 'SAT' || mode === 'SAT_SYM' || mode === 'SAT_ZERO') counters.saturations++;
  }
  const w = p.width;
  const n = p.nBits;
  if (mode === 'SAT_ZERO') return 0;
  if (mode === 'SAT_SYM' && p.signed && under) return p.lo;
  if (mode === 'SAT' || mode === 'SAT_SYM' || n >= w) return under ? p.min : p.hi;
  let v = r;
  if (mode === 'WRAP_SM') {
    const neg = r < 0;
    const invert = n === 0 ? bitAt(r, w) !== bitAt(r, w - 1) : n === 1 ? neg !== (bitAt(r, w - 1) === 1) : neg === (bitAt(r, w - n) === 1);
    // -r - 1 is not a double for r = 2^53 (it rounds to -2^53); both wraps below work mod 2^W,
    // so take the congruent 2^W - r - 1 there, which is exact
    if (invert) v = r === 2 ** 53 ? p.modulus - r - 1 : -r - 1;
    if (n === 1) return wrapAll(v, p);
  }
  return n === 0 ? wrapAll(v, p) : wrapTop(v, p, under);
}

/** All W bits wrap (two's complement). */
function wrapAll(v: number, p: OverflowPlan): number {
  const x = modn(v, p.modulus);
  return p.signed && x > p.hi ? x - p.modulus : x;
}

/** The low W - n bits wrap; the top n saturate toward the side of the overflow. */
function wrapTop(v: number, p: OverflowPlan, under: boolean): number {
  const low = modn(v, p.lowModulus);
  return under ? low + p.min : low + p.highBase;
}

/** Cast one raw number from `from` to `to`; callers guarantee castFitsFast(from, to). */
export function castFast(r: number, from: Format, plan: OverflowPlan, to: Format, modes: CastModes, rng?: RandomSource, counters?: EventCounters): number {
  return overflowFast(quantizeFast(r, from.frac - to.frac, modes.rounding, rng, counters), plan, counters);
}

/**
 * Cast a whole vector (src and dst may be the same array). Same results as castFast element
 * by element, with the per-call constants hoisted and the common deterministic modes inlined.
 */
export function castVectorFast(src: Float64Array, dst: Float64Array, k: number, modes: CastModes, plan: OverflowPlan, rng?: RandomSource, counters?: EventCounters): void {
  const n = src.length;
  const mode = modes.rounding;
  if (k === 0) {
    // no bits dropped: only the overflow step (STOCH draws nothing either, as quantizeFast)
    for (let i = 0; i < n; i++) {
      const r = src[i];
      dst[i] = r >= plan.lo && r <= plan.hi ? r : overflowFast(r, plan, counters);
    }
    return;
  }
  const inline = k > 0 && k <= 53 && isTrnRndConv(mode);
  if (!inline) {
    for (let i = 0; i < n; i++) dst[i] = overflowFast(quantizeFast(src[i], k, mode, rng, counters), plan, counters);
    return;
  }
  const p = 2 ** k;
  const inv = 1 / p; // exact: a power of two
  const half = p / 2;
  const lo = plan.lo;
  const hi = plan.hi;
  let inexact = 0;
  let toZero = 0;
  for (let i = 0; i < n; i++) {
    const r = src[i];
    let q = Math.floor(r * inv);
    const rem = r - q * p;
    if (rem !== 0) {
      inexact++;
      if (roundsUpTrnRndConv(mode, q, rem, half)) q++;
      if (q === 0) toZero++;
    }
    dst[i] = q >= lo && q <= hi ? q : overflowFast(q, plan, counters);
  }
  if (counters) {
    counters.inexact += inexact;
    counters.toZero += toZero;
  }
}
