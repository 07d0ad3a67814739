import { z } from 'zod';
import { magnitudeBits } from '../../core/exact.ts';
import { makeFormat } from '../../core/format.ts';
import type { ActivationDef } from '../activation.ts';

/**
 * Hard tanh: f(x) = clamp(x, -1, 1). Exact at E = max(input.frac, 0) fraction bits
 * (extraFrac = max(0, -input.frac)): when input.frac < 0 the value 1 is not a multiple of the
 * input LSB, and every non-zero input is beyond ±1, so f is -1, 0 or 1 there.
 */
export const hardTanh: ActivationDef<Record<string, never>> = {
  name: 'hard_tanh',
  summary: 'f(x) = clamp(x, -1, 1)',
  derivative: "f'(x) = 1 for -1 < x < 1, else 0 (0 at x = ±1), as ufixed<1,1> (raw 1 or 0, frac 0)",
  params: z.strictObject({}),
  create(_p, input) {
    const extra = Math.max(0, -input.frac);
    const e = input.frac + extra; // >= 0
    const bExtra = BigInt(extra);
    const one = 1n << BigInt(e);
    const oneN = 2 ** e;
    return {
      extraFrac: extra,
      growBits: Math.min(extra, e - magnitudeBits(input)),
      exactRef: (r) => {
        const u = r << bExtra;
        return u <= -one ? -one : u >= one ? one : u;
      },
      // extra > 0: e = 0 and |r << extra| >= 2 for r != 0
      exactFast: (r) => (extra > 0 ? (r > 0 ? 1 : r < 0 ? -1 : 0) : r <= -oneN ? -oneN : r >= oneN ? oneN : r),
      derivFormat: makeFormat(false, 1, 0),
      derivRef: (r) => {
        const u = r << bExtra;
        return u > -one && u < one ? 1n : 0n;
      },
      derivFast: (r) => (extra > 0 ? (r === 0 ? 1 : 0) : r > -oneN && r < oneN ? 1 : 0),
    };
  },
};
