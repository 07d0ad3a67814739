import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAST_BITS, magnitudeBits } from '../../../src/core/exact.ts';
import { inRange, type Format } from '../../../src/core/format.ts';
import type { ActivationKernel } from '../../../src/units/activation.ts';
import { ACTIVATIONS } from '../../../src/units/activations/index.ts';
import { absB, arbRaw, hi, lo, pow2 } from '../../helpers/arbitraries.ts';
import { kernelOf } from '../../helpers/activation-check.ts';
import { ACTIVATION_PARAMS, arbActInput } from '../../helpers/unit-arbitraries.ts';

const ENTRIES = Object.entries(ACTIVATIONS);

/** The conditions under which ActivationUnit may run a kernel's fast functions (activation.ts), minus the output cast. */
const mayRunFast = (input: Format, k: ActivationKernel) =>
  magnitudeBits(input) <= FAST_BITS && magnitudeBits(input) + k.growBits <= FAST_BITS && magnitudeBits(k.derivFormat) <= FAST_BITS;

/** Random params, input format and raws, always including the format's ends, -1, 0 and 1. */
const arbKernelCase = (name: string) =>
  fc.tuple(ACTIVATION_PARAMS[name], arbActInput).chain(([params, input]) =>
    fc.record({
      params: fc.constant(params),
      input: fc.constant(input),
      rs: fc.array(arbRaw(input), { maxLength: 8 }).map((rs) => [...new Set([lo(input), hi(input), ...[-1n, 0n, 1n].filter((r) => inRange(r, input)), ...rs])]),
    }),
  );

describe('activation registry', () => {
  it('lists the expected activations', () => {
    expect(Object.keys(ACTIVATIONS).sort()).toEqual(['clipped_relu', 'hard_sigmoid', 'hard_tanh', 'leaky_relu', 'linear', 'relu']);
  });

  describe.each(ENTRIES)('%s', (key, def) => {
    it('is registered under its name, with a summary and a derivative that names its format', () => {
      expect(def.name).toBe(key);
      expect(def.summary.length).toBeGreaterThan(5);
      expect(def.derivative).toMatch(/^f'\(x\) = /);
      expect(def.derivative).toMatch(/fixed</);
      // every entry has valid-parameter generators for the property tests
      expect(ACTIVATION_PARAMS[key]).toBeDefined();
    });

    it('params: generated ones parse, unknown keys are rejected', () => {
      for (const p of fc.sample(ACTIVATION_PARAMS[key], 30)) {
        expect(def.params.safeParse(p).success, JSON.stringify(p)).toBe(true);
        expect(def.params.safeParse({ ...p, no_such_param: 1 }).success).toBe(false);
      }
      expect(def.params.safeParse('relu').success).toBe(false);
    });

    it('kernel contract: growBits bound, fast == ref, derivative format holds f\'', () => {
      let fastCases = 0;
      fc.assert(
        fc.property(arbKernelCase(key), ({ params, input, rs }) => {
          const k = kernelOf(key, params, input);
          expect(Number.isInteger(k.extraFrac) && k.extraFrac >= 0).toBe(true);
          const bound = magnitudeBits(input) + k.growBits;
          expect(bound).toBeGreaterThanOrEqual(0); // the unit's exactFormat needs width >= 1
          const fast = mayRunFast(input, k);
          if (fast) fastCases++;
          for (const r of rs) {
            const e = k.exactRef(r);
            expect(absB(e) <= pow2(bound), `|f(${r})| = ${absB(e)} > 2^${bound}`).toBe(true);
            const d = k.derivRef(r);
            expect(inRange(d, k.derivFormat), `f'(${r}) = ${d}`).toBe(true);
            if (fast) {
              expect(k.exactFast(Number(r))).toBe(Number(e));
              expect(k.derivFast(Number(r))).toBe(Number(d));
            }
          }
        }),
        { numRuns: 300 },
      );
      expect(fastCases).toBeGreaterThan(50);
    });

    it('the kernel depends on the input format only through its frac and sign (narrowed kernels agree)', () => {
      // ActivationUnit may run a kernel built for a narrower format of the same frac on small data
      fc.assert(
        fc.property(arbKernelCase(key), fc.integer({ min: 1, max: 8 }), ({ params, input, rs }, cut) => {
          if (input.width <= cut) return;
          const narrow = { ...input, width: input.width - cut };
          const k = kernelOf(key, params, input);
          const kn = kernelOf(key, params, narrow);
          expect(kn.extraFrac).toBe(k.extraFrac);
          for (const r of rs.filter((v) => inRange(v, narrow))) {
            expect(kn.exactRef(r)).toBe(k.exactRef(r));
            expect(kn.derivRef(r)).toBe(k.derivRef(r));
          }
        }),
        { numRuns: 100 },
      );
    });
  });
});
