import { z } from 'zod';
import { makeFormat } from '../../core/format.ts';
import type { ActivationDef } from '../activation.ts';

export const linear: ActivationDef<Record<string, never>> = {
  name: 'linear',
  summary: 'f(x) = x',
  derivative: "f'(x) = 1, as ufixed<1,1> (raw 1, frac 0)",
  params: z.strictObject({}),
  create: () => ({
    extraFrac: 0,
    growBits: 0,
    exactRef: (r) => r,
    exactFast: (r) => r,
    derivFormat: makeFormat(false, 1, 0),
    derivRef: () => 1n,
    derivFast: () => 1,
  }),
};
