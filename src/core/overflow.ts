import type { EventCounters } from './events.ts';
import { maxRaw, minRaw, type Format } from './format.ts';
import type { OverflowMode } from './modes.ts';
import { inputError } from './errors.ts';

/**
 * The reference (BigInt) overflow step: bring raw value r (already at the target LSB) into
 * W bits. In-range values pass unchanged except SAT_SYM's most negative code, as SystemC does.
 * The WRAP/WRAP_SM n_bits rules follow SystemC 2.3.4 scfx_rep::overflow, in raw-integer terms.
 */
type Resolve = (r: bigint, f: Format, nBits: number, under: boolean) => bigint;

const pow2 = (n: number) => 1n << BigInt(n);
/** r mod m in [0, m) */
const mod = (r: bigint, m: bigint) => ((r % m) + m) % m;
const bit = (r: bigint, i: number) => (r >> BigInt(i)) & 1n;

function wrapAll(r: bigint, f: Format): bigint {
  const m = pow2(f.width);
  const v = mod(r, m);
  return f.signed && v > maxRaw(f) ? v - m : v;
}

const saturate = (f: Format, under: boolean) => (under ? minRaw(f) : maxRaw(f));

/** Lowest W - n bits wrap; the top n bits saturate toward the side r overflowed on. */
function wrapKeepingTopBits(r: bigint, f: Format, nBits: number, under: boolean): bigint {
  const x = pow2(f.width - nBits);
  const low = mod(r, x);
  if (under) return low + minRaw(f);
  return low + (f.signed ? pow2(f.width - 1) : pow2(f.width)) - x;
}

export const OVERFLOW: Readonly<Record<OverflowMode, Resolve>> = {
  SAT: (_r, f, _n, under) => saturate(f, under),
  SAT_ZERO: () => 0n,
  SAT_SYM: (_r, f, _n, under) => (f.signed && under ? -maxRaw(f) : saturate(f, under)),
  WRAP: (r, f, n, under) => (n === 0 ? wrapAll(r, f) : n < f.width ? wrapKeepingTopBits(r, f, n, under) : saturate(f, under)),
  WRAP_SM: (r, f, n, under) => {
    const w = f.width;
    if (n >= w) return saturate(f, under);
    const neg = r < 0n;
    // "invert conditionally": -r - 1 is the one's complement of r
    let invert: boolean;
    if (n === 0) invert = bit(r, w) !== bit(r, w - 1);
    else if (n === 1) invert = neg !== (bit(r, w - 1) === 1n);
    else invert = neg === (bit(r, w - n) === 1n);
    const v = invert ? -r - 1n : r;
    return n <= 1 ? wrapAll(v, f) : wrapKeepingTopBits(v, f, n, under);
  },
};

/** Is r out of range for this mode? SAT_SYM treats the most negative signed code as out of range. */
function lowBound(f: Format, mode: OverflowMode): bigint {
  return mode === 'SAT_SYM' && f.signed ? -maxRaw(f) : minRaw(f);
}

export function checkOverflowArgs(f: Format, mode: OverflowMode, nBits: number, where?: string): void {
  if (mode === 'WRAP_SM' && !f.signed) inputError('WRAP_SM overflow is defined for signed formats only', where);
  if (!Number.isInteger(nBits) || nBits < 0) inputError(`n_bits must be an integer >= 0, got ${nBits}`, where);
  if (nBits > f.width) inputError(`n_bits ${nBits} exceeds the format width ${f.width}`, where);
}

export function overflowRef(r: bigint, f: Format, mode: OverflowMode, nBits = 0, counters?: EventCounters): bigint {
  const under = r < lowBound(f, mode);
  if (!under && r <= maxRaw(f)) return r;
  if (counters) {
    counters.overflows++;
    if (mode === 'SAT' || mode === 'SAT_SYM' || mode === 'SAT_ZERO') counters.saturations++;
  }
  return OVERFLOW[mode](r, f, nBits, under);
}
