import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceOnly } from '../../src/core/exact.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { makeFormat, type Format } from '../../src/core/format.ts';
import type { OverflowMode, QuantMode } from '../../src/core/modes.ts';
import {
  EXP2_COEFFS_DECIMAL, SOFTMAX_DEFAULTS, SoftmaxUnit, softmaxConstants, softmaxParamsSchema, softmaxSpec, type SoftmaxSpec,
} from '../../src/units/softmax.ts';
import { DET_QUANT_MODES, arbDetQuantMode, arbFormat, arbOverflowFor, arbRaw } from '../helpers/arbitraries.ts';
import { big, f64 } from '../helpers/unit-arbitraries.ts';

const S = (w: number, f: number) => makeFormat(true, w, f);
const U = (w: number, f: number) => makeFormat(false, w, f);

function unit(input: Format, output: Format, rounding: QuantMode = 'TRN', overflow: OverflowMode = 'SAT', extra: Partial<SoftmaxSpec> = {}): SoftmaxUnit {
  return new SoftmaxUnit({ name: 'sm', input, output, modes: { rounding, overflow, nBits: 0 }, ...extra });
}

describe('SoftmaxUnit: constants', () => {
  it('LOG2E and the 2^f coefficients at the default 16 fraction bits', () => {
    expect(SOFTMAX_DEFAULTS).toEqual({ log2eFrac: 16, expFrac: 16 });
    const k = softmaxConstants(16, 16);
    // round(1.4426950408889634 * 65536) = round(94548.46...) ; round(0.6954243 * 65536) = round(45575.32...),
    // round(0.2263077 * 65536) = round(14831.1...), C3 = 65536 - 45575 - 14831
    expect(k.log2e).toBe(94548n);
    expect(k.coeffs).toEqual([65536n, 45575n, 14831n, 5130n]);
    expect(EXP2_COEFFS_DECIMAL).toEqual(['0.6954243', '0.2263077']);
  });

  it('LOG2E is round(log2(e) * 2^Lf) at every precision a double can check', () => {
    for (let lf = 1; lf <= 40; lf++) {
      expect(softmaxConstants(lf, 16).log2e).toBe(BigInt(Math.round(Math.LOG2E * 2 ** lf)));
    }
  });

  it('every exp_frac: C0 = 2^Ef, all coefficients >= 0 and C1 + C2 + C3 = 2^Ef (P(1) = 2 exactly)', () => {
    for (let ef = 1; ef <= 64; ef++) {
      const [c0, c1, c2, c3] = softmaxConstants(16, ef).coeffs;
      const one = 1n << BigInt(ef);
      expect(c0).toBe(one);
      for (const c of [c1, c2, c3]) expect(c >= 0n).toBe(true);
      expect(c1 + c2 + c3).toBe(one);
    }
  });

  it('the exp format and the sum format', () => {
    const u = unit(S(16, 12), U(17, 16));
    expect(u.expFormat).toEqual(U(17, 16));
    expect(u.tFrac).toBe(28);
    expect(u.sumFormat(1)).toEqual(U(17, 16));
    expect(u.sumFormat(3)).toEqual(U(19, 16));
    expect(u.sumFormat(10)).toEqual(U(21, 16));
    expect(u.kind).toBe('softmax');
    expect(u.ports).toEqual({ inputs: { x: S(16, 12) }, output: U(17, 16) });
  });
});

describe('SoftmaxUnit: hand-checked example', () => {
  // z = [1, 0, -1] in fixed<8,4> (raw 16, 0, -16), defaults Lf = Ef = 16, output ufixed<17,1> (frac 16).
  //   d = [0, -16, -32]; t = d * 94548 (frac 20) = [0, -1512768, -3025536]
  //   u = floor(t / 2^4) = [0, -94548, -189096]; n = floor(u / 2^16) = [0, -2, -3]; f = [0, 36524, 7512]
  //   f = 36524: y3 = 5130, y2 = 14831 + floor(5130*36524/65536) = 14831 + 2859 = 17690,
  //              y1 = 45575 + floor(17690*36524/65536) = 45575 + 9858 = 55433,
  //              y0 = 65536 + floor(55433*36524/65536) = 65536 + 30893 = 96429; exp = 96429 >> 2 = 24107 (TRN)
  //   f = 7512:  y2 = 14831 + 588 = 15419, y1 = 45575 + 1767 = 47342, y0 = 65536 + 5426 = 70962; exp = 70962 >> 3 = 8870
  //   exp = [65536, 24107, 8870] (e^0, e^-1, e^-2 = 1, 0.36784, 0.13535 vs 1, 0.36788, 0.13534); sum = 98513
  //   p * 2^16 = exp * 65536 / 98513 = [43597 r 96035, 16037 r 23371, 5900 r 77620]
  //   TRN: [43597, 16037, 5900] (sum 65534); RND: remainders vs 98513/2 -> [43598, 16037, 5901] (sum 65536)
  //   TRN_INF rounds the exp shift up too: exp = [65536, 24108, 8871], sum 98515,
  //   p * 2^16 = [43597 r 8841, 16037 r 56833, 5901 r 32841] -> [43598, 16038, 5902]
  //   (true softmax: 0.665241, 0.244728, 0.090031; TRN gives 0.665237, 0.244705, 0.090027)
  const z = [16n, 0n, -16n];
  it('exp values', () => {
    const u = unit(S(8, 4), U(17, 16));
    expect(z.map((v) => u.expRef(v - 16n))).toEqual([65536n, 24107n, 8870n]);
    expect(z.map((v) => u.expFast(Number(v) - 16))).toEqual([65536, 24107, 8870]);
  });

  it.each([
    ['TRN', [43597n, 16037n, 5900n]],
    ['RND', [43598n, 16037n, 5901n]],
    ['RND_CONV', [43598n, 16037n, 5901n]],
    ['TRN_INF', [43598n, 16038n, 5902n]],
  ] as const)('p with %s, both paths, with the event counts', (mode, expected) => {
    for (const x of [z, f64(z)]) {
      const u = unit(S(8, 4), U(17, 16), mode);
      const p = u.run(x);
      expect(big(p)).toEqual([...expected]);
      expect(p instanceof Float64Array).toBe(x instanceof Float64Array);
      expect(u.counters).toEqual({ ...newCounters(), values: 3, inexact: 3 });
    }
  });

  it('equal inputs give equal probabilities; a single element gives 1', () => {
    const u = unit(S(8, 4), U(17, 16));
    expect(big(u.run(Float64Array.of(5, 5, 5, 5)))).toEqual([16384n, 16384n, 16384n, 16384n]);
    expect(u.counters).toEqual({ ...newCounters(), values: 4 });
    expect(big(u.run([-100n]))).toEqual([65536n]);
    expect(big(u.run(new Float64Array(0)))).toEqual([]);
  });

  it('counts probabilities that become 0, overflows and saturations', () => {
    // z = [7.9375, -8] in fixed<8,4>: d = -15.94, exp underflows to 0 -> p = 0 (toZero);
    // ufixed<16,0> cannot hold p = 1.0: SAT gives 65535 (overflow, saturation), WRAP gives 0
    for (const x of [[127n, -128n], Float64Array.of(127, -128)]) {
      const sat = unit(S(8, 4), U(16, 16), 'TRN', 'SAT');
      expect(big(sat.run(x))).toEqual([65535n, 0n]);
      expect(sat.counters).toEqual({ ...newCounters(), values: 2, toZero: 1, overflows: 1, saturations: 1 });
      const wrap = unit(S(8, 4), U(16, 16), 'TRN', 'WRAP');
      expect(big(wrap.run(x))).toEqual([0n, 0n]);
      expect(wrap.counters).toEqual({ ...newCounters(), values: 2, toZero: 1, overflows: 1 });
    }
    // exp > 0 but p rounds to 0 in a coarse output: counted too
    const coarse = unit(S(8, 4), U(5, 4));
    expect(big(coarse.run([32n, 0n]))).toEqual([14n, 1n]);
    expect(big(coarse.run([48n, 0n]))).toEqual([15n, 0n]);
    expect(coarse.counters.toZero).toBe(1);
  });
});

describe('SoftmaxUnit: the exp approximation', () => {
  // |exp(d) - e^d| <= 1.2e-4 * e^d + 2^-16 over d in [-16, 0] (documented in src/units/softmax.ts)
  const REL = 1.2e-4;
  const cases: [number, QuantMode[]][] = [[4, DET_QUANT_MODES], [8, DET_QUANT_MODES], [12, DET_QUANT_MODES], [16, ['TRN']]];
  it.each(cases)('input frac %i: every raw d in [-16, 0], error bound, monotone, exp(0) = 1', (fin, modes) => {
    for (const mode of modes) {
      const u = unit(S(32, fin), U(17, 16), mode);
      const N = 16 * 2 ** fin;
      let worst = 0;
      let worstRel = 0;
      let prev = -1;
      let monotone = true;
      for (let d = -N; d <= 0; d++) {
        const raw = u.expFast(d);
        if (raw < prev) monotone = false;
        prev = raw;
        const e = raw / 65536;
        const exact = Math.exp(d / 2 ** fin);
        const err = Math.abs(e - exact);
        worst = Math.max(worst, (err - 2 ** -16) / exact);
        if (exact >= 2 ** -6) worstRel = Math.max(worstRel, err / exact);
      }
      expect(worst, mode).toBeLessThanOrEqual(REL);
      expect(monotone, mode).toBe(true);
      expect(u.expFast(0)).toBe(65536);
      if (mode === 'TRN' || mode.startsWith('RND')) expect(worstRel, mode).toBeLessThan(1e-3);
    }
  });

  it('exp reference == fast, including shifts past the cap (d far below -16)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 24 }), fc.integer({ min: 1, max: 26 }), fc.integer({ min: 1, max: 26 }), arbDetQuantMode,
      fc.integer({ min: -(2 ** 24), max: 0 }),
      (fin, lf, ef, mode, d) => {
        const u = unit(S(26, fin), U(17, 16), mode, 'SAT', { log2eFrac: lf, expFrac: ef });
        const ref = u.expRef(BigInt(d));
        expect(ref >= 0n && ref <= 1n << BigInt(ef)).toBe(true);
        if (u.provenFast(25, 1)) expect(u.expFast(d)).toBe(Number(ref));
      },
    ), { numRuns: 2000 });
  });

  it('higher precision: at log2e_frac = exp_frac = 24 the error is the polynomial\'s own (1.03e-4)', () => {
    const u = unit(S(32, 8), U(25, 24), 'RND', 'SAT', { log2eFrac: 24, expFrac: 24 });
    let worst = 0;
    for (let d = -16 * 256; d <= 0; d++) {
      const exact = Math.exp(d / 256);
      worst = Math.max(worst, (Math.abs(u.expFast(d) / 2 ** 24 - exact) - 2 ** -24) / exact);
    }
    expect(worst).toBeLessThan(1.04e-4);
    expect(worst).toBeGreaterThan(1.0e-4);
  });
});

/** A unit case across the fast-path boundary: input up to 40 bits (numbers hold it), precisions up to 30. */
const arbCase = fc
  .record({
    input: arbFormat({ minWidth: 1, maxWidth: 40, fracSlack: 6 }),
    output: arbFormat({ minWidth: 1, maxWidth: 40, fracSlack: 4 }),
    lf: fc.integer({ min: 1, max: 30 }),
    ef: fc.integer({ min: 1, max: 30 }),
    rounding: arbDetQuantMode,
  })
  .chain((c) => fc.record({
    c: fc.constant(c),
    o: arbOverflowFor(c.output),
    z: fc.array(arbRaw(c.input), { minLength: 1, maxLength: 9 }),
  }));

const specOf = ({ c, o }: { c: { input: Format; output: Format; lf: number; ef: number; rounding: QuantMode }; o: { overflow: OverflowMode; nBits: number } }): SoftmaxSpec => ({
  name: 'sm', input: c.input, output: c.output, modes: { rounding: c.rounding, overflow: o.overflow, nBits: o.nBits }, log2eFrac: c.lf, expFrac: c.ef,
});

describe('SoftmaxUnit: fast path == BigInt reference', () => {
  it('property: same raw values and the same event counts, when the fast path is proven', () => {
    let fast = 0;
    let total = 0;
    fc.assert(fc.property(arbCase, (k) => {
      const spec = specOf(k);
      const a = new SoftmaxUnit(spec);
      const b = new SoftmaxUnit(spec);
      const ref = a.runRef(k.z);
      const out = b.runFast(f64(k.z));
      total++;
      if (out) {
        fast++;
        expect(big(out)).toEqual(ref);
        expect(b.counters).toEqual(a.counters);
      } else {
        expect(b.counters).toEqual(newCounters()); // nothing counted on a refused attempt
      }
      // run() picks a path and always gives the reference's bits
      const c = new SoftmaxUnit(spec);
      expect(big(c.run(f64(k.z)))).toEqual(ref);
      expect(c.counters).toEqual(a.counters);
    }), { numRuns: 3000 });
    expect(fast / total).toBeGreaterThan(0.3);
  });

  it('wide declared formats with small data still take the fast path (the proof is on the data)', () => {
    const u = unit(S(64, 20), U(33, 32), 'RND_CONV', 'SAT');
    const z = [1n << 21n, -(1n << 20n), 0n, 12345n];
    expect(u.runFast(f64(z))).toBeDefined();
    const r = new SoftmaxUnit(u.spec);
    expect(big(u.runFast(f64(z))!)).toEqual(r.runRef(z));
    // a spread beyond the proof is refused, and run() falls back to the reference
    const wide = [1n << 50n, -(1n << 50n)];
    expect(u.runFast(f64(wide))).toBeUndefined();
    expect(big(u.run(f64(wide)))).toEqual(new SoftmaxUnit(u.spec).runRef(wide));
  });

  it('bigint vectors of any width run on the reference path; referenceOnly forces it', () => {
    const u = unit(S(128, 100), U(17, 16), 'RND');
    const z = [(1n << 120n), (1n << 120n) - (1n << 100n), -(1n << 126n)];
    const p = u.run(z);
    expect(Array.isArray(p)).toBe(true);
    // real z = [2^20, 2^20 - 1, -2^26]: d = [0, -1, -(2^26 + 2^20)], p ~ [0.731059, 0.268941, 0]
    const [p0, p1, p2] = big(p).map(Number);
    expect(Math.abs(p0 - 0.731059 * 65536)).toBeLessThan(10);
    expect(Math.abs(p1 - 0.268941 * 65536)).toBeLessThan(10);
    expect(p2).toBe(0);
    expect(u.counters.toZero).toBe(1);
    const v = unit(S(16, 12), U(17, 16));
    const x = Float64Array.of(4096, 0, -4096);
    const r = referenceOnly(() => v.run(x));
    expect(Array.isArray(r)).toBe(true);
    expect(big(r)).toEqual(big(unit(S(16, 12), U(17, 16)).run(x)));
  });
});

describe('SoftmaxUnit: properties of the probabilities', () => {
  const arbProb = fc
    .record({
      input: arbFormat({ minWidth: 2, maxWidth: 40, fracSlack: 6 }),
      fo: fc.integer({ min: 1, max: 30 }),
      lf: fc.integer({ min: 8, max: 30 }),
      ef: fc.integer({ min: 8, max: 30 }),
      rounding: arbDetQuantMode,
    })
    .chain((c) => fc.record({ c: fc.constant(c), z: fc.array(arbRaw(c.input), { minLength: 1, maxLength: 12 }) }));

  const make = (c: { input: Format; fo: number; lf: number; ef: number; rounding: QuantMode }) =>
    unit(c.input, U(c.fo + 1, c.fo), c.rounding, 'SAT', { log2eFrac: c.lf, expFrac: c.ef });

  it('they sum to 1 within n output LSBs, each in [0, 1]', () => {
    fc.assert(fc.property(arbProb, ({ c, z }) => {
      const u = make(c);
      const p = big(u.run(f64(z)));
      const one = 1n << BigInt(c.fo);
      const sum = p.reduce((a, b) => a + b, 0n);
      const diff = sum > one ? sum - one : one - sum;
      expect(diff <= BigInt(z.length)).toBe(true);
      for (const v of p) expect(v >= 0n && v <= one).toBe(true);
      expect(u.counters.overflows).toBe(0);
    }), { numRuns: 2000 });
  });

  it('monotone in z: z_i > z_j gives p_i >= p_j, z_i = z_j gives p_i = p_j; the max gets the largest p', () => {
    fc.assert(fc.property(arbProb, ({ c, z }) => {
      const p = big(make(c).run(f64(z)));
      for (let i = 0; i < z.length; i++) {
        for (let j = 0; j < z.length; j++) {
          if (z[i] > z[j]) expect(p[i] >= p[j]).toBe(true);
          if (z[i] === z[j]) expect(p[i]).toBe(p[j]);
        }
      }
      let am = 0;
      for (let i = 1; i < z.length; i++) if (z[i] > z[am]) am = i;
      for (const v of p) expect(p[am] >= v).toBe(true);
    }), { numRuns: 2000 });
  });

  it('close to the real softmax: within 1.2e-4 relative + a few LSBs with the defaults', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -8 * 4096, max: 8 * 4096 }), { minLength: 2, maxLength: 10 }), (zs) => {
      const u = unit(S(20, 12), U(17, 16), 'RND');
      const p = big(u.run(Float64Array.from(zs))).map((v) => Number(v) / 65536);
      const m = Math.max(...zs);
      const e = zs.map((v) => Math.exp((v - m) / 4096));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, i) => expect(Math.abs(p[i] - v / s)).toBeLessThan(3e-4 * (v / s) + (zs.length + 1) * 2 ** -16));
    }), { numRuns: 500 });
  });
});

describe('SoftmaxUnit: parameters', () => {
  it('the params schema: strict, defaults applied by softmaxSpec', () => {
    const spec = softmaxSpec('sm', S(16, 12), { output: { signed: false, width: 17, frac: 16 } });
    expect(spec).toEqual({ name: 'sm', input: S(16, 12), output: U(17, 16), modes: { rounding: 'TRN', overflow: 'WRAP', nBits: 0 }, log2eFrac: undefined, expFrac: undefined });
    const u = new SoftmaxUnit(spec);
    expect([u.log2eFrac, u.expFrac]).toEqual([16, 16]);
    expect(softmaxParamsSchema.safeParse({ output: { signed: false, width: 8, frac: 8 }, exp_frac: 12, log2e_frac: 20, rounding: 'RND_CONV', overflow: 'SAT' }).success).toBe(true);
    for (const bad of [
      { output: { signed: false, width: 8, frac: 8 }, bogus: 1 },
      { output: { signed: false, width: 8, frac: 8 }, exp_frac: 0 },
      { output: { signed: false, width: 8, frac: 8 }, log2e_frac: 1.5 },
      { output: { signed: false, width: 8, frac: 8 }, rounding: 'STOCH' },
      { exp_frac: 8 },
    ]) expect(softmaxParamsSchema.safeParse(bad).success).toBe(false);
  });

  it('rejects STOCH, bad precisions and WRAP_SM on an unsigned output, naming the unit', () => {
    expect(() => unit(S(8, 4), U(9, 8), 'STOCH')).toThrow(FxInputError);
    expect(() => unit(S(8, 4), U(9, 8), 'STOCH')).toThrow(/unit 'sm': softmax does not support STOCH rounding/);
    expect(() => unit(S(8, 4), U(9, 8), 'TRN', 'SAT', { expFrac: 0 })).toThrow(/exp_frac must be an integer in \[1, 64\], got 0/);
    expect(() => unit(S(8, 4), U(9, 8), 'TRN', 'SAT', { log2eFrac: 65 })).toThrow(/log2e_frac must be an integer in \[1, 64\], got 65/);
    expect(() => unit(S(8, 4), U(9, 8), 'TRN', 'WRAP_SM')).toThrow(/WRAP_SM overflow is defined for signed formats only/);
  });
});
