import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { formatName, makeFormat } from '../../src/core/format.ts';
import { parseFormat, parseFormatSpec } from '../../src/core/parse-format.ts';
import { arbFormat } from '../helpers/arbitraries.ts';

const fmt = (signed: boolean, width: number, frac: number) => ({ signed, width, frac });

describe('parseFormat: spellings', () => {
  it.each([
    [{ signed: true, width: 16, frac: 10 }, fmt(true, 16, 10)],
    [{ frac: -3, width: 5, signed: false }, fmt(false, 5, -3)],
    ['fixed<16,6>', fmt(true, 16, 10)],
    ['ufixed<16,6>', fmt(false, 16, 10)],
    ['ap_fixed<16,6>', fmt(true, 16, 10)],
    ['sc_fixed<16,6>', fmt(true, 16, 10)],
    ['ap_ufixed<16,6>', fmt(false, 16, 10)],
    ['sc_ufixed<8,8>', fmt(false, 8, 0)],
    ['ap_ufixed<8,0>', fmt(false, 8, 8)],
    ['AP_FIXED<16,6>', fmt(true, 16, 10)],
    ['  fixed < 16 , 6 >  ', fmt(true, 16, 10)],
    ['fixed<16,+6>', fmt(true, 16, 10)],
    ['fixed<8,-4>', fmt(true, 8, 12)], // I < 0: F > W
    ['fixed<8,12>', fmt(true, 8, -4)], // I > W: F < 0
    ['ufixed<1,1>', fmt(false, 1, 0)],
    ['fixed<128,1>', fmt(true, 128, 127)],
    ['int<8>', fmt(true, 8, 0)],
    ['uint<8>', fmt(false, 8, 0)],
    ['ap_int<12>', fmt(true, 12, 0)],
    ['ap_uint<4>', fmt(false, 4, 0)],
    ['sc_int<3>', fmt(true, 3, 0)],
    ['SC_UINT<70>', fmt(false, 70, 0)],
  ] as const)('%o', (spec, expected) => {
    expect(parseFormat(spec)).toEqual(expected);
    expect(parseFormatSpec(spec)).toEqual({ format: expected });
  });

  it('the result is a frozen Format', () => {
    expect(Object.isFrozen(parseFormat('fixed<16,6>'))).toBe(true);
    expect(Object.isFrozen(parseFormat({ signed: true, width: 4, frac: 0 }))).toBe(true);
  });

  it('formatName round-trips for every format', () => {
    fc.assert(
      fc.property(arbFormat({ maxWidth: 200, fracSlack: 300 }), (f) => {
        expect(parseFormat(formatName(f))).toEqual(f);
      }),
    );
  });
});

describe('parseFormatSpec: mode arguments', () => {
  it.each([
    ['ap_fixed<16,6,AP_RND_CONV,AP_SAT>', fmt(true, 16, 10), { rounding: 'RND_CONV', overflow: 'SAT' }],
    ['ap_fixed<16,6,AP_RND_CONV,AP_WRAP,2>', fmt(true, 16, 10), { rounding: 'RND_CONV', overflow: 'WRAP', nBits: 2 }],
    ['ap_fixed<16,6,AP_TRN>', fmt(true, 16, 10), { rounding: 'TRN' }],
    ['sc_fixed<16,6,SC_RND_MIN_INF,SC_SAT_SYM>', fmt(true, 16, 10), { rounding: 'RND_MIN_INF', overflow: 'SAT_SYM' }],
    ['fixed<16,6,rnd_zero,sat_zero>', fmt(true, 16, 10), { rounding: 'RND_ZERO', overflow: 'SAT_ZERO' }],
    ['fixed<16,6, half_even , saturate >', fmt(true, 16, 10), { rounding: 'RND_CONV', overflow: 'SAT' }],
    ['fixed<16,6,Stochastic,Wrap_SM,0>', fmt(true, 16, 10), { rounding: 'STOCH', overflow: 'WRAP_SM', nBits: 0 }],
    ['ufixed<8,4,ceil,wraparound,8>', fmt(false, 8, 4), { rounding: 'TRN_INF', overflow: 'WRAP', nBits: 8 }],
  ] as const)('%s', (spec, format, modes) => {
    expect(parseFormatSpec(spec)).toEqual({ format, ...modes });
  });

  it('canonical objects carry no modes', () => {
    expect(parseFormatSpec({ signed: true, width: 4, frac: 0 })).toEqual({ format: fmt(true, 4, 0) });
  });
});

describe('parseFormat: bad input throws FxInputError naming the problem', () => {
  it.each([
    ['fixed<0,1>', /width must be an integer >= 1, got 0/],
    ['ufixed<0,0>', /width/],
    ['int<0>', /width/],
    ['fixed<4097,1>', /exceeds the supported maximum/],
    ['fixed<16>', /expected 2 to 5 arguments/],
    ['fixed<>', /expected 2 to 5 arguments|is not an integer/],
    ['fixed<1,2,RND,SAT,0,9>', /expected 2 to 5 arguments/],
    ['int<8,2>', /takes one argument/],
    ['fixed<a,b>', /'a' is not an integer/],
    ['fixed<16,b>', /'b' is not an integer/],
    ['fixed<16.5,6>', /'16.5' is not an integer/],
    ['fixed<16,6,FOO>', /unknown rounding mode 'FOO'/],
    ['fixed<16,6,RND,BAR>', /unknown overflow mode 'BAR'/],
    ['fixed<16,6,SAT,RND>', /unknown rounding mode 'SAT'/],
    ['fixed<16,6,RND,WRAP,-1>', /n_bits '-1' must be an integer >= 0/],
    ['fixed<16,6,RND,WRAP,two>', /n_bits 'two'/],
    ['float<16,6>', /bad format 'float<16,6>'/],
    ['fixed16,6', /bad format/],
    ['xx_fixed<16,6>', /bad format/],
    ['', /bad format ''/],
    [{ signed: true, width: 16, frac: 10, mode: 'RND' }, /unknown format key 'mode'/],
    [{ signed: true, width: 0, frac: 0 }, /width must be an integer >= 1, got 0/],
    [{ signed: true, width: 1.5, frac: 0 }, /'width' must be an integer/],
    [{ signed: true, width: 8, frac: 0.5 }, /'frac' must be an integer/],
    [{ signed: 'yes', width: 8, frac: 0 }, /'signed' must be true or false/],
    [{ width: 8, frac: 0 }, /'signed'/],
    [{ signed: false, width: '8', frac: 0 }, /'width'/],
    [42, /a format is a string like/],
    [null, /a format is a string like/],
    [[16, 6], /a format is a string like/],
  ] as const)('%o', (spec, msg) => {
    expect(() => parseFormat(spec)).toThrow(FxInputError);
    expect(() => parseFormat(spec)).toThrow(msg);
  });

  it('prefixes the location when given', () => {
    expect(() => parseFormat('fixed<16>', 'net.yaml:4:9')).toThrow(/^net\.yaml:4:9: bad format 'fixed<16>'/);
    expect(() => parseFormat({ signed: true, width: 0, frac: 0 }, 'layers[2].acc')).toThrow(/^layers\[2\]\.acc: /);
    try {
      parseFormat('fixed<16,6,NOPE>', 'a.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FxInputError);
      expect((e as FxInputError).where).toBe('a.yaml');
    }
  });

  it('the wide-but-legal edge still parses', () => {
    expect(parseFormat('fixed<4096,0>')).toEqual(makeFormat(true, 4096, 4096));
  });
});
