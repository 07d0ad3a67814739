import { K1_INPUTS, SYSTEMC_K1 } from '../helpers/semantics-tables.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CastModes } from '../../src/core/cast.ts';
import { rationalToRaw } from '../../src/core/decimal.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { makeFormat } from '../../src/core/format.ts';
import { quantizeInputs, roundRational, type DeterministicMode } from '../../src/data/quantize-inputs.ts';
import type { Split } from '../../src/data/types.ts';
import { arbBigIntIn, arbDetQuantMode, DET_QUANT_MODES } from '../helpers/arbitraries.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { rmSync } from 'node:fs';
import { selectRows } from '../../src/data/combine.ts';
import { loadCsv } from '../../src/data/csv.ts';
import { tempDir, write } from './fixtures.ts';

const split = (raw: Split['raw'], scale: { num: bigint; den: bigint }, features = 1, source = 'test data'): Split => ({
  source,
  count: raw.length / features,
  features,
  labels: new Uint8Array(raw.length / features),
  raw,
  scale,
});

/**
 * Independent reference: the exact value y = N/D (D > 0), rounded to an integer by the mode's
 * definition in words (SEMANTICS.md), comparing rationals by cross-multiplication.
 */
function refRound(N: bigint, D: bigint, mode: DeterministicMode): bigint {
  let fl = N / D;
  if (fl * D > N) fl -= 1n; // floor
  const exact = fl * D === N;
  if (exact) return fl;
  const ceil = fl + 1n;
  const pos = N > 0n;
  const twice = 2n * (N - fl * D); // compare the fraction with 1/2: twice vs D
  const tie = twice === D;
  const nearest = twice < D ? fl : ceil;
  switch (mode) {
    case 'TRN': return fl;
    case 'TRN_ZERO': return pos ? fl : ceil;
    case 'TRN_INF': return ceil;
    case 'TRN_AWAY': return pos ? ceil : fl;
    case 'RND': return tie ? ceil : nearest;
    case 'RND_ZERO': return tie ? (pos ? fl : ceil) : nearest;
    case 'RND_MIN_INF': return tie ? fl : nearest;
    case 'RND_INF': return tie ? (pos ? ceil : fl) : nearest;
    case 'RND_CONV': return tie ? (fl % 2n === 0n ? fl : ceil) : nearest;
    case 'RND_CONV_ODD': return tie ? (fl % 2n !== 0n ? fl : ceil) : nearest;
  }
}

/** real(v) * 2^F as N/D */
function scaled(v: bigint, num: bigint, den: bigint, F: number): [bigint, bigint] {
  return F >= 0 ? [v * num * (1n << BigInt(F)), den] : [v * num, den << BigInt(-F)];
}

const WIDE = (F: number) => makeFormat(true, 400, F);

describe('quantizeInputs: numpy equality (the study: floor(p / 255.0 * 2**F))', () => {
  it('equals the float64 expression for all 256 pixel values and F = 0..40', () => {
    const pixels = Uint8Array.from({ length: 256 }, (_, p) => p);
    const s = split(pixels, { num: 1n, den: 255n }, 256, 'pixels');
    for (let F = 0; F <= 40; F++) {
      const q = quantizeInputs(s, makeFormat(true, 64, F), 'TRN');
      expect(q).toBeInstanceOf(Float64Array);
      const numpy = Array.from(pixels, (p) => Math.floor((p / 255) * 2 ** F));
      expect(Array.from(q as Float64Array), `F = ${F}`).toEqual(numpy);
    }
  });
});

describe('quantizeInputs vs an independent BigInt reference', () => {
  const arbCase = fc.record({
    mode: arbDetQuantMode,
    F: fc.integer({ min: -20, max: 60 }),
    num: fc.bigInt({ min: 1n, max: 1n << 40n }),
    den: fc.bigInt({ min: 1n, max: 1n << 40n }),
    values: fc.array(arbBigIntIn(-(1n << 70n), 1n << 70n), { minLength: 1, maxLength: 8 }),
  });

  it('bigint raw values, random rationals, every deterministic mode', () => {
    fc.assert(
      fc.property(arbCase, ({ mode, F, num, den, values }) => {
        const q = quantizeInputs(split(values, { num, den }, values.length), WIDE(F), mode);
        values.forEach((v, i) => {
          const [N, D] = scaled(v, num, den, F);
          const want = refRound(N, D, mode);
          expect(BigInt(q[i])).toBe(want);
          expect(roundRational(v * num, den, F, mode)).toBe(want);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with core rationalToRaw (wide format, so no overflow step acts)', () => {
    fc.assert(
      fc.property(arbCase, ({ mode, F, num, den, values }) => {
        const modes: CastModes = { rounding: mode, overflow: 'SAT', nBits: 0 };
        for (const v of values) expect(roundRational(v * num, den, F, mode)).toBe(rationalToRaw(v * num, den, WIDE(F), modes));
      }),
      { numRuns: 300 },
    );
  });

  it('exact ties (odd / 2) follow each mode, small integer raw values in a Float64Array', () => {
    fc.assert(
      fc.property(
        arbDetQuantMode,
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: -1000, max: 1000 }).map((k) => 2 * k + 1), { minLength: 1, maxLength: 10 }),
        (mode, F, odds) => {
          // real(v) = v / 2^(F+1), so real * 2^F = v / 2: always a tie
          const s = split(Float64Array.from(odds), { num: 1n, den: 1n << BigInt(F + 1) }, odds.length);
          const q = quantizeInputs(s, WIDE(F), mode);
          expect(q).toBeInstanceOf(Float64Array);
          odds.forEach((v, i) => expect(BigInt(q[i])).toBe(refRound(BigInt(v), 2n, mode)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the SEMANTICS.md k = 1 table (values 2.5 .. -2.5)', () => {
    const s = split(Float64Array.from([25, 15, 5, -5, -15, -25]), { num: 1n, den: 10n }, 6);
    const table = SYSTEMC_K1;
    for (const [mode, want] of Object.entries(table)) {
      expect(Array.from(quantizeInputs(s, makeFormat(true, 8, 0), mode as DeterministicMode) as Float64Array), mode).toEqual(want);
    }
  });

  it('byte data: the lookup table equals the generic path for every mode', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, p) => p);
    const asNumbers = Float64Array.from(bytes);
    for (const mode of DET_QUANT_MODES) {
      for (const F of [-3, 0, 5, 20, 33]) {
        const scale = { num: 3n, den: 1020n };
        const a = quantizeInputs(split(bytes, scale, 256), WIDE(F), mode);
        const b = quantizeInputs(split(asNumbers, scale, 256), WIDE(F), mode);
        expect(a).toBeInstanceOf(Float64Array);
        expect(Array.from(a as Float64Array)).toEqual(Array.from(b as Float64Array));
      }
    }
  });
});

describe('quantizeInputs: results and errors', () => {
  it('returns bigint[] when a result exceeds 2^53', () => {
    const s = split(Uint8Array.from([0, 1, 255]), { num: 1n, den: 255n }, 3);
    const q = quantizeInputs(s, makeFormat(true, 80, 60), 'TRN');
    expect(Array.isArray(q)).toBe(true);
    expect(q).toEqual([0n, (1n << 60n) / 255n, 1n << 60n]);
    // decimal path too
    const d = quantizeInputs(split(Float64Array.from([3]), { num: 1n, den: 10n }, 1), makeFormat(true, 80, 70), 'RND');
    expect(d).toEqual([((3n << 70n) + 5n) / 10n]);
  });

  it('keeps a Float64Array when the beyond-2^53 table entries never occur', () => {
    const s = split(Uint8Array.from([0, 1, 2]), { num: 1n, den: 255n }, 3);
    // pixel 255 would give 2^59 > 2^53, but only 0..2 occur (2 * 2^59 / 255 < 2^53)
    const q = quantizeInputs(s, makeFormat(true, 80, 59), 'TRN');
    expect(q).toBeInstanceOf(Float64Array);
    expect(Array.from(q, BigInt)).toEqual([0n, (1n << 59n) / 255n, (2n << 59n) / 255n]);
  });

  it('a value outside the format is an FxInputError naming the data, value, position and the range the format holds', () => {
    const s = split(Uint8Array.from([0, 128, 7, 255]), { num: 1n, den: 255n }, 2, 'tiny train');
    expect(() => quantizeInputs(s, makeFormat(true, 8, 7), 'TRN')).toThrow(FxInputError);
    expect(() => quantizeInputs(s, makeFormat(true, 8, 7), 'TRN')).toThrow(
      'tiny train: sample 1, feature 1: value 1 (byte 255) does not fit the input format fixed<8,1> (-1 to 0.9921875): it quantizes to raw 128, outside [-128, 127]',
    );
    // RND: 128/255 * 128 = 64.25 -> 64 fits, so the first failure is still pixel 255
    expect(() => quantizeInputs(s, makeFormat(true, 8, 7), 'RND')).toThrow(/sample 1, feature 1: value 1 \(byte 255\)/);
    const d = split(Float64Array.from([51, -35, 14]), { num: 1n, den: 10n }, 3, 'iris');
    expect(() => quantizeInputs(d, makeFormat(false, 8, 4), 'TRN')).toThrow(
      'iris: sample 0, feature 1: value -3.5 does not fit the input format ufixed<8,4> (0 to 15.9375): it quantizes to raw -56, outside [0, 255]',
    );
    const big = split([10n ** 30n], { num: 1n, den: 3n }, 1, 'big');
    expect(() => quantizeInputs(big, makeFormat(true, 16, 0), 'TRN')).toThrow(
      'big: sample 0, feature 0: value 10000000000000000000… (33 characters) does not fit the input format fixed<16,16> (-32768 to 32767): ' +
        'it quantizes to raw 33333333333333333333… (30 characters), outside [-32768, 32767]',
    );
  });

  it('CSV data: the message names file:line:col and the column, and quotes the cell as written (cut when long)', () => {
    const dir = tempDir();
    try {
      const csv = write(dir, 'outofrange.csv', 'x0,x1,label\n0.5,0.25,0\n\n-0.5,0.125,1\n500,0,1\n0,1e400,0\n');
      const ds = loadCsv(csv, { labelColumn: 'label' });
      expect(inputErrorOf(() => quantizeInputs(ds.train, makeFormat(true, 8, 7), 'TRN'))).toBe(
        `${csv}:5:1: column 'x0': value 500 does not fit the input format fixed<8,1> (-1 to 0.9921875): it quantizes to raw 64000, outside [-128, 127]`,
      );
      const huge = write(dir, 'huge.csv', `x0,label\n0,0\n  "1e400",1\n${'9'.repeat(1300)},1\n`);
      const h = loadCsv(huge, { labelColumn: 'label' });
      const msg = inputErrorOf(() => quantizeInputs(h.train, makeFormat(true, 16, 8), 'RND'));
      expect(msg).toMatch(new RegExp(`^${huge}:3:3: column 'x0': value 1e400 does not fit the input format fixed<16,8> \\(-128 to 127\\.99609375\\): it quantizes to raw 25600000000000000000… \\(403 characters\\), outside \\[-32768, 32767\\]$`));
      // the 1300-digit cell, moved to the front by a split: its own line, cut
      const moved = selectRows(h.train, [2], 'moved');
      expect(inputErrorOf(() => quantizeInputs(moved, makeFormat(true, 16, 8), 'RND'))).toMatch(
        new RegExp(`^${huge}:4:1: column 'x0': value 99999999999999999999… \\(1300 characters\\) does not fit`),
      );
      // no header: the column by index
      const nohead = write(dir, 'nohead.csv', '1,0.5,0\n2,7,1\n');
      expect(inputErrorOf(() => quantizeInputs(loadCsv(nohead, { labelColumn: 0 }).train, makeFormat(true, 8, 5), 'TRN'))).toMatch(
        new RegExp(`^${nohead}:2:3: column index 1: value 7 does not fit the input format fixed<8,3> \\(-4 to 3\\.96875\\)`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('STOCH is refused', () => {
    const s = split(Uint8Array.from([1]), { num: 1n, den: 255n }, 1, 'mnist train');
    expect(() => quantizeInputs(s, makeFormat(true, 16, 8), 'STOCH')).toThrow(
      'mnist train: input quantization needs a deterministic rounding mode (STOCH is not supported for dataset inputs)',
    );
  });
});
