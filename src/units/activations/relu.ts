import { z } from 'zod';
import { makeFormat } from '../../core/format.ts';
import type { ActivationDef } from '../activation.ts';

export const relu: ActivationDef<Record<string, never>> = {
  name: 'relu',
  summary: 'f(x) = max(x, 0)',
  derivative: "f'(x) = 1 if x > 0 else 0, as ufixed<1,1> (the study's convention: 0 at x = 0)",
  params: z.strictObject({}),
  create: () => ({
    extraFrac: 0,
    growBits: 0,
    exactRef: (r) => (r > 0n ? r : 0n),
    exactFast: (r) => (r > 0 ? r : 0),
    derivFormat: makeFormat(false, 1, 0),
    derivRef: (r) => (r > 0n ? 1n : 0n),
    derivFast: (r) => (r > 0 ? 1 : 0),
  }),
};
