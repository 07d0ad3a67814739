import { K1_INPUTS, SYSTEMC_K1 } from '../helpers/semantics-tables.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castRef } from '../../src/core/cast.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { castFast, overflowPlan, quantizeFast } from '../../src/core/fast.ts';
import { makeFormat } from '../../src/core/format.ts';
import { QUANT_MODE_NAMES, type QuantMode } from '../../src/core/modes.ts';
import { quantizeRef, ROUNDING } from '../../src/core/quantize.ts';
import { Lfsr, Xoshiro128ss } from '../../src/core/random.ts';
import {
  absB,
  arbBigIntIn,
  arbDetQuantMode,
  DET_QUANT_MODES,
  fixedBits,
  floorDiv,
  pow2,
  RND_MODES,
  TRN_MODES,
} from '../helpers/arbitraries.ts';

const WIDE = 1n << 90n;
const arbR = arbBigIntIn(-WIDE, WIDE);
const arbK = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 80 }));

// ------------------------------------------------------------------ tables

/** Derived by hand from the SEMANTICS.md definitions (values 2.5, 1.5, 0.5, -0.5, -1.5, -2.5). */
const HAND_K1: Record<string, number[]> = {
  TRN_INF: [3, 2, 1, 0, -1, -2], // ceil
  TRN_AWAY: [3, 2, 1, -1, -2, -3], // inexact values move away from 0
  RND_CONV_ODD: [3, 1, 1, -1, -1, -3], // ties to the odd neighbour
};
/** Hand-derived, k = 2: values 1.75, 1.5, 1.25, -1.25, -1.5, -1.75 (two ties, four non-ties, half = 2). */
const K2_INPUTS = [7, 6, 5, -5, -6, -7];
const HAND_K2: Record<QuantMode, number[] | undefined> = {
  TRN: [1, 1, 1, -2, -2, -2],
  TRN_ZERO: [1, 1, 1, -1, -1, -1],
  TRN_INF: [2, 2, 2, -1, -1, -1],
  TRN_AWAY: [2, 2, 2, -2, -2, -2],
  RND: [2, 2, 1, -1, -1, -2],
  RND_ZERO: [2, 1, 1, -1, -1, -2],
  RND_MIN_INF: [2, 1, 1, -1, -2, -2],
  RND_INF: [2, 2, 1, -1, -2, -2],
  RND_CONV: [2, 2, 1, -1, -2, -2],
  RND_CONV_ODD: [2, 1, 1, -1, -1, -2],
  STOCH: undefined,
};

const s8f1 = makeFormat(true, 8, 1);
const s8f0 = makeFormat(true, 8, 0);

describe('quantization tables', () => {
  const rows = [
    ...Object.entries(SYSTEMC_K1).map(([m, out]) => ['SystemC', m, out] as const),
    ...Object.entries(HAND_K1).map(([m, out]) => ['hand', m, out] as const),
  ];
  it.each(rows)('%s row %s, 8-bit signed k=1', (_src, mode, expected) => {
    const m = mode as QuantMode;
    const plan = overflowPlan(s8f0, 'WRAP');
    const modes = { rounding: m, overflow: 'WRAP' as const, nBits: 0 };
    expect(K1_INPUTS.map((r) => Number(quantizeRef(BigInt(r), 1, m)))).toEqual(expected);
    expect(K1_INPUTS.map((r) => Number(castRef(BigInt(r), s8f1, s8f0, modes)))).toEqual(expected);
    expect(K1_INPUTS.map((r) => quantizeFast(r, 1, m))).toEqual(expected);
    expect(K1_INPUTS.map((r) => castFast(r, s8f1, plan, s8f0, modes))).toEqual(expected);
  });

  it('the k=1 tables cover every deterministic mode', () => {
    expect(Object.keys({ ...SYSTEMC_K1, ...HAND_K1 }).sort()).toEqual([...DET_QUANT_MODES].sort());
  });

  it.each(DET_QUANT_MODES)('hand row %s, k=2', (m) => {
    const expected = HAND_K2[m]!;
    expect(K2_INPUTS.map((r) => Number(quantizeRef(BigInt(r), 2, m)))).toEqual(expected);
    expect(K2_INPUTS.map((r) => quantizeFast(r, 2, m))).toEqual(expected);
  });

  it('ROUNDING has exactly the deterministic modes', () => {
    expect(Object.keys(ROUNDING).sort()).toEqual([...DET_QUANT_MODES].sort());
  });
});

// ------------------------------------------------------------------ properties

describe('quantizeRef properties', () => {
  it('k <= 0 is an exact left shift for every mode, and counts nothing', () => {
    fc.assert(
      fc.property(arbR, fc.integer({ min: -70, max: 0 }), fc.constantFrom(...QUANT_MODE_NAMES), (r, k, m) => {
        const c = newCounters();
        const rng = new Xoshiro128ss(7);
        expect(quantizeRef(r, k, m, rng, c)).toBe(r * pow2(-k));
        expect(c).toEqual(newCounters());
        expect(rng.drawn).toBe(0);
      }),
    );
  });

  it('exact values stay exact in every mode (STOCH whatever the random bits)', () => {
    fc.assert(
      fc.property(arbR, arbK, fc.constantFrom(...QUANT_MODE_NAMES), fc.bigInt({ min: 0n, max: WIDE }), (m0, k, mode, u) => {
        const r = m0 * pow2(k);
        const c = newCounters();
        expect(quantizeRef(r, k, mode, fixedBits(u), c)).toBe(m0);
        expect(c.inexact).toBe(0);
      }),
    );
  });

  it('every result is floor or floor + 1', () => {
    fc.assert(
      fc.property(arbR, arbK, arbDetQuantMode, (r, k, m) => {
        const q = floorDiv(r, k);
        expect([q, q + 1n]).toContain(quantizeRef(r, k, m));
      }),
    );
  });

  it('RND* modes are within half an ulp of the exact value; non-ties all go to the nearest', () => {
    fc.assert(
      fc.property(arbR, arbK, fc.constantFrom(...RND_MODES), (r, k, m) => {
        const out = quantizeRef(r, k, m);
        const err = absB(r - out * pow2(k));
        expect(2n * err <= pow2(k)).toBe(true);
        const isTie = 2n * absB(r - floorDiv(r, k) * pow2(k)) === pow2(k);
        if (!isTie) expect(out).toBe(floorDiv(2n * r + pow2(k), k + 1)); // floor(x + 1/2)
      }),
    );
  });

  it('TRN* modes are within one ulp and move in their documented direction', () => {
    fc.assert(
      fc.property(arbR, arbK, fc.constantFrom(...TRN_MODES), (r, k, m) => {
        const out = quantizeRef(r, k, m);
        const scaled = out * pow2(k);
        expect(absB(r - scaled) < pow2(k)).toBe(true);
        switch (m) {
          case 'TRN':
            expect(scaled <= r).toBe(true);
            break;
          case 'TRN_INF':
            expect(scaled >= r).toBe(true);
            break;
          case 'TRN_ZERO':
            expect(absB(scaled) <= absB(r)).toBe(true);
            expect(scaled === 0n || scaled < 0n === r < 0n).toBe(true);
            break;
          case 'TRN_AWAY':
            expect(absB(scaled) >= absB(r)).toBe(true);
            expect(scaled === 0n ? r === 0n : scaled < 0n === r < 0n).toBe(true);
            break;
        }
      }),
    );
  });

  it('ties (rem = half) follow the table', () => {
    // r = (2m + 1) * 2^(k-1): exactly halfway between m and m + 1
    fc.assert(
      fc.property(arbBigIntIn(-WIDE, WIDE), fc.integer({ min: 1, max: 70 }), (m, k) => {
        const r = (2n * m + 1n) * pow2(k - 1);
        const neg = r < 0n;
        const even = m % 2n === 0n;
        const expected: Record<(typeof RND_MODES)[number], bigint> = {
          RND: m + 1n,
          RND_MIN_INF: m,
          RND_ZERO: neg ? m + 1n : m,
          RND_INF: neg ? m : m + 1n,
          RND_CONV: even ? m : m + 1n,
          RND_CONV_ODD: even ? m + 1n : m,
        };
        for (const mode of RND_MODES) expect(quantizeRef(r, k, mode), mode).toBe(expected[mode]);
      }),
    );
  });

  it('is one step on the exact bits, never double rounding', () => {
    // 0.4375 = 7/16: one step of RND to integer gives 0; rounding to 1/2 first would give 1
    expect(quantizeRef(7n, 4, 'RND')).toBe(0n);
    expect(quantizeRef(-9n, 4, 'RND')).toBe(-1n); // -0.5625
    // 2^70 + 2^69 - 1 dropped by 70 bits: just below the tie
    expect(quantizeRef(pow2(70) + pow2(69) - 1n, 70, 'RND')).toBe(1n);
    expect(quantizeRef(pow2(70) + pow2(69), 70, 'RND_CONV')).toBe(2n);
    expect(quantizeRef(pow2(70) + pow2(69), 70, 'RND_CONV_ODD')).toBe(1n);
  });
});

// ------------------------------------------------------------------ STOCH

describe('STOCH', () => {
  it('needs a random source when bits are dropped', () => {
    expect(() => quantizeRef(5n, 1, 'STOCH')).toThrow(FxInputError);
    expect(() => quantizeRef(5n, 1, 'STOCH')).toThrow(/random source/);
    expect(() => quantizeFast(5, 1, 'STOCH')).toThrow(FxInputError);
    expect(quantizeRef(5n, 0, 'STOCH')).toBe(5n); // nothing dropped, nothing drawn
  });

  it('is floor((r + u) / 2^k) with u the next k bits of the stream', () => {
    fc.assert(
      fc.property(arbR, arbK, fc.integer({ min: 1, max: 0xffffffff }), (r, k, seed) => {
        const a = new Xoshiro128ss(seed);
        const b = new Xoshiro128ss(seed);
        const out = quantizeRef(r, k, 'STOCH', a);
        expect(out).toBe(floorDiv(r + b.bits(k), k));
        expect(a.drawn).toBe(k);
      }),
    );
  });

  it('rounds up for exactly rem of the 2^k possible u (probability rem / 2^k)', () => {
    fc.assert(
      fc.property(arbBigIntIn(-(1n << 40n), 1n << 40n), fc.integer({ min: 1, max: 7 }), (r, k) => {
        const q = floorDiv(r, k);
        const rem = r - q * pow2(k);
        let ups = 0n;
        for (let u = 0n; u < pow2(k); u++) {
          const out = quantizeRef(r, k, 'STOCH', fixedBits(u));
          expect([q, q + 1n]).toContain(out);
          if (out === q + 1n) ups++;
        }
        expect(ups).toBe(rem);
      }),
      { numRuns: 60 },
    );
  });

  const cases: [bigint, number][] = [
    [5n, 2], // 1.25: up with p = 1/4
    [-3n, 3], // -0.375: floor -1, up with p = 5/8
    [1n, 8], // 1/256
    [(1n << 40n) + 12345n, 20],
    [-((1n << 60n) + 3n * (1n << 57n)), 60], // -1.375: deep k, past 53 bits
  ];
  const N = 20000;
  function checkUnbiased(r: bigint, k: number, next: () => bigint) {
    const q = floorDiv(r, k);
    const p = Number(r - q * pow2(k)) / 2 ** k;
    let ups = 0;
    for (let i = 0; i < N; i++) {
      const d = next() - q;
      expect(d === 0n || d === 1n).toBe(true);
      ups += Number(d);
    }
    const mean = ups / N; // mean of out is q + mean
    const se = Math.sqrt((p * (1 - p)) / N);
    expect(Math.abs(mean - p)).toBeLessThanOrEqual(4 * se + 1e-12);
  }
  it.each(cases)('is unbiased over 20000 xoshiro draws: r=%s k=%s', (r, k) => {
    const rng = new Xoshiro128ss(2024);
    checkUnbiased(r, k, () => quantizeRef(r, k, 'STOCH', rng));
  });
  it.each(cases.slice(0, 3))('is unbiased over 20000 LFSR-32 draws: r=%s k=%s', (r, k) => {
    const rng = new Lfsr(32, undefined, 0xace1);
    checkUnbiased(r, k, () => quantizeRef(r, k, 'STOCH', rng));
  });
});

// ------------------------------------------------------------------ counters

describe('quantize event counters', () => {
  it('counts inexact, toZero and stochastic draws on literal cases', () => {
    const c = newCounters();
    quantizeRef(5n, 1, 'TRN', undefined, c); // 2.5 -> 2: inexact
    expect(c).toMatchObject({ inexact: 1, toZero: 0, stochasticDraws: 0 });
    quantizeRef(1n, 1, 'TRN', undefined, c); // 0.5 -> 0: inexact and to zero
    expect(c).toMatchObject({ inexact: 2, toZero: 1 });
    quantizeRef(1n, 1, 'RND', undefined, c); // 0.5 -> 1: inexact, not zero
    expect(c).toMatchObject({ inexact: 3, toZero: 1 });
    quantizeRef(-1n, 1, 'RND', undefined, c); // -0.5 -> 0
    expect(c).toMatchObject({ inexact: 4, toZero: 2 });
    quantizeRef(8n, 2, 'RND', undefined, c); // exact
    quantizeRef(0n, 5, 'TRN', undefined, c); // zero stays zero: not "to zero"
    expect(c).toMatchObject({ inexact: 4, toZero: 2, stochasticDraws: 0 });
    quantizeRef(8n, 2, 'STOCH', fixedBits(3n), c); // exact, but still a draw
    quantizeRef(9n, 2, 'STOCH', fixedBits(3n), c); // 2.25 + 0.75 -> 3
    expect(c).toMatchObject({ inexact: 5, toZero: 2, stochasticDraws: 2 });
    expect(c.values).toBe(0); // quantize alone does not count values
    expect(c.overflows + c.saturations).toBe(0);
  });

  it('inexact / toZero / stochasticDraws match their definitions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbR, arbK, fc.constantFrom(...QUANT_MODE_NAMES)), { maxLength: 20 }), (calls) => {
        const c = newCounters();
        const rng = new Xoshiro128ss(99);
        let inexact = 0;
        let toZero = 0;
        let draws = 0;
        for (const [r, k, m] of calls) {
          const out = quantizeRef(r, k, m, rng, c);
          if (out * pow2(k) !== r) inexact++;
          if (out === 0n && r !== 0n) toZero++;
          if (m === 'STOCH') draws++;
        }
        expect(c).toEqual({ values: 0, inexact, toZero, overflows: 0, saturations: 0, stochasticDraws: draws });
      }),
    );
  });
});
