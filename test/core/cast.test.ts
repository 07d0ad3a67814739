import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castRef, DEFAULT_CAST, type CastModes } from '../../src/core/cast.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { makeFormat } from '../../src/core/format.ts';
import type { OverflowMode, QuantMode } from '../../src/core/modes.ts';
import { parseFormat } from '../../src/core/parse-format.ts';
import { Xoshiro128ss } from '../../src/core/random.ts';
import { absB, arbCastCase, arbDetQuantMode, fixedBits, hi, lo, pow2, RND_MODES } from '../helpers/arbitraries.ts';

const m = (rounding: QuantMode, overflow: OverflowMode = 'SAT', nBits = 0): CastModes => ({ rounding, overflow, nBits });

describe('castRef: hand-worked cases', () => {
  it('DEFAULT_CAST is TRN / WRAP / 0, as SystemC defaults', () => {
    expect(DEFAULT_CAST).toEqual({ rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    expect(Object.isFrozen(DEFAULT_CAST)).toBe(true);
  });

  it('F < 0 target: fixed<16,12> -> fixed<8,12> drops 8 bits', () => {
    const from = parseFormat('fixed<16,12>'); // frac 4
    const to = parseFormat('fixed<8,12>'); // frac -4: one LSB is 16
    expect(to.frac).toBe(-4);
    // 2000 * 2^-4 = 125.0 = 7.8125 * 16
    expect(castRef(2000n, from, to, m('TRN'))).toBe(7n);
    expect(castRef(2000n, from, to, m('RND'))).toBe(8n);
    expect(castRef(2000n, from, to, m('TRN_ZERO'))).toBe(7n);
    expect(castRef(-2000n, from, to, m('TRN'))).toBe(-8n);
    expect(castRef(-2000n, from, to, m('TRN_ZERO'))).toBe(-7n);
    expect(castRef(-2000n, from, to, m('RND_ZERO'))).toBe(-8n);
    // 32767 * 2^-4 = 2047.94 -> 127.99 LSBs: RND gives 128, which SAT clamps to 127 and WRAP sends to -128
    expect(castRef(32767n, from, to, m('RND', 'SAT'))).toBe(127n);
    expect(castRef(32767n, from, to, m('RND', 'WRAP'))).toBe(-128n);
  });

  it('F > W target: fixed<16,4> -> fixed<8,-4> keeps the LSB, overflows', () => {
    const from = parseFormat('fixed<16,4>'); // frac 12
    const to = parseFormat('fixed<8,-4>'); // frac 12
    expect(castRef(100n, from, to, m('RND'))).toBe(100n);
    expect(castRef(200n, from, to, m('RND', 'SAT'))).toBe(127n);
    expect(castRef(200n, from, to, m('RND', 'WRAP'))).toBe(-56n);
    expect(castRef(-200n, from, to, m('RND', 'SAT_ZERO'))).toBe(0n);
  });

  it('gaining fraction bits is an exact left shift, then overflow', () => {
    const from = makeFormat(true, 8, -4); // LSB 16
    expect(castRef(7n, from, makeFormat(true, 8, 0), m('STOCH'))).toBe(112n); // no rng needed: nothing dropped
    expect(castRef(7n, from, makeFormat(true, 8, 2), m('TRN', 'SAT'))).toBe(127n); // 448
    expect(castRef(7n, from, makeFormat(true, 8, 2), m('TRN', 'WRAP'))).toBe(-64n); // 448 - 512
    expect(castRef(-7n, from, makeFormat(true, 12, 2), m('TRN', 'WRAP'))).toBe(-448n);
  });

  it('signed into unsigned', () => {
    const from = makeFormat(true, 8, 0);
    const to = makeFormat(false, 4, 0);
    expect(castRef(-3n, from, to, m('TRN', 'SAT'))).toBe(0n);
    expect(castRef(-3n, from, to, m('TRN', 'WRAP'))).toBe(13n);
    expect(castRef(-3n, from, to, m('TRN', 'WRAP', 1))).toBe(5n);
  });

  it('128-bit formats', () => {
    const from = makeFormat(true, 128, 64);
    const to = makeFormat(true, 64, 0);
    const r = pow2(100) + pow2(63); // 2^36 + 1/2
    expect(castRef(r, from, to, m('RND'))).toBe(pow2(36) + 1n);
    expect(castRef(r, from, to, m('RND_CONV'))).toBe(pow2(36));
    expect(castRef(r, from, to, m('RND_CONV_ODD'))).toBe(pow2(36) + 1n);
    expect(castRef(r, from, to, m('TRN'))).toBe(pow2(36));
    expect(castRef(-pow2(127), from, to, m('TRN'))).toBe(-pow2(63));
    expect(castRef(pow2(127) - 1n, from, to, m('TRN_INF', 'WRAP'))).toBe(-pow2(63)); // 2^63 wraps
    expect(castRef(pow2(127) - 1n, from, to, m('TRN_INF', 'SAT'))).toBe(pow2(63) - 1n);
  });

  it('STOCH without a random source throws only when bits are dropped', () => {
    const f1 = makeFormat(true, 8, 1);
    const f0 = makeFormat(true, 8, 0);
    expect(() => castRef(3n, f1, f0, m('STOCH'))).toThrow(FxInputError);
    expect(castRef(3n, f0, f1, m('STOCH'))).toBe(6n);
    expect(castRef(3n, f1, f0, m('STOCH'), fixedBits(0n))).toBe(1n);
    expect(castRef(3n, f1, f0, m('STOCH'), fixedBits(1n))).toBe(2n);
  });

  it('counts quantization and overflow events of one cast', () => {
    const c = newCounters();
    const f2 = makeFormat(true, 8, 2);
    const s4 = makeFormat(true, 4, 0);
    castRef(2n, f2, s4, m('TRN'), undefined, c); // 0.5 -> 0
    expect(c).toMatchObject({ inexact: 1, toZero: 1, overflows: 0, saturations: 0 });
    castRef(127n, f2, s4, m('RND', 'SAT'), undefined, c); // 31.75 -> 32 -> 7
    expect(c).toMatchObject({ inexact: 2, toZero: 1, overflows: 1, saturations: 1 });
    castRef(64n, f2, s4, m('RND', 'WRAP'), undefined, c); // 16 exact -> wraps to 0: an overflow, not a toZero
    expect(c).toMatchObject({ inexact: 2, toZero: 1, overflows: 2, saturations: 1 });
    castRef(5n, f2, s4, m('STOCH'), new Xoshiro128ss(1), c);
    expect(c.stochasticDraws).toBe(1);
  });
});

describe('castRef properties', () => {
  const arb = arbCastCase({ quant: arbDetQuantMode, from: { maxWidth: 90, fracSlack: 40 }, to: { maxWidth: 90, fracSlack: 40 } });

  it('results are in the target range', () => {
    fc.assert(
      fc.property(arb, ({ from, to, modes, r }) => {
        const out = castRef(r, from, to, modes);
        expect(out >= lo(to) && out <= hi(to)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('without overflow, the real value is kept exactly (gaining bits) or within 1 ulp (TRN*) / 1/2 ulp (RND*)', () => {
    fc.assert(
      fc.property(arb, ({ from, to, modes, r }) => {
        const c = newCounters();
        const out = castRef(r, from, to, modes, undefined, c);
        if (c.overflows > 0) return;
        const e = Math.max(from.frac, to.frac);
        const a = r * pow2(e - from.frac);
        const b = out * pow2(e - to.frac);
        const ulp = pow2(e - to.frac);
        if (to.frac >= from.frac) expect(b).toBe(a);
        else if ((RND_MODES as readonly string[]).includes(modes.rounding)) expect(2n * absB(a - b) <= ulp).toBe(true);
        else expect(absB(a - b) < ulp).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
