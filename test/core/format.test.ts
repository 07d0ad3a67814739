import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import {
  formatName,
  fromBits,
  inRange,
  intBits,
  makeFormat,
  MAX_WIDTH,
  maxMagnitude,
  maxRaw,
  minRaw,
  sameFormat,
  toBits,
} from '../../src/core/format.ts';
import { arbBigIntIn, arbFormat, arbRaw } from '../helpers/arbitraries.ts';

describe('makeFormat', () => {
  it('builds a frozen (signed, W, F) with any integer F', () => {
    const f = makeFormat(true, 8, -4);
    expect(f).toEqual({ signed: true, width: 8, frac: -4 });
    expect(Object.isFrozen(f)).toBe(true);
    expect(makeFormat(false, 1, 70)).toEqual({ signed: false, width: 1, frac: 70 });
    expect(makeFormat(true, MAX_WIDTH, 0).width).toBe(4096);
  });
  it.each([
    [true, 0, 0, /width must be an integer >= 1, got 0/],
    [true, -3, 0, /width/],
    [true, 2.5, 0, /width/],
    [true, NaN, 0, /width/],
    [true, MAX_WIDTH + 1, 0, /width 4097 exceeds the supported maximum 4096/],
    [true, 8, 0.5, /frac must be an integer, got 0.5/],
    [true, 8, Infinity, /frac/],
  ])('rejects signed=%s W=%s F=%s', (s, w, f, msg) => {
    expect(() => makeFormat(s, w, f)).toThrow(FxInputError);
    expect(() => makeFormat(s, w, f)).toThrow(msg);
  });
});

describe('ranges and names', () => {
  it.each([
    [true, 4, 0, -8n, 7n, 8n, 'fixed<4,4>'],
    [false, 4, 0, 0n, 15n, 15n, 'ufixed<4,4>'],
    [true, 1, 0, -1n, 0n, 1n, 'fixed<1,1>'],
    [false, 1, 3, 0n, 1n, 1n, 'ufixed<1,-2>'],
    [true, 16, 10, -32768n, 32767n, 32768n, 'fixed<16,6>'],
    [true, 8, 12, -128n, 127n, 128n, 'fixed<8,-4>'],
    [false, 8, -4, 0n, 255n, 255n, 'ufixed<8,12>'],
    [true, 128, 64, -(2n ** 127n), 2n ** 127n - 1n, 2n ** 127n, 'fixed<128,64>'],
  ])('signed=%s W=%d F=%d: [%d, %d], |max| %d, %s', (s, w, fr, lo, hi, mag, name) => {
    const f = makeFormat(s, w, fr);
    expect(minRaw(f)).toBe(lo);
    expect(maxRaw(f)).toBe(hi);
    expect(maxMagnitude(f)).toBe(mag);
    expect(formatName(f)).toBe(name);
    expect(intBits(f)).toBe(w - fr);
    expect(inRange(lo, f) && inRange(hi, f)).toBe(true);
    expect(inRange(lo - 1n, f) || inRange(hi + 1n, f)).toBe(false);
  });

  it('sameFormat compares all three fields', () => {
    const f = makeFormat(true, 8, 3);
    expect(sameFormat(f, { signed: true, width: 8, frac: 3 })).toBe(true);
    expect(sameFormat(f, makeFormat(false, 8, 3))).toBe(false);
    expect(sameFormat(f, makeFormat(true, 9, 3))).toBe(false);
    expect(sameFormat(f, makeFormat(true, 8, 4))).toBe(false);
  });
});

describe('bit patterns', () => {
  it('literal sign extension', () => {
    const s4 = makeFormat(true, 4, 0);
    expect(fromBits(0b1111n, s4)).toBe(-1n);
    expect(fromBits(0b1000n, s4)).toBe(-8n);
    expect(fromBits(0b0111n, s4)).toBe(7n);
    expect(fromBits(0x1fn, s4)).toBe(-1n); // bits above W are ignored
    expect(fromBits(0b1111n, makeFormat(false, 4, 0))).toBe(15n);
    expect(toBits(-1n, s4)).toBe(15n);
    expect(toBits(-8n, s4)).toBe(8n);
  });
  it('toBits / fromBits round-trip every in-range raw', () => {
    fc.assert(
      fc.property(arbFormat({ maxWidth: 140 }).chain((f) => fc.tuple(fc.constant(f), arbRaw(f))), ([f, r]) => {
        const b = toBits(r, f);
        expect(b >= 0n && b < 1n << BigInt(f.width)).toBe(true);
        expect(fromBits(b, f)).toBe(r);
        expect(inRange(r, f)).toBe(true);
      }),
    );
  });
  it('fromBits of any pattern is in range and keeps the low W bits', () => {
    fc.assert(
      fc.property(arbFormat({ maxWidth: 140 }), arbBigIntIn(-(1n << 150n), 1n << 150n), (f, bits) => {
        const r = fromBits(bits, f);
        expect(inRange(r, f)).toBe(true);
        expect(((r - bits) % (1n << BigInt(f.width))) === 0n).toBe(true);
      }),
    );
  });
});
