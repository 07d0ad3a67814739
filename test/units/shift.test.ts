import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { makeFormat, type Format } from '../../src/core/format.ts';
import type { QuantMode } from '../../src/core/modes.ts';
import { ShiftUnit, type ShiftSpec } from '../../src/units/shift.ts';
import { arbCastModes, arbFormat, fixedBits, hi, lo, pow2 } from '../helpers/arbitraries.ts';
import { arbRngPair, arbVec, big, f64, fitsF64, nums, type RngPair } from '../helpers/unit-arbitraries.ts';

const S = (w: number, f = 0) => makeFormat(true, w, f);
const counters = (c: Partial<ReturnType<typeof newCounters>>) => ({ ...newCounters(), ...c });
const shift = (input: Format, by: number, output: Format, rounding: QuantMode = 'TRN', overflow: ShiftSpec['modes']['overflow'] = 'WRAP', nBits = 0) =>
  new ShiftUnit({ name: 's', input, shift: by, output, modes: { rounding, overflow, nBits } });

describe('ShiftUnit: hand-checked examples', () => {
  // SEMANTICS.md, "Checks from SystemC (8-bit signed, k = 1)": raw 5, 3, 1, -1, -3, -5 (2.5 ... -2.5)
  const inputs = [5, 3, 1, -1, -3, -5];
  const table: [QuantMode, number[]][] = [
    ['TRN', [2, 1, 0, -1, -2, -3]],
    ['TRN_ZERO', [2, 1, 0, 0, -1, -2]],
    ['RND', [3, 2, 1, 0, -1, -2]],
    ['RND_ZERO', [2, 1, 0, 0, -1, -2]],
    ['RND_MIN_INF', [2, 1, 0, -1, -2, -3]],
    ['RND_INF', [3, 2, 1, -1, -2, -3]],
    ['RND_CONV', [2, 2, 0, 0, -2, -2]],
  ];
  it.each(table)('right shift by 1, %s', (mode, expected) => {
    const u = shift(S(8, 1), 1, S(8, 0), mode);
    expect(nums(u.run(Float64Array.from(inputs)))).toEqual(expected);
    expect(big(shift(S(8, 1), 1, S(8, 0), mode).run(inputs.map(BigInt)))).toEqual(expected.map(BigInt));
    expect(u.counters.inexact).toBe(6);
  });

  it('counts inexact, to-zero, overflow and saturation events', () => {
    // >> 2 (TRN) into fixed<4,4> SAT: 5 -> 1 (inexact), -1 -> -1 (inexact), 1 -> 0 (inexact, to zero),
    // 100 -> 25 -> 7 (overflow, saturation), 8 -> 2 (exact)
    for (const x of [Float64Array.of(5, -1, 1, 100, 8), [5n, -1n, 1n, 100n, 8n]]) {
      const u = shift(S(8), 2, S(4), 'TRN', 'SAT');
      expect(big(u.run(x))).toEqual([1n, -1n, 0n, 7n, 2n]);
      expect(u.counters).toEqual(counters({ values: 5, inexact: 3, toZero: 1, overflows: 1, saturations: 1 }));
    }
  });

  it('a left shift is exact, then overflows', () => {
    const u = shift(S(8), -3, S(16));
    expect(nums(u.run(Float64Array.of(5, -7, 0, 127, -128)))).toEqual([40, -56, 0, 1016, -1024]);
    expect(u.counters).toEqual(counters({ values: 5 }));
    // 100 << 2 = 400 into fixed<8,8>: SAT 127; WRAP 400 - 512 = -112
    expect(nums(shift(S(8), -2, S(8), 'TRN', 'SAT').run(Float64Array.of(100)))).toEqual([127]);
    expect(nums(shift(S(8), -2, S(8)).run(Float64Array.of(100)))).toEqual([-112]);
  });

  it('STOCH: rounds up when r + u reaches the next multiple (u chosen by the test)', () => {
    // 5 >> 2 = 1.25: u = 3 -> floor(8/4) = 2; u = 2 -> floor(7/4) = 1; an exact 8 stays 2 whatever u
    for (const [u, expected] of [[3n, [2, 2]], [2n, [1, 2]]] as const) {
      for (const x of [Float64Array.of(5, 8), [5n, 8n]]) {
        const unit = shift(S(8), 2, S(8), 'STOCH');
        expect(big(unit.run(x, fixedBits(u)))).toEqual(expected.map(BigInt));
        expect(unit.counters.stochasticDraws).toBe(2);
      }
    }
  });

  it('rejects a non-integer shift and bad overflow arguments', () => {
    expect(() => shift(S(8), 1.5, S(8))).toThrow(FxInputError);
    expect(() => shift(S(8), 1, makeFormat(false, 8, 0), 'TRN', 'WRAP_SM')).toThrow(/signed/);
    expect(() => shift(S(8), 1, S(8), 'TRN', 'WRAP', 9)).toThrow(/n_bits/);
  });
});

interface ShiftCase {
  spec: ShiftSpec;
  x: bigint[];
}

const arbShiftBy = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -12, max: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 40, max: 70 }) },
  { weight: 1, arbitrary: fc.constantFrom(-20, -3, -1, 0, 1, 52, 53, 54, 1001) },
);

function arbShiftCase(fmt: () => fc.Arbitrary<Format>): fc.Arbitrary<ShiftCase> {
  return fc.tuple(fmt(), fmt(), arbShiftBy).chain(([input, output, by]) =>
    fc.record({
      spec: arbCastModes(output).map((modes): ShiftSpec => ({ name: 's', input, shift: by, output, modes })),
      x: fc.integer({ min: 0, max: 8 }).chain((n) => arbVec(input, n)),
    }),
  );
}

function checkFastEqualsRef(c: ShiftCase, rngs: RngPair): boolean {
  const a = new ShiftUnit(c.spec);
  const b = new ShiftUnit(c.spec);
  const out = a.run(fitsF64(c.x) ? f64(c.x) : c.x, rngs.a);
  const ref = b.run(c.x.slice(), rngs.b); // bigint[] always takes the reference path
  expect(Array.isArray(ref)).toBe(true);
  expect(big(out)).toEqual(ref);
  expect(a.counters).toEqual(b.counters);
  expect(rngs.a.drawn).toBe(rngs.b.drawn);
  return out instanceof Float64Array;
}

describe('ShiftUnit: fast == ref', () => {
  it('random formats, shifts and modes (STOCH with identically seeded sources)', () => {
    let fast = 0;
    fc.assert(
      fc.property(arbShiftCase(() => arbFormat({ maxWidth: 60 })), arbRngPair, (c, rngs) => {
        if (checkFastEqualsRef(c, rngs)) fast++;
      }),
      { numRuns: 400 },
    );
    expect(fast).toBeGreaterThan(100);
  });

  it('at the 2^53 boundary: 50- to 56-bit inputs and outputs', () => {
    let fast = 0;
    const edge = () => arbFormat({ minWidth: 50, maxWidth: 56, fracSlack: 4 });
    fc.assert(
      fc.property(arbShiftCase(edge), arbRngPair, (c, rngs) => {
        if (checkFastEqualsRef(c, rngs)) fast++;
      }),
      { numRuns: 300 },
    );
    expect(fast).toBeGreaterThan(30);
  });

  it('a left shift into a wide enough output is exact and counts nothing but values', () => {
    const arbCase = fc
      .tuple(arbFormat({ maxWidth: 40 }), fc.integer({ min: 1, max: 20 }))
      .chain(([input, k]) => fc.record({ input: fc.constant(input), k: fc.constant(k), x: arbVec(input, 6) }));
    fc.assert(
      fc.property(arbCase, ({ input, k, x }) => {
        const output = makeFormat(true, input.width + k + 1, input.frac + k);
        const u = shift(input, -k, output, 'RND', 'SAT');
        expect(big(u.run(f64(x)))).toEqual(x.map((r) => r * pow2(k)));
        expect(u.counters).toEqual(counters({ values: 6 }));
      }),
      { numRuns: 200 },
    );
  });

  it('outputs are always in the output range', () => {
    fc.assert(
      fc.property(arbShiftCase(() => arbFormat({ maxWidth: 40 })), arbRngPair, (c, rngs) => {
        for (const v of big(new ShiftUnit(c.spec).run(c.x, rngs.a))) {
          expect(v >= lo(c.spec.output) && v <= hi(c.spec.output)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
