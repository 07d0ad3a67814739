import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castRef } from '../../src/core/cast.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { makeFormat } from '../../src/core/format.ts';
import { MacArray, fullProductFormat, type MacSpec } from '../../src/units/mac.ts';
import { arbDetQuantMode, modB, pow2 } from '../helpers/arbitraries.ts';
import { arbMacCase, arbRngPair, arbVec, big, f64, fitsF64, type MacCase, type MacKind, nums, type RngPair } from '../helpers/unit-arbitraries.ts';

const S = (w: number, f = 0) => makeFormat(true, w, f);
const U = (w: number, f = 0) => makeFormat(false, w, f);
const counters = (c: Partial<ReturnType<typeof newCounters>>) => ({ ...newCounters(), ...c });

/** Run one case both ways: `run` on numbers (whatever path it proves) and `runRef` on bigints. */
function both(c: MacCase, rngs?: RngPair) {
  const m1 = new MacArray(c.spec);
  const m2 = new MacArray(c.spec);
  const numeric = fitsF64(c.w) && fitsF64(c.x) && (!c.bias || fitsF64(c.bias));
  const out = numeric
    ? m1.run(f64(c.w), c.rows, c.cols, f64(c.x), c.bias && f64(c.bias), rngs?.a)
    : m1.run(c.w, c.rows, c.cols, c.x, c.bias, rngs?.a);
  const ref = m2.runRef(c.w, c.rows, c.cols, c.x, c.bias, rngs?.b);
  return { m1, m2, out, ref, fast: out instanceof Float64Array };
}

describe('MacArray: hand-checked examples', () => {
  it('integer MAC with bias, zero input skipped', () => {
    const m = new MacArray({ name: 'm', input: S(8), weight: S(8), acc: S(16), accOverflow: 'WRAP', bias: S(8) });
    // row 0: 10 + 1*7 + 2*0 + 3*(-2) = 11;  row 1: -10 + (-4)*7 + 5*0 + (-6)*(-2) = -26
    const w = [1, 2, 3, -4, 5, -6];
    const out = m.run(Float64Array.from(w), 2, 3, Float64Array.of(7, 0, -2), Float64Array.of(10, -10));
    expect(out).toBeInstanceOf(Float64Array);
    expect(nums(out)).toEqual([11, -26]);
    expect(m.runRef(w.map(BigInt), 2, 3, [7n, 0n, -2n], [10n, -10n])).toEqual([11n, -26n]);
    expect(m.counters).toEqual(counters({ values: 12 }));
  });

  it('SAT is applied after every addition, in index order (not once at the end)', () => {
    // acc fixed<4,4>: -8..7. Terms 7, 7, -7: per step 7 -> 14 sat 7 -> 0; SAT once at the end would give 7.
    const spec: MacSpec = { name: 'm', input: S(8), weight: S(8), acc: S(4), accOverflow: 'SAT' };
    const m = new MacArray(spec);
    expect(nums(m.run(Float64Array.of(7, 7, -7), 1, 3, Float64Array.of(1, 1, 1)))).toEqual([0]);
    expect(m.counters).toEqual(counters({ values: 3, overflows: 1, saturations: 1 }));
    const r = new MacArray(spec);
    expect(r.runRef([7n, 7n, -7n], 1, 3, [1n, 1n, 1n])).toEqual([0n]);
    expect(r.counters).toEqual(m.counters);
    // order matters: -7 first never overflows
    expect(nums(new MacArray(spec).run(Float64Array.of(-7, 7, 7), 1, 3, Float64Array.of(1, 1, 1)))).toEqual([7]);
    // WRAP per step: 7, 14 -> -2, -9 -> 7 = WRAP(7) once at the end
    expect(nums(new MacArray({ ...spec, accOverflow: 'WRAP' }).run(Float64Array.of(7, 7, -7), 1, 3, Float64Array.of(1, 1, 1)))).toEqual([7]);
  });

  it('product format: each product is rounded (RND) and saturated before accumulation', () => {
    // x fixed<8,4> (frac 4), w fixed<8,1> (frac 7): w*x at frac 11, product fixed<8,4> (frac 4), acc fixed<12,8>
    // x = [1.5, -0.25] = raw [24, -4];  w = [0.5, 0.3046875] = raw [64, 39]
    // 24*64 = 1536 -> 1536/128 = 12 (exact);  -4*39 = -156 -> -1.21875 -> RND -> -1 (inexact)
    // acc = 12 - 1 = 11 (0.6875)
    const m = new MacArray({
      name: 'm', input: S(8, 4), weight: S(8, 7), acc: S(12, 4), accOverflow: 'SAT',
      product: { format: S(8, 4), modes: { rounding: 'RND', overflow: 'SAT', nBits: 0 } },
    });
    expect(m.accFrac).toBe(4);
    expect(nums(m.run(Float64Array.of(64, 39), 1, 2, Float64Array.of(24, -4)))).toEqual([11]);
    expect(m.counters).toEqual(counters({ values: 2, inexact: 1 }));
    expect(m.runRef([64n, 39n], 1, 2, [24n, -4n])).toEqual([11n]);
  });

  it('bias is aligned by an exact left shift and overflows into the accumulator', () => {
    // bias fixed<4,2> (frac 2) into acc frac 4: raw 3 -> 12;  acc fixed<5,1>: -16..15, so bias -8 -> -32 saturates to -16
    const m = new MacArray({ name: 'm', input: S(4, 2), weight: S(4, 2), acc: S(5, 4), accOverflow: 'SAT', bias: S(4, 2) });
    expect(nums(m.run(Float64Array.of(1, 1), 2, 1, Float64Array.of(2), Float64Array.of(3, -8)))).toEqual([14, -14]);
    expect(m.counters).toEqual(counters({ values: 2, overflows: 1, saturations: 1 }));
  });

  it('rejects mismatched shapes and formats', () => {
    expect(() => new MacArray({ name: 'm', input: S(8, 1), weight: S(8), acc: S(16), accOverflow: 'WRAP' })).toThrow(FxInputError);
    expect(() => new MacArray({ name: 'm', input: S(8), weight: S(8), acc: S(16), accOverflow: 'WRAP', bias: S(8, 1) })).toThrow(/more fraction bits/);
    expect(() => new MacArray({ name: 'm', input: S(8), weight: S(8), acc: U(16), accOverflow: 'WRAP_SM' })).toThrow(/signed/);
    const m = new MacArray({ name: 'm', input: S(8), weight: S(8), acc: S(16), accOverflow: 'WRAP' });
    expect(() => m.run(Float64Array.of(1, 2, 3), 2, 2, Float64Array.of(1, 2))).toThrow(/weights have 3 values/);
    expect(() => m.run(Float64Array.of(1, 2), 1, 2, Float64Array.of(1))).toThrow(/input has 1 values/);
    expect(() => m.run(Float64Array.of(1, 2), 1, 2, Float64Array.of(1, 2), Float64Array.of(0))).toThrow(/no bias port/);
  });
});

describe('MacArray: range analysis', () => {
  it('static proof: 8-bit operands, 24-bit accumulator', () => {
    const m = new MacArray({ name: 'm', input: S(8), weight: S(8), acc: S(24), accOverflow: 'SAT' });
    expect(m.staticallyFast(1024)).toBe(true);
    const wide = new MacArray({ name: 'm', input: S(16), weight: S(64), acc: S(96), accOverflow: 'SAT' });
    expect(wide.staticallyFast(4)).toBe(false);
    // ...but small data in the wide formats is proven on the values and runs on numbers
    expect(wide.run(Float64Array.of(3, -5), 1, 2, Float64Array.of(7, 11))).toBeInstanceOf(Float64Array);
    // and large data falls back to BigInt
    const out = wide.run(Float64Array.of(2 ** 52, 2 ** 52 - 1), 1, 2, Float64Array.of(2 ** 15 - 1, 3));
    expect(out).toEqual([(2n ** 52n) * 32767n + (2n ** 52n - 1n) * 3n]);
  });

  // Regression: a product format with more fraction bits than w*x shifts the product left, and
  // the bound used to ignore the shift (terms 2^52 counted as 2^14): fast gave 2^54 for 2^54 + 1.
  it('a left-shifting product format is part of the term bound', () => {
    const m = new MacArray({
      name: 'm', input: S(8), weight: S(8), acc: S(100, 38), accOverflow: 'WRAP', bias: S(8, 38),
      product: { format: S(54, 38), modes: { rounding: 'TRN', overflow: 'WRAP', nBits: 0 } },
    });
    const v = [-128, -128, -128, -128];
    expect(big(m.run(Float64Array.from(v), 1, 4, Float64Array.from(v), Float64Array.of(1)))).toEqual([pow2(54) + 1n]);
  });

  // Regression: an unsigned WRAP product format maps -1 to 2^53 - 1; the bound counted the term as
  // |w*x| <= 2^14, so three such terms were summed in floats (3 * 2^53 - 3 is not a double).
  it('an unsigned wrapping product format is bounded by its range, not by w*x', () => {
    const m = new MacArray({
      name: 'm', input: S(8), weight: S(8), acc: S(60), accOverflow: 'SAT',
      product: { format: U(53), modes: { rounding: 'TRN', overflow: 'WRAP', nBits: 0 } },
    });
    expect(big(m.run(Float64Array.of(-1, -1, -1), 1, 3, Float64Array.of(1, 1, 1)))).toEqual([3n * pow2(53) - 3n]);
    expect(m.counters).toEqual(counters({ values: 3, overflows: 3 }));
  });

  // Regression: an unsigned WRAP accumulator maps a negative partial sum to 2^W - k, beyond 2^53
  // for W > 53, so the whole-sum bound does not apply; fast gave 2^60 for 2.
  it('an unsigned wrapping accumulator wider than 53 bits is not bounded by the sum', () => {
    const m = new MacArray({ name: 'm', input: S(8), weight: S(8), acc: U(60), accOverflow: 'WRAP' });
    expect(big(m.run(Float64Array.of(-1, 3), 1, 2, Float64Array.of(1, 1)))).toEqual([2n]);
    expect(m.counters).toEqual(counters({ values: 2, overflows: 2 }));
  });
});

describe('MacArray: run == runRef (outputs and counters)', () => {
  const kinds: [MacKind, number][] = [['small', 400], ['observed', 250], ['wide', 150], ['edge', 400]];
  for (const [kind, numRuns] of kinds) {
    it(`${kind} formats, all overflow modes, with/without product and bias`, () => {
      const seen = { fast: 0, ref: 0, fastNotStatic: 0 };
      fc.assert(
        fc.property(arbMacCase(kind), arbRngPair, (c, rngs) => {
          const { m1, m2, out, ref, fast } = both(c, rngs);
          expect(big(out)).toEqual(ref);
          expect(m1.counters).toEqual(m2.counters);
          expect(rngs.a.drawn).toBe(rngs.b.drawn);
          if (fast) {
            seen.fast++;
            if (!m1.staticallyFast(c.cols)) seen.fastNotStatic++;
          } else seen.ref++;
        }),
        { numRuns },
      );
      // each kind reaches the path it is about
      if (kind === 'small') expect(seen.fast).toBeGreaterThan(numRuns / 2);
      if (kind === 'observed') expect(seen.fastNotStatic).toBeGreaterThan(numRuns / 4);
      if (kind === 'wide') expect(seen.ref).toBeGreaterThan(numRuns / 2);
      if (kind === 'edge') expect(Math.min(seen.fast, seen.ref)).toBeGreaterThan(numRuns / 10);
    });
  }

  it('STOCH product rounding: identically seeded sources give identical results and draws', () => {
    fc.assert(
      fc.property(arbMacCase('small', fc.constant('STOCH')).filter((c) => c.stoch), arbRngPair, (c, rngs) => {
        const { m1, m2, out, ref } = both(c, rngs);
        expect(big(out)).toEqual(ref);
        expect(m1.counters).toEqual(m2.counters);
        // one draw per term that drops bits, zero inputs included
        const drops = c.spec.product!.format.frac < fullProductFormat(c.spec.weight, c.spec.input).frac;
        expect(m1.counters.stochasticDraws).toBe(drops ? c.rows * c.cols : 0);
        expect(rngs.a.drawn).toBe(rngs.b.drawn);
      }),
      { numRuns: 150 },
    );
  });
});

describe('MacArray: accumulator semantics', () => {
  it('WRAP per step equals WRAP once at the end', () => {
    fc.assert(
      fc.property(fc.oneof(arbMacCase('small', arbDetQuantMode), arbMacCase('observed', arbDetQuantMode)), (c0) => {
        const c: MacCase = { ...c0, spec: { ...c0.spec, accOverflow: 'WRAP', accNBits: 0 } };
        const { spec } = c;
        const { out } = both(c);
        const pin = fullProductFormat(spec.weight, spec.input);
        const m = pow2(spec.acc.width);
        const expected = Array.from({ length: c.rows }, (_, o) => {
          let sum = c.bias ? c.bias[o] * pow2(spec.acc.frac - spec.bias!.frac) : 0n;
          for (let i = 0; i < c.cols; i++) {
            const p = c.w[o * c.cols + i] * c.x[i];
            sum += spec.product ? castRef(p, pin, spec.product.format, spec.product.modes) : p;
          }
          const v = modB(sum, m);
          return spec.acc.signed && v >= m / 2n ? v - m : v;
        });
        expect(big(out)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('dropping the zero inputs (and their weight columns) changes nothing', () => {
    fc.assert(
      fc.property(arbMacCase('small', arbDetQuantMode), (c) => {
        const keep = c.x.map((v, i) => (v !== 0n ? i : -1)).filter((i) => i >= 0);
        const d: MacCase = {
          ...c,
          cols: keep.length,
          x: keep.map((i) => c.x[i]),
          w: Array.from({ length: c.rows }, (_, o) => keep.map((i) => c.w[o * c.cols + i])).flat(),
        };
        const a = both(c);
        const b = both(d);
        expect(big(b.out)).toEqual(big(a.out));
        expect({ ...b.m1.counters, values: 0 }).toEqual({ ...a.m1.counters, values: 0 });
        expect(a.m1.counters.values).toBe(c.rows * c.cols);
      }),
      { numRuns: 200 },
    );
  });
});

describe('MacArray: transposed run (backpropagation)', () => {
  it('runTransposed(w, d) == runRef on the transposed matrix', () => {
    const arbCase = arbMacCase('small', arbDetQuantMode)
      .filter((c) => c.rows > 0 && c.cols > 0)
      .chain((c) => arbVec(c.spec.input, c.rows, { zeros: true }).map((d) => ({ c: { ...c, spec: { ...c.spec, bias: undefined } }, d })));
    fc.assert(
      fc.property(arbCase, ({ c, d }) => {
        const t: bigint[] = [];
        for (let i = 0; i < c.cols; i++) for (let o = 0; o < c.rows; o++) t.push(c.w[o * c.cols + i]);
        const a = new MacArray(c.spec);
        const b = new MacArray(c.spec);
        expect(big(a.runTransposed(f64(c.w), c.rows, c.cols, f64(d)))).toEqual(b.runRef(t, c.cols, c.rows, d));
        expect(a.counters).toEqual(b.counters);
      }),
      { numRuns: 150 },
    );
  });
});

