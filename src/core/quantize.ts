import type { EventCounters } from './events.ts';
import type { QuantMode } from './modes.ts';
import type { RandomSource } from './random.ts';
import { inputError } from './errors.ts';

/**
 * The reference (BigInt) quantizer: drop k > 0 fraction bits of raw value r, deciding on the
 * exact discarded bits in one step. With q = floor(r / 2^k), rem = r - q*2^k, half = 2^(k-1),
 * each deterministic mode returns the increment (0 or 1) to add to q. This is the living
 * definition; the fast kernels are tested against it.
 */
type Increment = (q: bigint, rem: bigint, half: bigint, negative: boolean) => boolean;

const odd = (q: bigint) => (q & 1n) === 1n;

export const ROUNDING: Readonly<Record<Exclude<QuantMode, 'STOCH'>, Increment>> = {
  TRN: () => false,
  TRN_ZERO: (_q, rem, _h, neg) => neg && rem > 0n,
  TRN_INF: (_q, rem) => rem > 0n,
  TRN_AWAY: (_q, rem, _h, neg) => !neg && rem > 0n,
  RND: (_q, rem, half) => rem >= half,
  RND_ZERO: (_q, rem, half, neg) => rem > half || (rem === half && neg),
  RND_MIN_INF: (_q, rem, half) => rem > half,
  RND_INF: (_q, rem, half, neg) => rem > half || (rem === half && !neg),
  RND_CONV: (q, rem, half) => rem > half || (rem === half && odd(q)),
  RND_CONV_ODD: (q, rem, half) => rem > half || (rem === half && !odd(q)),
};

/** Quantize raw r by dropping k bits (k <= 0 is exact: a left shift by -k). */
export function quantizeRef(r: bigint, k: number, mode: QuantMode, rng?: RandomSource, counters?: EventCounters): bigint {
  if (k <= 0) return r << BigInt(-k);
  const bk = BigInt(k);
  let out: bigint;
  if (mode === 'STOCH') {
    if (!rng) inputError('STOCH rounding needs a random source');
    // exact values stay exact: r + u with u < 2^k never crosses the next multiple
    out = (r + rng.bits(k)) >> bk;
    if (counters) counters.stochasticDraws++;
  } else {
    const q = r >> bk; // BigInt >> is floor division by 2^k
    const rem = r - (q << bk);
    out = rem !== 0n && ROUNDING[mode](q, rem, 1n << (bk - 1n), r < 0n) ? q + 1n : q;
  }
  if (counters) {
    if (out << bk !== r) counters.inexact++;
    if (out === 0n && r !== 0n) counters.toZero++;
  }
  return out;
}
