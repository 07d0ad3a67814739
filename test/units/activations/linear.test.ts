import { describe, expect, it } from 'vitest';
import { formatName, makeFormat } from '../../../src/core/format.ts';
import { ACTIVATIONS } from '../../../src/units/activations/index.ts';
import { checkAgainstOracle, derivOf, exactOf, expectFastMatches, kernelOf } from '../../helpers/activation-check.ts';
import { ONE } from '../../helpers/rational.ts';

describe('linear', () => {
  it('hand-checked: f(x) = x, f\'(x) = 1 in ufixed<1,1>', () => {
    const k = kernelOf('linear', {}, makeFormat(true, 8, 4));
    const xs = [-128, -1, 0, 1, 127];
    expect(exactOf(k, xs)).toEqual([-128n, -1n, 0n, 1n, 127n]);
    expect(derivOf(k, xs)).toEqual([1n, 1n, 1n, 1n, 1n]);
    expect([k.extraFrac, k.growBits, formatName(k.derivFormat)]).toEqual([0, 0, 'ufixed<1,1>']);
    expectFastMatches(k, xs);
  });

  it('params: none', () => {
    expect(ACTIVATIONS.linear.params.safeParse({}).success).toBe(true);
    expect(ACTIVATIONS.linear.params.safeParse({ slope: 1 }).success).toBe(false);
  });

  it('matches the exact rational f and f\'', () => checkAgainstOracle('linear', { f: (x) => x, d: () => ONE }, 100));
});
