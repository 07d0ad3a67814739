import { describe, expect, it } from 'vitest';
import { formatName, makeFormat } from '../../../src/core/format.ts';
import { ACTIVATIONS } from '../../../src/units/activations/index.ts';
import { checkAgainstOracle, derivOf, exactOf, expectFastMatches, kernelOf, unitOf } from '../../helpers/activation-check.ts';
import { add, clamp, cmp, HALF, mul, ONE, pow2q, ZERO, type Q } from '../../helpers/rational.ts';

const shiftOf = (p: Record<string, unknown>) => (p.slope_shift as number | undefined) ?? 2;
const inner = (x: Q, p: Record<string, unknown>) => add(mul(x, pow2q(-shiftOf(p))), HALF);

describe('hard_sigmoid', () => {
  it('hand-checked: default slope 1/4 on fixed<8,4>', () => {
    const k = kernelOf('hard_sigmoid', {}, makeFormat(true, 8, 4));
    // exact at frac 6: clamp(x/4 + 1/2, 0, 1); 1/2 = raw 32, 1 = raw 64
    // x = -8, -2, -1.9375, -1, 0, 1, 1.9375, 2, 7.9375
    const xs = [-128, -32, -31, -16, 0, 16, 31, 32, 127];
    expect(exactOf(k, xs)).toEqual([0n, 0n, 1n, 16n, 32n, 48n, 63n, 64n, 64n]);
    // 2^-2 (raw 1 in ufixed<1,-1>) strictly between the corners x = -2 and x = 2
    expect(derivOf(k, xs)).toEqual([0n, 0n, 1n, 1n, 1n, 1n, 1n, 0n, 0n]);
    expect([k.extraFrac, k.growBits, formatName(k.derivFormat), k.derivFormat.frac]).toEqual([2, -1, 'ufixed<1,-1>', 2]);
    expectFastMatches(k, xs);
  });

  it('hand-checked: coarse inputs need extra fraction bits for 1/2', () => {
    // slope 1 on integers: clamp(x + 1/2, 0, 1) at frac 1
    const k0 = kernelOf('hard_sigmoid', { slope_shift: 0 }, makeFormat(true, 4, 0));
    expect(k0.extraFrac).toBe(1);
    expect(exactOf(k0, [-8, -1, 0, 1, 7])).toEqual([0n, 0n, 1n, 2n, 2n]);
    expect(derivOf(k0, [-1, 0, 1])).toEqual([0n, 1n, 0n]);
    expect(formatName(k0.derivFormat)).toBe('ufixed<1,1>');
    // LSB 8 (frac -3), slope 1/2: every non-zero input is past a corner
    const k1 = kernelOf('hard_sigmoid', { slope_shift: 1 }, makeFormat(true, 4, -3));
    expect(k1.extraFrac).toBe(4);
    expect(exactOf(k1, [-8, -1, 0, 1, 7])).toEqual([0n, 0n, 1n, 2n, 2n]);
    expectFastMatches(k1, [-8, -1, 0, 1, 7]);
  });

  it('hand-checked: unit output ufixed<8,0> (frac 8), RND', () => {
    // x = 0.0625 (raw 1 in fixed<8,4>) -> 0.515625 = raw 132 at frac 8, exact; x = 0.5 -> 0.625 = 160
    const u = unitOf('hard_sigmoid', {}, makeFormat(true, 8, 4), makeFormat(false, 8, 8), { rounding: 'RND', overflow: 'SAT', nBits: 0 });
    // 1.0 does not fit ufixed<8,0>: x = 2 saturates to 255 (overflow counted)
    expect(Array.from(u.run(Float64Array.of(1, 8, -40, 32)) as Float64Array)).toEqual([132, 160, 0, 255]);
    expect(u.counters).toMatchObject({ values: 4, inexact: 0, overflows: 1, saturations: 1 });
  });

  it('rejects bad params', () => {
    for (const p of [{ slope_shift: -1 }, { slope_shift: 31 }, { slope_shift: 1.5 }, { slope_shift: '2' }, { slope: 0.2 }]) {
      expect(ACTIVATIONS.hard_sigmoid.params.safeParse(p).success, JSON.stringify(p)).toBe(false);
    }
  });

  it('matches the exact rational f and f\'', () =>
    checkAgainstOracle('hard_sigmoid', {
      f: (x, p) => clamp(inner(x, p), ZERO, ONE),
      d: (x, p) => {
        const v = inner(x, p);
        return cmp(v, ZERO) > 0 && cmp(v, ONE) < 0 ? pow2q(-shiftOf(p)) : ZERO;
      },
    }));
});
