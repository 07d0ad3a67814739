import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castRef } from '../../src/core/cast.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { overflowFast, overflowPlan } from '../../src/core/fast.ts';
import { makeFormat, type Format } from '../../src/core/format.ts';
import { OVERFLOW_MODE_NAMES, type OverflowMode } from '../../src/core/modes.ts';
import { checkOverflowArgs, OVERFLOW, overflowRef } from '../../src/core/overflow.ts';
import { arbFormat, arbOverflowFor, arbRawAround, hi, lo, modB, pow2 } from '../helpers/arbitraries.ts';

// ------------------------------------------------------------------ tables

const S4 = makeFormat(true, 4, 0);
const U4 = makeFormat(false, 4, 0);
const S8 = makeFormat(true, 8, 0); // holds every table input, for the castRef check

type Row = [label: string, mode: OverflowMode, nBits: number, expected: number[]];

/** SEMANTICS.md "Checks from SystemC, signed W = 4": rows copied verbatim. */
const S4_INPUTS = [19, -19, 8, -9, 9, -8, 100, -100];
const S4_ROWS: Row[] = [
  ['SAT', 'SAT', 0, [7, -8, 7, -8, 7, -8, 7, -8]],
  ['SAT_ZERO', 'SAT_ZERO', 0, [0, 0, 0, 0, 0, -8, 0, 0]],
  ['SAT_SYM', 'SAT_SYM', 0, [7, -7, 7, -7, 7, -7, 7, -7]],
  ['WRAP', 'WRAP', 0, [3, -3, -8, 7, -7, -8, 4, -4]],
  ['WRAP n=1', 'WRAP', 1, [3, -3, 0, -1, 1, -8, 4, -4]],
  ['WRAP n=2', 'WRAP', 2, [7, -7, 4, -5, 5, -8, 4, -8]],
  ['WRAP_SM', 'WRAP_SM', 0, [-4, 2, 7, -8, 6, -8, 4, -4]],
  // measured with SystemC 2.3.4 (libsystemc-dev)
  ['WRAP_SM n=1', 'WRAP_SM', 1, [3, -3, 7, -8, 6, -8, 4, -4]],
  ['WRAP_SM n=2', 'WRAP_SM', 2, [4, -6, 7, -8, 6, -8, 4, -5]],
  // hand-derived: n_bits = W saturates every bit
  ['WRAP n=4 (hand)', 'WRAP', 4, [7, -8, 7, -8, 7, -8, 7, -8]],
];

/** SEMANTICS.md unsigned W = 4 rows, then hand-derived ones. */
const U4_INPUTS = [19, -3, 16, 17, -17];
const U4_ROWS: Row[] = [
  ['SAT', 'SAT', 0, [15, 0, 15, 15, 0]],
  ['SAT_ZERO', 'SAT_ZERO', 0, [0, 0, 0, 0, 0]],
  ['WRAP', 'WRAP', 0, [3, 13, 0, 1, 15]],
  ['WRAP n=1', 'WRAP', 1, [11, 5, 8, 9, 7]],
  // hand: top 2 bits saturate (11 above, 00 below), low 2 bits wrap
  ['WRAP n=2 (hand)', 'WRAP', 2, [15, 1, 12, 13, 3]],
  ['WRAP n=4 (hand)', 'WRAP', 4, [15, 0, 15, 15, 0]],
  ['SAT_SYM (hand: unsigned is plain SAT)', 'SAT_SYM', 0, [15, 0, 15, 15, 0]],
];

function checkRow(f: Format, inputs: number[], mode: OverflowMode, n: number, expected: number[]) {
  const plan = overflowPlan(f, mode, n);
  const modes = { rounding: 'TRN' as const, overflow: mode, nBits: n };
  expect(inputs.map((r) => Number(overflowRef(BigInt(r), f, mode, n)))).toEqual(expected);
  expect(inputs.map((r) => overflowFast(r, plan))).toEqual(expected);
  expect(inputs.map((r) => Number(castRef(BigInt(r), S8, f, modes)))).toEqual(expected);
}

describe('overflow tables', () => {
  it.each(S4_ROWS)('signed W=4 %s', (_l, mode, n, expected) => checkRow(S4, S4_INPUTS, mode, n, expected));
  it.each(U4_ROWS)('unsigned W=4 %s', (_l, mode, n, expected) => checkRow(U4, U4_INPUTS, mode, n, expected));

  it('SAT_SYM maps the in-range signed minimum -8 to -7 and counts it as an overflow', () => {
    const c = newCounters();
    expect(overflowRef(-8n, S4, 'SAT_SYM', 0, c)).toBe(-7n);
    expect(c).toMatchObject({ overflows: 1, saturations: 1 });
  });

  it('OVERFLOW has exactly the five modes', () => {
    expect(Object.keys(OVERFLOW).sort()).toEqual([...OVERFLOW_MODE_NAMES].sort());
    expect([...OVERFLOW_MODE_NAMES].sort()).toEqual(['SAT', 'SAT_SYM', 'SAT_ZERO', 'WRAP', 'WRAP_SM']);
  });
});

// ------------------------------------------------------------------ properties

const arbCase = arbFormat({ maxWidth: 80 }).chain((f) =>
  fc.record({ f: fc.constant(f), o: arbOverflowFor(f), r: arbRawAround(f) }),
);
const symLo = (f: Format) => (f.signed ? -hi(f) : 0n);

describe('overflowRef properties', () => {
  it('results are in range; in-range values pass unchanged (except the SAT_SYM minimum)', () => {
    fc.assert(
      fc.property(arbCase, ({ f, o, r }) => {
        const out = overflowRef(r, f, o.overflow, o.nBits);
        const low = o.overflow === 'SAT_SYM' ? symLo(f) : lo(f);
        expect(out >= low && out <= hi(f)).toBe(true);
        if (r >= low && r <= hi(f)) expect(out).toBe(r);
      }),
      { numRuns: 1000 },
    );
  });

  it('WRAP with n_bits = 0 is congruent to the input mod 2^W', () => {
    fc.assert(
      fc.property(arbFormat({ maxWidth: 80 }).chain((f) => fc.tuple(fc.constant(f), arbRawAround(f, 40))), ([f, r]) => {
        const out = overflowRef(r, f, 'WRAP', 0);
        expect(modB(out - r, pow2(f.width))).toBe(0n);
        expect(out >= lo(f) && out <= hi(f)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('WRAP with 0 < n_bits < W keeps the low W-n bits and saturates the top n bits', () => {
    const arb = arbFormat({ minWidth: 2, maxWidth: 80 }).chain((f) =>
      fc.tuple(fc.constant(f), fc.integer({ min: 1, max: f.width - 1 }), arbRawAround(f, 20)),
    );
    fc.assert(
      fc.property(arb, ([f, n, r]) => {
        const out = overflowRef(r, f, 'WRAP', n);
        const low = pow2(f.width - n);
        expect(modB(out - r, low)).toBe(0n);
        // the top n bits of the saturated value: max has them 0 1..1 (signed) / 1..1 (unsigned), min has 1 0..0 / 0..0
        if (r > hi(f)) expect(out > hi(f) - low && out <= hi(f)).toBe(true);
        else if (r < lo(f)) expect(out >= lo(f) && out < lo(f) + low).toBe(true);
        else expect(out).toBe(r);
      }),
      { numRuns: 500 },
    );
  });

  it('WRAP and WRAP_SM with n_bits = W saturate', () => {
    fc.assert(
      fc.property(arbFormat().chain((f) => fc.tuple(fc.constant(f), arbRawAround(f))), ([f, r]) => {
        const sat = overflowRef(r, f, 'SAT');
        expect(overflowRef(r, f, 'WRAP', f.width)).toBe(sat);
        if (f.signed) expect(overflowRef(r, f, 'WRAP_SM', f.width)).toBe(sat);
      }),
    );
  });

  it('SAT clamps, is monotone and idempotent; SAT_SYM clamps symmetrically; SAT_ZERO zeroes', () => {
    const arb = arbFormat({ maxWidth: 80 }).chain((f) => fc.tuple(fc.constant(f), arbRawAround(f), arbRawAround(f)));
    fc.assert(
      fc.property(arb, ([f, x, y]) => {
        const sat = (v: bigint) => overflowRef(v, f, 'SAT');
        const clamp = (v: bigint, a: bigint, b: bigint) => (v < a ? a : v > b ? b : v);
        expect(sat(x)).toBe(clamp(x, lo(f), hi(f)));
        if (x <= y) expect(sat(x) <= sat(y)).toBe(true);
        expect(sat(sat(x))).toBe(sat(x));
        expect(overflowRef(x, f, 'SAT_SYM')).toBe(clamp(x, symLo(f), hi(f)));
        expect(overflowRef(x, f, 'SAT_ZERO')).toBe(x >= lo(f) && x <= hi(f) ? x : 0n);
      }),
      { numRuns: 500 },
    );
  });

  it('counts overflows and saturations', () => {
    fc.assert(
      fc.property(arbCase, ({ f, o, r }) => {
        const c = newCounters();
        overflowRef(r, f, o.overflow, o.nBits, c);
        const low = o.overflow === 'SAT_SYM' ? symLo(f) : lo(f);
        const over = r < low || r > hi(f) ? 1 : 0;
        const satMode = o.overflow.startsWith('SAT');
        expect(c).toEqual({ ...newCounters(), overflows: over, saturations: satMode ? over : 0 });
      }),
    );
  });

  it('counts on literal cases', () => {
    const c = newCounters();
    overflowRef(7n, S4, 'SAT', 0, c);
    overflowRef(-8n, S4, 'WRAP', 0, c);
    expect(c).toEqual(newCounters());
    overflowRef(8n, S4, 'SAT', 0, c);
    overflowRef(8n, S4, 'WRAP', 0, c);
    overflowRef(-9n, S4, 'WRAP_SM', 0, c);
    overflowRef(16n, U4, 'SAT_ZERO', 0, c);
    expect(c).toEqual({ ...newCounters(), overflows: 4, saturations: 2 });
  });
});

describe('checkOverflowArgs', () => {
  it('accepts legal arguments', () => {
    expect(() => checkOverflowArgs(S4, 'WRAP_SM', 0)).not.toThrow();
    expect(() => checkOverflowArgs(S4, 'WRAP', 4)).not.toThrow();
    expect(() => checkOverflowArgs(U4, 'SAT', 0)).not.toThrow();
  });
  it.each([
    [U4, 'WRAP_SM', 0, /WRAP_SM.*signed/],
    [S4, 'WRAP', -1, /n_bits/],
    [S4, 'WRAP', 1.5, /n_bits/],
    [S4, 'WRAP', 5, /n_bits 5 exceeds the format width 4/],
  ] as const)('rejects %o %s n=%s', (f, mode, n, msg) => {
    expect(() => checkOverflowArgs(f, mode, n)).toThrow(FxInputError);
    expect(() => checkOverflowArgs(f, mode, n)).toThrow(msg);
  });
  it('prefixes the location', () => {
    expect(() => checkOverflowArgs(U4, 'WRAP_SM', 0, 'cfg.yaml:3')).toThrow(/^cfg\.yaml:3: /);
  });
});
