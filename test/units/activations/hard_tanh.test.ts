import { describe, expect, it } from 'vitest';
import { formatName, makeFormat } from '../../../src/core/format.ts';
import { ACTIVATIONS } from '../../../src/units/activations/index.ts';
import { checkAgainstOracle, derivOf, exactOf, expectFastMatches, kernelOf, unitOf } from '../../helpers/activation-check.ts';
import { clamp, cmp, ONE, q, ZERO } from '../../helpers/rational.ts';

const MINUS_ONE = q(-1n);

describe('hard_tanh', () => {
  it('hand-checked: clamp(x, -1, 1) on fixed<8,4>', () => {
    const k = kernelOf('hard_tanh', {}, makeFormat(true, 8, 4));
    const xs = [-128, -17, -16, -15, 0, 15, 16, 17, 127];
    expect(exactOf(k, xs)).toEqual([-16n, -16n, -16n, -15n, 0n, 15n, 16n, 16n, 16n]);
    expect(derivOf(k, xs)).toEqual([0n, 0n, 0n, 1n, 1n, 1n, 0n, 0n, 0n]);
    expect([k.extraFrac, k.growBits, formatName(k.derivFormat)]).toEqual([0, -3, 'ufixed<1,1>']);
    expectFastMatches(k, xs);
  });

  it('hand-checked: input frac < 0 (1 is not a multiple of the LSB), unsigned and tiny inputs', () => {
    // fixed<6,8>: LSB 4, so every non-zero input is beyond ±1; computed at frac 0
    const coarse = kernelOf('hard_tanh', {}, makeFormat(true, 6, -2));
    expect(coarse.extraFrac).toBe(2);
    expect(exactOf(coarse, [-32, -1, 0, 2, 31])).toEqual([-1n, -1n, 0n, 1n, 1n]);
    expect(derivOf(coarse, [-1, 0, 2])).toEqual([0n, 1n, 0n]);
    expectFastMatches(coarse, [-32, -1, 0, 2, 31]);
    // ufixed<8,4>
    expect(exactOf(kernelOf('hard_tanh', {}, makeFormat(false, 8, 4)), [0, 20, 255])).toEqual([0n, 16n, 16n]);
    // fixed<4,-4> (frac 8): all values below 1/32, unchanged
    expect(exactOf(kernelOf('hard_tanh', {}, makeFormat(true, 4, 8)), [-8, 7])).toEqual([-8n, 7n]);
  });

  it('hand-checked: unit with a narrower output, TRN', () => {
    // fixed<8,4> -> fixed<4,2> (frac 2): -0.9375 -> TRN -1.0 (raw -4); 0.9375 -> 0.75 (raw 3); 5 -> 1 (raw 4)
    const u = unitOf('hard_tanh', {}, makeFormat(true, 8, 4), makeFormat(true, 4, 2), { rounding: 'TRN', overflow: 'SAT', nBits: 0 });
    expect(Array.from(u.run(Float64Array.of(-15, 15, 80)) as Float64Array)).toEqual([-4, 3, 4]);
    expect(u.counters).toMatchObject({ values: 3, inexact: 2, overflows: 0 });
  });

  it('params: none', () => {
    expect(ACTIVATIONS.hard_tanh.params.safeParse({}).success).toBe(true);
    expect(ACTIVATIONS.hard_tanh.params.safeParse({ min: -1 }).success).toBe(false);
  });

  it('matches the exact rational f and f\'', () =>
    checkAgainstOracle('hard_tanh', {
      f: (x) => clamp(x, MINUS_ONE, ONE),
      d: (x) => (cmp(x, MINUS_ONE) > 0 && cmp(x, ONE) < 0 ? ONE : ZERO),
    }));
});
