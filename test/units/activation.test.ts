import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castRef } from '../../src/core/cast.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { formatName, makeFormat, type Format } from '../../src/core/format.ts';
import { ActivationUnit, type ActivationSpec } from '../../src/units/activation.ts';
import { ACTIVATIONS } from '../../src/units/activations/index.ts';
import { arbCastModes, arbDetQuantMode, arbFormat, fixedBits } from '../helpers/arbitraries.ts';
import { unitOf } from '../helpers/activation-check.ts';
import { ACTIVATION_PARAMS, arbActInput, arbRngPair, arbVec, big, f64, fitsF64, nums } from '../helpers/unit-arbitraries.ts';

const S = (w: number, f = 0) => makeFormat(true, w, f);
const counters = (c: Partial<ReturnType<typeof newCounters>>) => ({ ...newCounters(), ...c });
const NAMES = Object.keys(ACTIVATIONS);

describe('ActivationUnit: hand-checked examples', () => {
  it('the output cast uses the unit\'s modes: linear fixed<8,4> -> fixed<4,2>', () => {
    // raw 5, 6, -6, 100, -128 (0.3125, 0.375, -0.375, 6.25, -8) dropping 2 bits:
    // RND: 1.25 -> 1, 1.5 -> 2, -1.5 -> -1, 25 -> SAT 7, -32 -> SAT -8
    const x = Float64Array.of(5, 6, -6, 100, -128);
    const rnd = unitOf('linear', {}, S(8, 4), S(4, 2), { rounding: 'RND', overflow: 'SAT', nBits: 0 });
    expect(nums(rnd.run(x))).toEqual([1, 2, -1, 7, -8]);
    expect(rnd.counters).toEqual(counters({ values: 5, inexact: 3, overflows: 2, saturations: 2 }));
    // TRN, WRAP: 1, 1, -2, 25 -> 25 - 32 = -7, -32 -> 0
    const trn = unitOf('linear', {}, S(8, 4), S(4, 2), { rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    expect(nums(trn.run(x))).toEqual([1, 1, -2, -7, 0]);
    expect(trn.counters).toEqual(counters({ values: 5, inexact: 3, overflows: 2 }));
    // the same on the reference path
    const ref = unitOf('linear', {}, S(8, 4), S(4, 2), { rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    expect(ref.run([5n, 6n, -6n, 100n, -128n])).toEqual([1n, 1n, -2n, -7n, 0n]);
    expect(ref.counters).toEqual(trn.counters);
  });

  it('STOCH output rounding draws per value (u chosen by the test)', () => {
    // leaky shift 2 on integers, output integers: -5 -> -1.25 (raw -5 at frac 2); u = 3: floor((-5 + 3) / 4) = -1
    for (const x of [Float64Array.of(-5, 8), [-5n, 8n]]) {
      const u = unitOf('leaky_relu', { shift: 2 }, S(8), S(8), { rounding: 'STOCH', overflow: 'SAT', nBits: 0 });
      expect(big(u.run(x, fixedBits(3n)))).toEqual([-1n, 8n]);
      // 8 > 0 is exact at frac 2 (raw 32) but still drops 2 bits: one draw each
      expect(u.counters).toEqual(counters({ values: 2, inexact: 1, stochasticDraws: 2 }));
    }
  });

  it('exactFormat and ports', () => {
    const u = unitOf('leaky_relu', { shift: 3 }, S(8, 4), S(16, 8));
    // |exact| <= 2^(7 + 3) inclusive, at frac 4 + 3: 12 signed bits hold +2^10
    expect(formatName(u.exactFormat)).toBe('fixed<12,5>');
    expect(u.exactFormat.frac).toBe(7);
    expect(u.ports).toEqual({ inputs: { x: S(8, 4) }, output: S(16, 8) });
    expect(u.kind).toBe('activation');
  });

  it('derivative: raw values in the kernel\'s format, no events counted', () => {
    const u = unitOf('hard_tanh', {}, S(8, 4));
    expect(nums(u.derivative(Float64Array.of(-16, -15, 0, 15, 16)))).toEqual([0, 1, 1, 1, 0]);
    expect(u.derivative([-16n, 0n])).toEqual([0n, 1n]);
    expect(u.counters).toEqual(newCounters());
  });

  it('rejects overflow arguments the output cannot take', () => {
    expect(() => unitOf('relu', {}, S(8), makeFormat(false, 8, 0), { rounding: 'TRN', overflow: 'WRAP_SM', nBits: 0 })).toThrow(FxInputError);
    expect(() => unitOf('relu', {}, S(8), S(8), { rounding: 'TRN', overflow: 'WRAP', nBits: 9 })).toThrow(/n_bits/);
  });
});

interface ActCase {
  spec: ActivationSpec;
  x: bigint[];
}

/** Any registered activation, valid params, input/output formats, modes, and a data vector (sometimes much narrower than its format). */
function arbActCase(quant?: typeof arbDetQuantMode): fc.Arbitrary<ActCase> {
  return fc
    .record({ name: fc.constantFrom(...NAMES), input: arbActInput, outShift: fc.integer({ min: -6, max: 8 }), outWidth: fc.integer({ min: 1, max: 60 }), outSigned: fc.boolean(), any: arbFormat({ maxWidth: 60 }), related: fc.boolean() })
    .chain(({ name, input, outShift, outWidth, outSigned, any, related }) => {
      const output: Format = related ? makeFormat(outSigned, outWidth, input.frac + outShift) : any;
      return fc.record({
        spec: fc.record({ params: ACTIVATION_PARAMS[name], modes: arbCastModes(output, quant) }).map(({ params, modes }): ActivationSpec => ({
          name: 'act', def: ACTIVATIONS[name], params: ACTIVATIONS[name].params.parse(params) as Record<string, unknown>, input, output, modes,
        })),
        x: fc.integer({ min: 0, max: 8 }).chain((n) => fc.oneof(arbVec(input, n), arbVec(input, n, { bits: 12 }))),
      });
    });
}

describe('ActivationUnit: fast == ref', () => {
  it('run and derivative, every activation, outputs and counters (STOCH with identically seeded sources)', () => {
    let fast = 0;
    fc.assert(
      fc.property(arbActCase(), arbRngPair, ({ spec, x }, rngs) => {
        const a = new ActivationUnit(spec);
        const b = new ActivationUnit(spec);
        const numeric = fitsF64(x);
        const out = a.run(numeric ? f64(x) : x, rngs.a);
        const ref = b.run(x.slice(), rngs.b); // bigint[] always takes the reference path
        expect(big(out)).toEqual(ref);
        expect(a.counters).toEqual(b.counters);
        expect(rngs.a.drawn).toBe(rngs.b.drawn);
        expect(big(a.derivative(numeric ? f64(x) : x))).toEqual(b.derivative(x.slice()));
        if (out instanceof Float64Array) fast++;
      }),
      { numRuns: 500 },
    );
    expect(fast).toBeGreaterThan(150);
  });

  it('run is the kernel\'s exact value cast once into the output with the unit\'s modes', () => {
    fc.assert(
      fc.property(arbActCase(arbDetQuantMode), ({ spec, x }) => {
        const u = new ActivationUnit(spec);
        const out = u.run(fitsF64(x) ? f64(x) : x);
        const exactFrac = { ...spec.input, frac: spec.input.frac + u.kernel.extraFrac };
        expect(big(out)).toEqual(x.map((r) => castRef(u.kernel.exactRef(r), exactFrac, spec.output, spec.modes)));
        expect(u.counters.values).toBe(x.length);
      }),
      { numRuns: 300 },
    );
  });
});
