import { describe, expect, it } from 'vitest';
import { addCounters, newCounters, resetCounters } from '../../src/core/events.ts';

describe('event counters', () => {
  it('start at zero, with exactly the documented keys', () => {
    expect(newCounters()).toEqual({ values: 0, inexact: 0, toZero: 0, overflows: 0, saturations: 0, stochasticDraws: 0 });
    expect(newCounters()).not.toBe(newCounters());
  });
  it('addCounters adds field by field into the first and returns it', () => {
    const a = { values: 1, inexact: 2, toZero: 3, overflows: 4, saturations: 5, stochasticDraws: 6 };
    const b = { values: 10, inexact: 20, toZero: 30, overflows: 40, saturations: 50, stochasticDraws: 60 };
    const out = addCounters(a, b);
    expect(out).toBe(a);
    expect(a).toEqual({ values: 11, inexact: 22, toZero: 33, overflows: 44, saturations: 55, stochasticDraws: 66 });
    expect(b.values).toBe(10);
  });
  it('resetCounters zeroes in place', () => {
    const a = { values: 1, inexact: 2, toZero: 3, overflows: 4, saturations: 5, stochasticDraws: 6 };
    resetCounters(a);
    expect(a).toEqual(newCounters());
  });
});
