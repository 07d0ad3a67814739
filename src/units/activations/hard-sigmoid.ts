import { z } from 'zod';
import { makeFormat } from '../../core/format.ts';
import { magnitudeBits } from '../../core/exact.ts';
import type { ActivationDef } from '../activation.ts';

export interface HardSigmoidParams {
  /** slope 2^-slope_shift (default 2: slope 1/4) */
  slope_shift?: number;
}

/**
 * Hard sigmoid: f(x) = clamp(x * 2^-s + 1/2, 0, 1). Exact at E = input.frac + extraFrac fraction
 * bits with extraFrac = max(s, 1 - input.frac) (so x * 2^-s and 1/2 are both integers there):
 * u = r << (extraFrac - s), f = clamp(u + 2^(E-1), 0, 2^E).
 */
export const hardSigmoid: ActivationDef<HardSigmoidParams> = {
  name: 'hard_sigmoid',
  summary: 'f(x) = clamp(x * 2^-s + 1/2, 0, 1); params {slope_shift: s} (integer 0..30, default 2: slope 1/4)',
  derivative:
    "f'(x) = 2^-s where 0 < f(x) < 1 (-2^(s-1) < x < 2^(s-1)), else 0 (0 at both corners), " +
    'as ufixed<1,1-s> (width 1, frac s): raw 1 or 0',
  params: z.strictObject({ slope_shift: z.number().int().min(0).max(30).optional() }),
  create(p, input) {
    const s = p.slope_shift ?? 2;
    const extra = Math.max(s, 1 - input.frac);
    const t = extra - s; // > 0 only when input.frac + s < 1: then E = 1 and f is 0, 1/2 or 1 by the sign of x
    const e = input.frac + extra; // >= 1
    const bt = BigInt(t);
    const half = 1n << BigInt(e - 1);
    const halfN = 2 ** (e - 1);
    const middle = (u: bigint) => u > -half && u < half;
    return {
      extraFrac: extra,
      growBits: e - magnitudeBits(input),
      exactRef: (r) => {
        const u = r << bt;
        return u <= -half ? 0n : u >= half ? 2n * half : u + half;
      },
      exactFast: (r) => {
        if (t > 0) return r < 0 ? 0 : r === 0 ? 1 : 2;
        return r <= -halfN ? 0 : r >= halfN ? 2 * halfN : r + halfN;
      },
      derivFormat: makeFormat(false, 1, s),
      derivRef: (r) => (middle(r << bt) ? 1n : 0n),
      derivFast: (r) => (t > 0 ? (r === 0 ? 1 : 0) : r > -halfN && r < halfN ? 1 : 0),
    };
  },
};
