import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFormat, maxRaw, minRaw } from '../../src/core/format.ts';
import {
  bitsFor, formatRange, productFormat, productRange, shiftFormat, shiftRange, sumFormat, sumGrowthBits, sumRange,
} from '../../src/core/growth.ts';
import { QUANT_MODE_NAMES } from '../../src/core/modes.ts';
import { quantizeRef } from '../../src/core/quantize.ts';
import { fullProductFormat } from '../../src/units/mac.ts';

/** The width-growth rules, checked against brute force on small formats. */

const arbSmall = fc.record({ signed: fc.boolean(), width: fc.integer({ min: 1, max: 6 }), frac: fc.integer({ min: -3, max: 6 }) })
  .map((f) => makeFormat(f.signed, f.width, f.frac));
const values = (lo: bigint, hi: bigint) => Array.from({ length: Number(hi - lo) + 1 }, (_, i) => lo + BigInt(i));

describe('growth rules', () => {
  it('sumGrowthBits is ceil(log2 n), 0 for n <= 1', () => {
    expect([1, 2, 3, 4, 5, 784, 1024, 1025].map(sumGrowthBits)).toEqual([0, 1, 2, 2, 3, 10, 10, 11]);
  });

  it('productFormat holds every product; MacArray uses it', () => {
    fc.assert(fc.property(arbSmall, arbSmall, (a, b) => {
      const p = productFormat(a, b);
      expect(fullProductFormat(a, b)).toEqual(p);
      expect(p).toEqual({ signed: a.signed || b.signed, width: a.width + b.width, frac: a.frac + b.frac });
      for (const x of values(minRaw(a), maxRaw(a))) for (const y of values(minRaw(b), maxRaw(b))) {
        expect(x * y >= minRaw(p) && x * y <= maxRaw(p)).toBe(true);
      }
      const r = productRange(formatRange(a), formatRange(b));
      const all = values(minRaw(a), maxRaw(a)).flatMap((x) => values(minRaw(b), maxRaw(b)).map((y) => x * y));
      expect(r).toEqual({ lo: all.reduce((m, v) => (v < m ? v : m)), hi: all.reduce((m, v) => (v > m ? v : m)) });
    }));
  });

  it('sumFormat holds a sum of n terms; sumRange covers every partial sum', () => {
    fc.assert(fc.property(arbSmall, fc.integer({ min: 1, max: 40 }), (f, n) => {
      const s = sumFormat(f, n);
      const N = BigInt(n);
      expect(N * minRaw(f) >= minRaw(s) && N * maxRaw(f) <= maxRaw(s)).toBe(true);
      const r = sumRange(formatRange(f), n);
      expect(r).toEqual({ lo: f.signed ? N * minRaw(f) : 0n, hi: N * maxRaw(f) });
    }));
    expect(sumRange({ lo: 2n, hi: 5n }, 3, { lo: -1n, hi: 1n })).toEqual({ lo: -1n, hi: 16n });
  });

  it('shiftFormat holds every shifted value; shiftRange is exact for deterministic modes', () => {
    fc.assert(fc.property(arbSmall, fc.integer({ min: -4, max: 8 }), fc.constantFrom(...QUANT_MODE_NAMES.filter((m) => m !== 'STOCH')), (f, k, mode) => {
      const out = shiftFormat(f, k, mode);
      const shifted = values(minRaw(f), maxRaw(f)).map((r) => quantizeRef(r, k, mode));
      for (const v of shifted) expect(v >= minRaw(out) && v <= maxRaw(out)).toBe(true);
      expect(shiftRange(formatRange(f), k, mode)).toEqual({
        lo: shifted.reduce((m, v) => (v < m ? v : m)), hi: shifted.reduce((m, v) => (v > m ? v : m)),
      });
    }));
  });

  it('bitsFor is the smallest register width', () => {
    fc.assert(fc.property(fc.bigInt({ min: -300n, max: 300n }), fc.bigInt({ min: 0n, max: 300n }), fc.boolean(), (lo, span, signed) => {
      const r = { lo, hi: lo + span };
      const fits = (w: number) => { const f = makeFormat(signed, w, 0); return r.lo >= minRaw(f) && r.hi <= maxRaw(f); };
      const b = bitsFor(r, signed);
      if (b === Infinity) {
        expect(!signed && lo < 0n).toBe(true);
      } else {
        expect(fits(b)).toBe(true);
        if (b > 1) expect(fits(b - 1)).toBe(false);
      }
    }));
    expect(bitsFor({ lo: -784n * 2n ** 83n, hi: 0n }, true)).toBe(94);
    expect(bitsFor({ lo: -128n, hi: 127n }, true)).toBe(8);
    expect(bitsFor({ lo: 0n, hi: 128n }, true)).toBe(9);
  });
});
