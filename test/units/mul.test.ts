import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castRef } from '../../src/core/cast.ts';
import { referenceOnly } from '../../src/core/exact.ts';
import { makeFormat, type Format } from '../../src/core/format.ts';
import { Lfsr } from '../../src/core/random.ts';
import { MulUnit } from '../../src/units/mul.ts';
import { toBigVec } from '../../src/units/vec.ts';
import { arbBigIntIn, arbCastModes, hi, lo } from '../helpers/arbitraries.ts';

const S = (w: number, f: number): Format => makeFormat(true, w, f);
const U = (w: number, f: number): Format => makeFormat(false, w, f);

describe('MulUnit: out[i] = cast(a[i] * b[i])', () => {
  it('hand-checked: delta = e * relu\'(z), and a leaky slope narrowed with RND_CONV', () => {
    const relu = new MulUnit({ name: 'd', a: S(17, 8), b: U(1, 0), output: S(16, 8), modes: { rounding: 'TRN', overflow: 'SAT', nBits: 0 } });
    expect(Array.from(relu.run(new Float64Array([300, -5, 40000]), new Float64Array([1, 0, 1])) as Float64Array)).toEqual([300, 0, 32767]);
    expect(relu.counters).toMatchObject({ values: 3, overflows: 1, saturations: 1 });
    // b = 1 (raw 8 at frac 3) or 1/8 (raw 1): product frac 11, narrowed to frac 8 with ties to even
    const leaky = new MulUnit({ name: 'l', a: S(17, 8), b: U(4, 3), output: S(16, 8), modes: { rounding: 'RND_CONV', overflow: 'SAT', nBits: 0 } });
    // -12 * 1/8 = -1.5 LSB -> -2 (even); -20/8 = -2.5 -> -2; 8 * 8 / 8 = 8
    expect(Array.from(leaky.run(new Float64Array([-12, -20, 8]), new Float64Array([1, 1, 8])) as Float64Array)).toEqual([-2, -2, 8]);
  });

  it('fast == reference, wide declared formats proven on the data, and the STOCH stream', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 70 }), fc.integer({ min: -4, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: -4, max: 30 }),
      fc.integer({ min: 0, max: 40 }),
      (aw, af, bw, ow, of, small) => {
        const a = S(aw, af);
        const b = U(bw, Math.min(bw, 3));
        const out = S(ow, of);
        return fc.assert(fc.property(arbCastModes(out), fc.array(arbBigIntIn(-(2n ** BigInt(Math.min(small, aw - 1))), 2n ** BigInt(Math.min(small, aw - 1)) - 1n), { minLength: 4, maxLength: 4 }),
          fc.array(arbBigIntIn(lo(b), hi(b)), { minLength: 4, maxLength: 4 }), (modes, av, bv) => {
            const u1 = new MulUnit({ name: 'm', a, b, output: out, modes });
            const u2 = new MulUnit({ name: 'm', a, b, output: out, modes });
            const fast = u1.run(Float64Array.from(av, Number), Float64Array.from(bv, Number), new Lfsr(16, undefined, 3));
            const ref = referenceOnly(() => u2.run(av, bv, new Lfsr(16, undefined, 3)));
            expect(toBigVec(fast)).toEqual(ref);
            expect(u1.counters).toEqual(u2.counters);
            // and the reference is castRef of the exact product
            const r = new Lfsr(16, undefined, 3);
            expect(ref).toEqual(av.map((x, i) => castRef(x * bv[i], u1.product, out, modes, r)));
          }), { numRuns: 10 });
      }), { numRuns: 40 });
  });

  it('rejects operands of different lengths', () => {
    const m = new MulUnit({ name: 'm', a: S(8, 0), b: S(8, 0), output: S(8, 0), modes: { rounding: 'TRN', overflow: 'SAT', nBits: 0 } });
    expect(() => m.run(new Float64Array(2), new Float64Array(3))).toThrow(/2 and 3 values/);
  });
});
