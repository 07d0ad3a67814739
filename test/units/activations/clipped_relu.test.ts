import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../src/core/decimal.ts';
import { formatName, makeFormat } from '../../../src/core/format.ts';
import { ACTIVATIONS } from '../../../src/units/activations/index.ts';
import { checkAgainstOracle, derivOf, exactOf, expectFastMatches, kernelOf, unitOf } from '../../helpers/activation-check.ts';
import { clamp, cmp, ONE, q, ZERO, type Q } from '../../helpers/rational.ts';

const capOf = (p: Record<string, unknown>): Q => {
  if (p.cap === undefined) return ONE;
  const r = parseDecimal(String(p.cap));
  return q(r.num, r.den);
};

describe('clipped_relu', () => {
  it('hand-checked: default cap 1 on fixed<8,4>', () => {
    const k = kernelOf('clipped_relu', {}, makeFormat(true, 8, 4));
    const xs = [-128, -16, 0, 1, 15, 16, 17, 127];
    expect(exactOf(k, xs)).toEqual([0n, 0n, 0n, 1n, 15n, 16n, 16n, 16n]);
    // 1 strictly inside (0, cap), 0 at both corners
    expect(derivOf(k, xs)).toEqual([0n, 0n, 0n, 1n, 1n, 0n, 0n, 0n]);
    expect([k.extraFrac, formatName(k.derivFormat)]).toEqual([0, 'ufixed<1,1>']);
    expectFastMatches(k, xs);
  });

  it('hand-checked: cap 6 (ReLU6), a cap finer than the input LSB, a coarse input', () => {
    expect(exactOf(kernelOf('clipped_relu', { cap: 6 }, makeFormat(true, 8, 4)), [95, 96, 97, 127])).toEqual([95n, 96n, 96n, 96n]);
    // integer input, cap 0.75: exact at frac 2 -> 0.75 = raw 3; no integer lies strictly inside (0, 0.75)
    const fine = kernelOf('clipped_relu', { cap: '0.75' }, makeFormat(true, 4, 0));
    expect(fine.extraFrac).toBe(2);
    expect(exactOf(fine, [-3, 0, 1, 5])).toEqual([0n, 0n, 3n, 3n]);
    expect(derivOf(fine, [-3, 0, 1, 5])).toEqual([0n, 0n, 0n, 0n]);
    // input LSB 4 (fixed<8,10>): cap 1 is computed at frac 0; raw 1 (= 4) clips to 1
    const coarse = kernelOf('clipped_relu', {}, makeFormat(true, 8, -2));
    expect(coarse.extraFrac).toBe(2);
    expect(exactOf(coarse, [-1, 0, 1, 127])).toEqual([0n, 0n, 1n, 1n]);
    // cap '1e2' on the same input: 100 = raw 25
    expect(exactOf(kernelOf('clipped_relu', { cap: '1e2' }, makeFormat(true, 8, -2)), [24, 25, 26])).toEqual([24n, 25n, 25n]);
  });

  it('hand-checked: unit output ufixed<8,8> with RND', () => {
    // fixed<8,4> -> clip to [0, 6] -> integers, RND: 2.5 -> 3, 5.4375 -> 5, 7 -> 6
    const u = unitOf('clipped_relu', { cap: 6 }, makeFormat(true, 8, 4), makeFormat(false, 8, 0), { rounding: 'RND', overflow: 'SAT', nBits: 0 });
    expect(Array.from(u.run(Float64Array.of(40, 87, 112, -3)) as Float64Array)).toEqual([3, 5, 6, 0]);
    expect(u.counters).toMatchObject({ values: 4, inexact: 2, overflows: 0 });
  });

  it('rejects bad caps with a reason', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ cap: 0 }, /> 0/],
      [{ cap: -1 }, /> 0/],
      [{ cap: '0.1' }, /not a binary fraction/],
      [{ cap: 0.1 }, /not a binary fraction/],
      [{ cap: 'six' }, /not a decimal/],
      [{ cap: Number.NaN }, /./],
      [{ cap: 1, max: 2 }, /./],
    ];
    for (const [p, why] of bad) {
      const r = ACTIVATIONS.clipped_relu.params.safeParse(p);
      expect(r.success, JSON.stringify(p)).toBe(false);
      expect(r.error!.issues.map((i) => i.message).join('; ')).toMatch(why);
    }
  });

  it('matches the exact rational f and f\'', () =>
    checkAgainstOracle('clipped_relu', {
      f: (x, p) => clamp(x, ZERO, capOf(p)),
      d: (x, p) => (cmp(x, ZERO) > 0 && cmp(x, capOf(p)) < 0 ? ONE : ZERO),
    }));
});
