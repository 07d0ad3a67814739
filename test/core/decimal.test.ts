import { K1_INPUTS, SYSTEMC_K1 } from '../helpers/semantics-tables.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CastModes } from '../../src/core/cast.ts';
import {
  formatRaw, parseDecimal, parseRawToken, rationalToDyadic, rationalToExactRaw, rationalToRaw, rawToDecimal, tryParseDecimal,
} from '../../src/core/decimal.ts';
import {
  decimalToRawFast, divideFast, formatRawFast, parseDecimalFast, parseRawFast, rawToDecimalFast, roundUpFast,
  type DecimalParts, type DivParts,
} from '../../src/core/decimal-fast.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { makeFormat, maxRaw, minRaw, type Format } from '../../src/core/format.ts';
import { OVERFLOW_MODE_NAMES, QUANT_MODE_NAMES, type OverflowMode, type QuantMode } from '../../src/core/modes.ts';
import { overflowRef } from '../../src/core/overflow.ts';
import { quantizeRef, ROUNDING } from '../../src/core/quantize.ts';
import { Lfsr } from '../../src/core/random.ts';

type DetMode = Exclude<QuantMode, 'STOCH'>;
const DET_MODES = QUANT_MODE_NAMES.filter((m): m is DetMode => m !== 'STOCH');
const RND_MODES = DET_MODES.filter((m) => m.startsWith('RND'));
const pow2 = (n: number) => 1n << BigInt(n);
const abs = (x: bigint) => (x < 0n ? -x : x);

/** num/den === a/b as rationals */
const sameValue = (r: { num: bigint; den: bigint }, a: bigint, b: bigint) => r.num * b === a * r.den;

const arbBig = (bits: number) => fc.bigInt({ min: -pow2(bits), max: pow2(bits) });
const arbFormat: fc.Arbitrary<Format> = fc
  .record({ signed: fc.boolean(), width: fc.integer({ min: 1, max: 70 }), frac: fc.integer({ min: -12, max: 60 }) })
  .map(({ signed, width, frac }) => makeFormat(signed, width, frac));
/** format + overflow mode + n_bits that checkOverflowArgs accepts */
const arbTarget = arbFormat.chain((f) =>
  fc.record({
    format: fc.constant(f),
    overflow: fc.constantFrom(...OVERFLOW_MODE_NAMES.filter((m) => f.signed || m !== 'WRAP_SM')) as fc.Arbitrary<OverflowMode>,
    nBits: fc.integer({ min: 0, max: f.width }),
  }),
);

describe('tryParseDecimal / parseDecimal', () => {
  const good: [string, bigint, bigint][] = [
    ['-1.25', -5n, 4n],
    ['3', 3n, 1n],
    ['.5', 1n, 2n],
    ['1.', 1n, 1n],
    ['1e-3', 1n, 1000n],
    ['2.5E+2', 250n, 1n],
    ['+7', 7n, 1n],
    ['-0', 0n, 1n],
    ['0.000', 0n, 1n],
    ['007.50', 15n, 2n],
    ['1.2e3', 1200n, 1n],
    ['-12.5e-1', -125n, 100n],
    ['0.10000000000000000000000000000001', 10000000000000000000000000000001n, 10n ** 32n],
    ['3.140000000000000124e+00', 3140000000000000124n, 10n ** 18n],
  ];
  it.each(good)('%s is exactly %i/%i', (t, a, b) => {
    const r = parseDecimal(t);
    expect(sameValue(r, a, b)).toBe(true);
    expect(r.den > 0n).toBe(true);
    expect(/^10*$/.test(r.den.toString())).toBe(true);
  });

  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['nan', /finite/],
    ['-Infinity', /finite/],
    ['inf', /finite/],
    ['1.2.3', /not a decimal number/],
    ['0x10', /hex.*--raw/],
    ['.', /not a decimal/],
    ['e5', /not a decimal/],
    ['1e', /not a decimal/],
    ['1,5', /not a decimal/],
    ['--1', /not a decimal/],
    [' 1', /not a decimal/],
    ['1e999999', /exponent/],
  ];
  it.each(bad)('rejects %j', (t, why) => {
    const r = tryParseDecimal(t);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
    expect(() => parseDecimal(t, 'x')).toThrow(FxInputError);
  });
});

describe('rawToDecimal', () => {
  it.each([
    [5n, 1, '2.5'],
    [-1n, 3, '-0.125'],
    [0n, 5, '0'],
    [0n, -5, '0'],
    [3n, -2, '12'],
    [-128n, 7, '-1'],
    [1n, 20, '0.00000095367431640625'],
    [-3n, 0, '-3'],
    [48n, 4, '3'],
    [50n, 4, '3.125'],
  ])('%i * 2^-%i = %s', (raw, frac, s) => {
    expect(rawToDecimal(raw, frac)).toBe(s);
  });

  it('round-trips exactly through parseDecimal', () => {
    fc.assert(
      fc.property(arbBig(100), fc.integer({ min: -40, max: 120 }), (raw, frac) => {
        const s = rawToDecimal(raw, frac);
        expect(s).not.toBe('-0');
        expect(s).not.toMatch(/e|\.$|\.\d*0$/);
        const r = parseDecimal(s);
        // num/den == raw * 2^-frac
        expect(r.num * (frac >= 0 ? pow2(frac) : 1n)).toBe(raw * (frac < 0 ? pow2(-frac) : 1n) * r.den);
      }),
    );
  });

  it('rawToDecimalFast agrees with rawToDecimal', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger().map((x) => x - 2 ** 52)), fc.integer({ min: -60, max: 70 }), (raw, frac) => {
        expect(rawToDecimalFast(raw, frac)).toBe(rawToDecimal(BigInt(raw), frac));
      }),
      { numRuns: 2000 },
    );
  });
});

/** The rational r * 2^-f as a decimal fraction num / 10^max(f,0). */
function dyadicAsDecimal(r: bigint, f: number): { num: bigint; den: bigint } {
  return f >= 0 ? { num: r * 5n ** BigInt(f), den: 10n ** BigInt(f) } : { num: r << BigInt(-f), den: 1n };
}

describe('rationalToRaw', () => {
  it('matches the SEMANTICS.md k = 1 table (8-bit signed, values x/2 into fixed<8,8>)', () => {
    const to = makeFormat(true, 8, 0);
    const inputs = K1_INPUTS.map(BigInt);
    const table = SYSTEMC_K1;
    for (const [mode, want] of Object.entries(table)) {
      const got = inputs.map((r) => {
        const { num, den } = dyadicAsDecimal(r, 1);
        return Number(rationalToRaw(num, den, to, { rounding: mode as QuantMode, overflow: 'WRAP', nBits: 0 }));
      });
      expect(got, mode).toEqual(want);
    }
  });

  it('quantizes 3.14159 into fixed<8,4>: TRN 3.125, RND 3.125, TRN_INF 3.1875', () => {
    const f = makeFormat(true, 8, 4);
    const { num, den } = parseDecimal('3.14159');
    const q = (rounding: QuantMode) => rawToDecimal(rationalToRaw(num, den, f, { rounding, overflow: 'WRAP', nBits: 0 }), 4);
    expect(q('TRN')).toBe('3.125');
    expect(q('RND')).toBe('3.125');
    expect(q('TRN_INF')).toBe('3.1875');
  });

  it('on dyadic rationals equals quantizeRef then overflowRef, events included', () => {
    fc.assert(
      fc.property(arbBig(80), fc.integer({ min: -10, max: 60 }), arbTarget, fc.constantFrom(...DET_MODES), (r, f, t, rounding) => {
        const modes: CastModes = { rounding, overflow: t.overflow, nBits: t.nBits };
        const { num, den } = dyadicAsDecimal(r, f);
        const c1 = newCounters();
        const c2 = newCounters();
        const got = rationalToRaw(num, den, t.format, modes, undefined, c1);
        const want = overflowRef(quantizeRef(r, f - t.format.frac, rounding, undefined, c2), t.format, t.overflow, t.nBits, c2);
        expect(got).toBe(want);
        expect(c1).toEqual(c2);
      }),
      { numRuns: 3000 },
    );
  });

  it('every RND result is within half an ulp of the rational (no overflow)', () => {
    const f = (frac: number) => makeFormat(true, 400, frac);
    fc.assert(
      fc.property(arbBig(90), fc.integer({ min: 0, max: 40 }), fc.integer({ min: -20, max: 80 }), fc.constantFrom(...RND_MODES), (num, e, F, rounding) => {
        const den = 10n ** BigInt(e);
        const out = rationalToRaw(num, den, f(F), { rounding, overflow: 'WRAP', nBits: 0 });
        // |out * 2^-F - num/den| <= 2^-F / 2  <=>  2 |out*den - num*2^F| <= den  (scaled by 2^-F when F < 0)
        const diff = F >= 0 ? out * den - num * pow2(F) : out * den * pow2(-F) - num;
        const bound = F >= 0 ? den : den * pow2(-F);
        expect(2n * abs(diff) <= bound).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('TRN is floor and TRN_INF is ceil of the exact rational', () => {
    const fmt = makeFormat(true, 400, 7);
    fc.assert(
      fc.property(arbBig(60), fc.integer({ min: 0, max: 25 }), (num, e) => {
        const den = 10n ** BigInt(e);
        const lo = rationalToRaw(num, den, fmt, { rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
        const hi = rationalToRaw(num, den, fmt, { rounding: 'TRN_INF', overflow: 'WRAP', nBits: 0 });
        expect(lo * den <= num * 128n).toBe(true);
        expect((lo + 1n) * den > num * 128n).toBe(true);
        expect(hi - lo).toBe((num * 128n) % den === 0n ? 0n : 1n);
      }),
    );
  });

  it('STOCH: a dyadic value draws (fewest exact fraction bits - F) bits like quantizeRef; exact values draw nothing', () => {
    fc.assert(
      fc.property(arbBig(40), fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 20 }), fc.integer({ min: 1, max: 2 ** 31 }), (r, f, F, seed) => {
        const fmt = makeFormat(true, 128, F);
        const { num, den } = dyadicAsDecimal(r, f);
        const a = new Lfsr(32, undefined, seed);
        const b = new Lfsr(32, undefined, seed);
        const got = rationalToRaw(num, den, fmt, { rounding: 'STOCH', overflow: 'WRAP', nBits: 0 }, a);
        const d = rationalToDyadic(num, den, F)!;
        const k = Math.max(0, d.frac - F);
        if (k > 0) expect(d.raw & 1n).toBe(1n); // fewest bits: an odd raw
        const want = overflowRef(quantizeRef(d.raw, d.frac - F, 'STOCH', b), fmt, 'WRAP', 0);
        expect(got).toBe(want);
        expect(a.drawn).toBe(k);
        expect(b.drawn).toBe(a.drawn);
      }),
    );
  });

  it('STOCH on a non-binary fraction is an input error', () => {
    const { num, den } = parseDecimal('0.1');
    expect(() => rationalToRaw(num, den, makeFormat(true, 8, 4), { rounding: 'STOCH', overflow: 'WRAP', nBits: 0 }, new Lfsr())).toThrow(
      /STOCH needs a value exactly representable in --from/,
    );
  });

  it('rationalToDyadic finds the fewest fraction bits', () => {
    const d = (t: string, atLeast?: number) => {
      const { num, den } = parseDecimal(t);
      return rationalToDyadic(num, den, atLeast);
    };
    expect(d('0.75')).toEqual({ raw: 3n, frac: 2 });
    expect(d('0.750')).toEqual({ raw: 3n, frac: 2 });
    expect(d('8')).toEqual({ raw: 1n, frac: -3 });
    expect(d('8', 0)).toEqual({ raw: 8n, frac: 0 });
    expect(d('-2.5')).toEqual({ raw: -5n, frac: 1 });
    expect(d('0.1')).toBeUndefined();
  });

  it('rationalToExactRaw accepts exact in-range values and says why it refuses others', () => {
    const f = makeFormat(true, 8, 4);
    const x = (t: string) => {
      const { num, den } = parseDecimal(t);
      return rationalToExactRaw(num, den, f);
    };
    expect(x('-1.25')).toBe(-20n);
    expect(x('7.9375')).toBe(127n);
    expect(() => x('0.03')).toThrow(/not exactly representable in fixed<8,4>: it needs more than 4 fraction bits/);
    expect(() => x('8')).toThrow(/outside the range \[-8, 7.9375\] of fixed<8,4>/);
  });
});

describe('raw tokens', () => {
  const s8 = makeFormat(true, 8, 4);
  const u12 = makeFormat(false, 12, 0);
  const s13 = makeFormat(true, 13, 0);

  it('parses decimal in range and hex patterns with sign extension', () => {
    expect(parseRawToken('-128', s8)).toEqual({ raw: -128n, style: 'dec' });
    expect(parseRawToken('+7', s8)).toEqual({ raw: 7n, style: 'dec' });
    expect(parseRawToken('0xff', s8)).toEqual({ raw: -1n, style: 'hex' });
    expect(parseRawToken('0X80', s8)).toEqual({ raw: -128n, style: 'hex' });
    expect(parseRawToken('0x007F', s8)).toEqual({ raw: 127n, style: 'hex' });
    expect(parseRawToken('0xfff', u12)).toEqual({ raw: 4095n, style: 'hex' });
    expect(parseRawToken('0x1000', s13)).toEqual({ raw: -4096n, style: 'hex' });
  });

  it.each([
    ['128', /outside the range \[-128, 127\]/],
    ['-129', /outside the range/],
    ['0x100', /wider than the 8 bits/],
    ['-0x1', /takes no sign/],
    ['1.5', /not a raw integer/],
    ['0x', /not a raw integer/],
    ['', /empty/],
  ])('rejects %j', (t, why) => {
    expect(() => parseRawToken(t, s8)).toThrow(why);
  });

  it('formats decimal and zero-padded hex patterns', () => {
    expect(formatRaw(-1n, s8, 'hex')).toBe('0xff');
    expect(formatRaw(5n, s8, 'hex')).toBe('0x05');
    expect(formatRaw(5n, u12, 'hex')).toBe('0x005');
    expect(formatRaw(-1n, s13, 'hex')).toBe('0x1fff');
    expect(formatRaw(-7n, s8, 'dec')).toBe('-7');
  });

  it('fast raw parse/format agree with the BigInt ones', () => {
    const style = { value: 'dec' as 'dec' | 'hex' };
    fc.assert(
      fc.property(arbFormat.filter((f) => f.width <= 52), fc.boolean(), fc.bigInt({ min: 0n, max: pow2(60) }), (f, hex, x) => {
        const bits = x & (pow2(f.width) - 1n);
        const raw = hex ? bits - (f.signed && bits >= pow2(f.width - 1) ? pow2(f.width) : 0n) : minRaw(f) + (x % (maxRaw(f) - minRaw(f) + 1n));
        const token = formatRaw(raw, f, hex ? 'hex' : 'dec');
        expect(parseRawToken(token, f)).toEqual({ raw, style: hex ? 'hex' : 'dec' });
        const n = parseRawFast(token, style);
        if (!Number.isNaN(n)) {
          expect(style.value).toBe(hex ? 'hex' : 'dec');
          expect(BigInt(n)).toBe(hex ? bits : raw);
        }
        expect(formatRawFast(Number(raw), f, hex ? 'hex' : 'dec')).toBe(token);
      }),
      { numRuns: 2000 },
    );
    expect(parseRawFast('-0', style)).toBe(0);
    expect(Object.is(parseRawFast('-0', style), -0)).toBe(false);
  });
});

describe('number fast paths', () => {
  it('roundUpFast is the ROUNDING table, case by case', () => {
    // (2*rem vs den) below / at / above half, q even / odd, negative or not
    for (const mode of DET_MODES) {
      for (const [rem2, den] of [[2, 10], [10, 10], [18, 10]] as const) {
        for (const q of [4, 5, -4, -5]) {
          for (const neg of [false, true]) {
            expect(roundUpFast(mode, q, rem2, den, neg), `${mode} ${q} ${rem2}/${den} ${neg}`).toBe(ROUNDING[mode](BigInt(q), BigInt(rem2), BigInt(den), neg));
          }
        }
      }
    }
  });

  /** random plain decimal strings, short and long */
  const arbDecimalText = fc
    .record({
      sign: fc.constantFrom('', '-', '+'),
      int: fc.stringMatching(/^[0-9]{0,18}$/),
      frac: fc.option(fc.stringMatching(/^[0-9]{0,18}$/), { nil: undefined }),
      exp: fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
      expUpper: fc.boolean(),
    })
    .map(({ sign, int, frac, exp, expUpper }) => `${sign}${int}${frac === undefined ? '' : '.' + frac}${exp === undefined ? '' : (expUpper ? 'E' : 'e') + exp}`);

  it('parseDecimalFast, when it accepts, gives the exact value parseDecimal gives', () => {
    const parts: DecimalParts = { mant: 0, scale: 0 };
    let accepted = 0;
    fc.assert(
      fc.property(arbDecimalText, (t) => {
        const exact = tryParseDecimal(t);
        if (!parseDecimalFast(t, parts)) return;
        accepted++;
        expect(typeof exact).toBe('object');
        if (typeof exact === 'string') return;
        expect(Number.isSafeInteger(parts.mant)).toBe(true);
        expect(Object.is(parts.mant, -0)).toBe(false);
        expect(sameValue(exact, BigInt(parts.mant), 10n ** BigInt(parts.scale))).toBe(true);
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(500);
  });

  it('parseDecimalFast declines bad tokens', () => {
    const parts: DecimalParts = { mant: 0, scale: 0 };
    for (const t of ['', '.', '-', '+', 'e1', '1e', '1e+', '1.2.3', '0x10', 'nan', '1,5', '--1', '1e5.5']) expect(parseDecimalFast(t, parts), t).toBe(false);
    expect(parseDecimalFast('100.500', parts)).toBe(true);
    expect(parts).toEqual({ mant: 1005, scale: 1 });
    expect(parseDecimalFast('-0.00', parts)).toBe(true);
    expect(parts).toEqual({ mant: 0, scale: 0 });
  });

  it('decimalToRawFast equals rationalToRaw before overflow, events included', () => {
    const parts: DecimalParts = { mant: 0, scale: 0 };
    const div: DivParts = { q: 0, rem: 0, den: 1 };
    const wide = (F: number) => makeFormat(true, 200, F);
    fc.assert(
      fc.property(arbDecimalText, fc.integer({ min: -20, max: 60 }), fc.constantFrom(...DET_MODES), (t, F, mode) => {
        if (!parseDecimalFast(t, parts)) return;
        const c1 = newCounters();
        const c2 = newCounters();
        const got = decimalToRawFast(parts.mant, parts.scale, F, mode, div, c1);
        if (Number.isNaN(got)) return;
        const { num, den } = parseDecimal(t);
        expect(BigInt(got)).toBe(rationalToRaw(num, den, wide(F), { rounding: mode, overflow: 'WRAP', nBits: 0 }, undefined, c2));
        expect(c1).toEqual(c2);
      }),
      { numRuns: 5000 },
    );
  });

  it('divideFast declines when the operands are not provably exact', () => {
    const div: DivParts = { q: 0, rem: 0, den: 1 };
    expect(divideFast(2 ** 50, 0, 3, div)).toBe(false);
    expect(divideFast(1, 22, 0, div)).toBe(false); // 10^22 > 2^52
    expect(divideFast(1, 0, 60, div)).toBe(false);
    expect(divideFast(1, 0, -60, div)).toBe(false);
    expect(divideFast(-7, 1, 2, div)).toBe(true); // -0.7 * 4 = -2.8 = -3 + 1/5
    expect(div).toEqual({ q: -3, rem: 1, den: 5 });
    expect(divideFast(3126220703125, 12, 12, div)).toBe(true); // 12 fraction digits, 12 bits: 2^12 cancels
    expect(div).toEqual({ q: Math.floor(3126220703125 / 5 ** 12), rem: 3126220703125 % 5 ** 12, den: 5 ** 12 });
  });
});
