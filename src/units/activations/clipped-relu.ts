import { z } from 'zod';
import { inputError } from '../../core/errors.ts';
import { FAST_LIMIT, magnitudeBits } from '../../core/exact.ts';
import { makeFormat } from '../../core/format.ts';
import type { ActivationDef } from '../activation.ts';
import { ceilLog2Abs, dyadicParam, type RealParam } from './params.ts';

export interface ClippedReluParams {
  /** the clip level, a positive binary fraction (default 1) */
  cap?: RealParam;
}

function resolveCap(p: ClippedReluParams): { raw: bigint; frac: number } | string {
  const d = dyadicParam(p.cap ?? 1, 'cap');
  if (typeof d === 'string') return d;
  if (d.raw <= 0n) return `cap must be > 0, got ${p.cap}`;
  return d;
}

const params = z
  .strictObject({ cap: z.union([z.number(), z.string()]).optional() })
  .superRefine((p, ctx) => {
    const c = resolveCap(p);
    if (typeof c === 'string') ctx.addIssue({ code: 'custom', message: c, path: ['cap'] });
  });

/**
 * Clipped ReLU: f(x) = min(max(x, 0), cap). The cap is exact: when it is not a multiple of the
 * input LSB the result is computed at E = max(input.frac, cap's frac) fraction bits
 * (extraFrac = E - input.frac), and the unit's output cast does the one rounding.
 */
export const clippedRelu: ActivationDef<ClippedReluParams> = {
  name: 'clipped_relu',
  summary: 'f(x) = min(max(x, 0), cap); params {cap} (a positive binary fraction, default 1)',
  derivative: "f'(x) = 1 for 0 < x < cap, else 0 (0 at x = 0 and x = cap), as ufixed<1,1> (raw 1 or 0, frac 0)",
  params,
  create(p, input) {
    const cap = resolveCap(p);
    if (typeof cap === 'string') inputError(`clipped_relu: ${cap}`);
    const extra = Math.max(0, cap.frac - input.frac);
    const capRaw = cap.raw << BigInt(input.frac + extra - cap.frac);
    const bExtra = BigInt(extra);
    const scale = 2 ** extra;
    // above 2^53 the cap is beyond any value the fast path sees (its results are <= 2^53)
    const capN = capRaw > BigInt(FAST_LIMIT) ? Infinity : Number(capRaw);
    return {
      extraFrac: extra,
      growBits: Math.min(extra, ceilLog2Abs(capRaw) - magnitudeBits(input)),
      exactRef: (r) => {
        if (r <= 0n) return 0n;
        const u = r << bExtra;
        return u < capRaw ? u : capRaw;
      },
      exactFast: (r) => {
        if (r <= 0) return 0;
        const u = r * scale;
        return u < capN ? u : capN;
      },
      derivFormat: makeFormat(false, 1, 0),
      derivRef: (r) => (r > 0n && r << bExtra < capRaw ? 1n : 0n),
      derivFast: (r) => (r > 0 && r * scale < capN ? 1 : 0),
    };
  },
};
