import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceOnly } from '../../src/core/exact.ts';

import { makeFormat, type Format } from '../../src/core/format.ts';
import type { OverflowMode, QuantMode } from '../../src/core/modes.ts';
import { Lfsr } from '../../src/core/random.ts';
import { nonzeros } from '../../src/units/mac.ts';
import { UpdateUnit } from '../../src/units/update.ts';
import { toBigVec } from '../../src/units/vec.ts';
import { arbBigIntIn, hi, lo } from '../helpers/arbitraries.ts';

const S = (w: number, f: number): Format => makeFormat(true, w, f);

function unit(opts: { delta?: Format; input?: Format; w?: Format; overflow?: OverflowMode; shift?: number; rounding?: QuantMode; product?: { format: Format; overflow: OverflowMode } } = {}) {
  return new UpdateUnit({
    name: 'u',
    delta: opts.delta ?? S(16, 8),
    input: opts.input ?? S(16, 8),
    weights: { format: opts.w ?? S(16, 8), overflow: opts.overflow ?? 'SAT', nBits: 0 },
    shift: opts.shift ?? 10,
    rounding: opts.rounding ?? 'TRN',
    product: opts.product && { ...opts.product, nBits: 0 },
  });
}

describe('UpdateUnit: w <- ovf_w(w + q(delta (x) x, shift))', () => {
  it('hand-checked: floor of negative products, SAT on the weight register, zero skipped', () => {
    const u = unit({ w: S(8, 0), shift: 2 });
    // w is 2 x 3, delta (2), x (3)
    const w = new Float64Array([0, 126, -128, 5, 5, 5]);
    const delta = new Float64Array([3, -1]);
    const x = new Float64Array([1, 4, 2]);
    u.apply(w, 2, 3, delta, x);
    // row 0: 3*1 >> 2 = 0 (0.75 floored), 3*4 >> 2 = 3 -> 126 + 3 = 129 saturates to 127, 3*2 >> 2 = 1
    // row 1: -1 >> 2 = -1 (floor), -4 >> 2 = -1, -2 >> 2 = -1
    expect(Array.from(w)).toEqual([0, 127, -127, 4, 4, 4]);
    expect(u.counters).toMatchObject({ values: 6, overflows: 1, saturations: 1, toZero: 1, inexact: 4 });
  });

  it('RND_CONV ties on the update', () => {
    const u = unit({ w: S(8, 0), shift: 1, rounding: 'RND_CONV' });
    const w = new Float64Array([0, 0, 0, 0]);
    u.apply(w, 1, 4, new Float64Array([1]), new Float64Array([1, 3, 5, -1]));
    // 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> 0
    expect(Array.from(w)).toEqual([0, 2, 2, 0]);
  });

  it('fast kernels == BigInt reference (weights, counters), deterministic modes and STOCH, product register', () => {
    const modes: QuantMode[] = ['TRN', 'RND', 'RND_CONV', 'TRN_ZERO', 'RND_INF', 'STOCH'];
    fc.assert(fc.property(
      fc.constantFrom(...modes), fc.constantFrom<OverflowMode>('SAT', 'WRAP'), fc.integer({ min: -2, max: 20 }), fc.boolean(),
      fc.array(arbBigIntIn(-(2n ** 14n), 2n ** 14n), { minLength: 3, maxLength: 3 }),
      fc.array(fc.oneof(fc.constant(0n), arbBigIntIn(-(2n ** 12n), 2n ** 12n)), { minLength: 5, maxLength: 5 }),
      fc.array(arbBigIntIn(lo(S(16, 8)), hi(S(16, 8))), { minLength: 15, maxLength: 15 }),
      (rounding, overflow, shift, withProduct, d, x, w0) => {
        const make = () => unit({ rounding, overflow, shift, product: withProduct ? { format: S(24, 16), overflow: 'WRAP' } : undefined });
        const a = make();
        const b = make();
        const wf = Float64Array.from(w0, Number);
        const out = a.apply(wf, 3, 5, Float64Array.from(d, Number), Float64Array.from(x, Number), new Lfsr(16, undefined, 7));
        const wr = [...w0];
        referenceOnly(() => b.apply(wr, 3, 5, d, x, new Lfsr(16, undefined, 7)));
        expect(toBigVec(out)).toEqual(wr);
        expect(a.counters).toEqual(b.counters);
      }), { numRuns: 300 });
  });

  it('the unchecked hot loop (study-like 64-bit registers, proven bounds) equals the reference', () => {
    const S64 = S(64, 20);
    fc.assert(fc.property(
      fc.constantFrom<QuantMode>('TRN', 'RND', 'RND_CONV'),
      fc.array(fc.oneof(fc.constant(0n), arbBigIntIn(-(2n ** 21n), 2n ** 21n)), { minLength: 4, maxLength: 4 }),
      fc.array(fc.oneof(fc.constant(0n), fc.constant(0n), arbBigIntIn(0n, 2n ** 20n)), { minLength: 12, maxLength: 12 }),
      fc.array(arbBigIntIn(-5000n, 5000n), { minLength: 48, maxLength: 48 }),
      (rounding, d, x, w0) => {
        const make = () => unit({ delta: S64, input: S64, w: S64, overflow: 'WRAP', shift: 30, rounding, product: { format: S(64, 40), overflow: 'WRAP' } });
        const a = make();
        const b = make();
        const xf = Float64Array.from(x, Number);
        const nz = nonzeros(xf);
        nz.values = Float64Array.from(nz.idx.subarray(0, nz.count), (i) => xf[i]);
        const wf = Float64Array.from(w0, Number);
        const bound = a.applyProven(wf, 4, 12, Float64Array.from(d, Number), xf, nz, 13, 20);
        expect(bound).toBeDefined();
        const wr = [...w0];
        b.applyRef(wr, 4, 12, d, x);
        expect(toBigVec(wf)).toEqual(wr);
        expect(a.counters).toEqual(b.counters);
        // the returned bound holds
        expect(wr.every((v) => (v < 0n ? -v : v) <= 2n ** BigInt(bound!))).toBe(true);
      }), { numRuns: 200 });
  });

  it('refuses the fast path when the bounds do not prove exactness', () => {
    const u = unit({ delta: S(64, 20), input: S(64, 20), w: S(64, 20), overflow: 'WRAP', shift: 0 });
    const w = new Float64Array(4);
    expect(u.applyProven(w, 2, 2, new Float64Array([2 ** 40, 1]), new Float64Array([2 ** 20, 1]), undefined, 0, 20)).toBeUndefined();
    // apply() then takes the reference path and returns bigints
    const r = u.apply(w, 2, 2, new Float64Array([2 ** 40, 1]), new Float64Array([2 ** 20, 1]));
    expect(r[0]).toBe(2n ** 60n);
  });

  it('mini-batch: accumulate exact products, then one rounded update by shift (the mean is in the shift)', () => {
    const u = unit({ w: S(16, 0), shift: 3 });
    const grad = { format: S(32, 0), overflow: 'WRAP' as OverflowMode, nBits: 0 };
    let g: Float64Array | bigint[] = new Float64Array(2);
    g = u.accumulate(g, grad, 1, 2, new Float64Array([3]), new Float64Array([1, -1]));
    g = u.accumulate(g, grad, 1, 2, new Float64Array([2]), new Float64Array([1, -1]));
    expect(Array.from(g as Float64Array)).toEqual([5, -5]);
    const w = u.applyGradient(new Float64Array([10, 10]), g, 1, 2);
    // 5 >> 3 = 0 (floor), -5 >> 3 = -1
    expect(Array.from(w as Float64Array)).toEqual([10, 9]);
    expect(Array.from(g as Float64Array)).toEqual([0, 0]);
    // the same through the reference path
    const w2 = referenceOnly(() => u.applyGradient(new Float64Array([10, 10]), new Float64Array([5, -5]), 1, 2));
    expect(w2).toEqual([10n, 9n]);
  });

  it('counts values and stochastic draws on the STOCH path (no zero skipping: every element draws)', () => {
    const u = unit({ rounding: 'STOCH', shift: 4 });
    u.apply(new Float64Array(6), 2, 3, new Float64Array([0, 1]), new Float64Array([0, 1, 2]), new Lfsr());
    expect(u.counters.values).toBe(6);
    expect(u.counters.stochasticDraws).toBe(6);
  });
});

