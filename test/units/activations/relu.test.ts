import { describe, expect, it } from 'vitest';
import { formatName, makeFormat } from '../../../src/core/format.ts';
import { ACTIVATIONS } from '../../../src/units/activations/index.ts';
import { checkAgainstOracle, derivOf, exactOf, expectFastMatches, kernelOf, unitOf } from '../../helpers/activation-check.ts';
import { cmp, max, ONE, ZERO } from '../../helpers/rational.ts';

describe('relu', () => {
  it('hand-checked: max(x, 0); f\'(0) = 0', () => {
    const k = kernelOf('relu', {}, makeFormat(true, 8, 4));
    const xs = [-128, -16, -1, 0, 1, 127];
    expect(exactOf(k, xs)).toEqual([0n, 0n, 0n, 0n, 1n, 127n]);
    expect(derivOf(k, xs)).toEqual([0n, 0n, 0n, 0n, 1n, 1n]);
    expect([k.extraFrac, k.growBits, formatName(k.derivFormat)]).toEqual([0, 0, 'ufixed<1,1>']);
    expectFastMatches(k, xs);
  });

  it('zeros made by the function are not quantization events', () => {
    const u = unitOf('relu', {}, makeFormat(true, 8, 4));
    expect(Array.from(u.run(Float64Array.of(-5, 0, 7)) as Float64Array)).toEqual([0, 0, 7]);
    expect(u.counters.toZero).toBe(0);
    expect(u.counters.values).toBe(3);
  });

  it('params: none', () => {
    expect(ACTIVATIONS.relu.params.safeParse({}).success).toBe(true);
    expect(ACTIVATIONS.relu.params.safeParse({ cap: 1 }).success).toBe(false);
  });

  it('matches the exact rational f and f\'', () =>
    checkAgainstOracle('relu', { f: (x) => max(x, ZERO), d: (x) => (cmp(x, ZERO) > 0 ? ONE : ZERO) }, 100));
});
