import type { EventCounters } from './events.ts';
import type { Format } from './format.ts';
import type { OverflowMode, QuantMode } from './modes.ts';
import { overflowRef } from './overflow.ts';
import { quantizeRef } from './quantize.ts';
import type { RandomSource } from './random.ts';

/** How a narrowing step behaves: the modes of one assignment. */
export interface CastModes {
  rounding: QuantMode;
  overflow: OverflowMode;
  nBits: number;
}

export const DEFAULT_CAST: Readonly<CastModes> = Object.freeze({ rounding: 'TRN', overflow: 'WRAP', nBits: 0 });

/**
 * Reference cast of a raw value from one format to another: align the binary point
 * (quantize when fraction bits are dropped, exact left shift otherwise), then overflow.
 * The input is a (sign-extended) raw value; use fromBits() first for a bit pattern.
 * Callers count `values` themselves (a unit knows what one value is; a cast inside it may not).
 */
export function castRef(r: bigint, from: Format, to: Format, modes: CastModes, rng?: RandomSource, counters?: EventCounters): bigint {
  const q = quantizeRef(r, from.frac - to.frac, modes.rounding, rng, counters);
  return overflowRef(q, to, modes.overflow, modes.nBits, counters);
}
