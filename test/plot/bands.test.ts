import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandStats, Z68, Z95 } from '../../src/plot/bands.ts';

// values as metrics take them: accuracies in [0, 1], delta statistics up to ~1e12
const value = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true });
const values = fc.array(value, { minLength: 1, maxLength: 40 });

describe('bandStats', () => {
  it('the bands contain the mean, and the 95% band contains the 68% band', () => {
    fc.assert(
      fc.property(values, (vs) => {
        const b = bandStats(vs);
        expect(b.lo95).toBeLessThanOrEqual(b.lo68);
        expect(b.lo68).toBeLessThanOrEqual(b.mean);
        expect(b.mean).toBeLessThanOrEqual(b.hi68);
        expect(b.hi68).toBeLessThanOrEqual(b.hi95);
      }),
    );
  });

  it('the mean lies between the smallest and the largest value', () => {
    fc.assert(
      fc.property(values, (vs) => {
        const { mean } = bandStats(vs);
        expect(mean).toBeGreaterThanOrEqual(Math.min(...vs));
        expect(mean).toBeLessThanOrEqual(Math.max(...vs));
      }),
    );
  });

  it('one repeat: no spread, every band collapses onto the value', () => {
    fc.assert(
      fc.property(value, (v) => {
        const b = bandStats([v]);
        const plus0 = (o: object) => Object.fromEntries(Object.entries(o).map(([k, x]) => [k, x + 0])); // -0 -> 0
        expect(plus0(b)).toEqual(plus0({ n: 1, mean: v, std: 0, se: 0, lo68: v, hi68: v, lo95: v, hi95: v }));
      }),
    );
  });

  it('equal repeats: no spread either', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 2, max: 20 }), (v, n) => {
        const b = bandStats(Array(n).fill(v));
        expect(b.mean).toBe(v);
        expect(b.std).toBeCloseTo(0, 6);
        expect(b.hi95 - b.lo95).toBeLessThanOrEqual(Math.abs(v) * 1e-12);
      }),
    );
  });

  it('is the normal approximation mean ± z·s/√n, s with n − 1', () => {
    const b = bandStats([0.8, 0.9, 1.0]);
    expect(b.mean).toBeCloseTo(0.9, 12);
    expect(b.std).toBeCloseTo(0.1, 12); // sqrt((0.01 + 0 + 0.01) / 2)
    expect(b.se).toBeCloseTo(0.1 / Math.sqrt(3), 12);
    expect(b.hi68 - b.mean).toBeCloseTo(Z68 * b.se, 12);
    expect(b.mean - b.lo95).toBeCloseTo(Z95 * b.se, 12);
    expect(Z68).toBeCloseTo(0.9945, 4);
    expect(Z95).toBeCloseTo(1.96, 3);
  });

  it('the 95% band is Z95/Z68 times as wide as the 68% band', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 30 }), (vs) => {
        const b = bandStats(vs);
        expect(b.hi95 - b.lo95).toBeCloseTo(((b.hi68 - b.lo68) * Z95) / Z68, 9);
      }),
    );
  });

  it('does not depend on the order of the repeats (up to rounding)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), (vs) => {
        const a = bandStats(vs);
        const b = bandStats([...vs].reverse());
        expect(b.mean).toBeCloseTo(a.mean, 12);
        expect(b.std).toBeCloseTo(a.std, 9);
      }),
    );
  });

  it('refuses no values and non-finite ones', () => {
    expect(() => bandStats([])).toThrow(RangeError);
    expect(() => bandStats([1, NaN])).toThrow(RangeError);
    expect(() => bandStats([Infinity])).toThrow(RangeError);
  });
});
