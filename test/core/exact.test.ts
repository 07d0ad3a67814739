import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { castFitsFast, effectiveFormat, FAST_BITS, FAST_LIMIT, fitsFast, magnitudeBits, observedBits } from '../../src/core/exact.ts';
import { inRange, makeFormat, type Format } from '../../src/core/format.ts';
import { arbFormat, arbRaw, hi, lo } from '../helpers/arbitraries.ts';

const LIMIT = 1n << 53n;
/** Largest |raw| of f, computed independently of exact.ts. */
const maxAbs = (f: Format) => (-lo(f) > hi(f) ? -lo(f) : hi(f));

describe('constants and magnitudeBits', () => {
  it('FAST_BITS is 53 and FAST_LIMIT is 2^53', () => {
    expect(FAST_BITS).toBe(53);
    expect(FAST_LIMIT).toBe(9007199254740992);
  });
  it.each([
    [true, 1, 0],
    [false, 1, 1],
    [true, 8, 7],
    [false, 8, 8],
    [true, 54, 53],
    [false, 53, 53],
    [false, 54, 54],
  ])('signed=%s W=%d -> %d', (s, w, e) => {
    expect(magnitudeBits(makeFormat(s, w, 3))).toBe(e);
  });
  it('magnitudeBits is a sound, tight e with |raw| <= 2^e for every raw', () => {
    fc.assert(
      fc.property(arbFormat({ maxWidth: 200 }), (f) => {
        const e = magnitudeBits(f);
        expect(maxAbs(f) <= 1n << BigInt(e)).toBe(true);
        // tight, except ufixed<1,..> whose max 1 already fits 2^0 (magnitudeBits says 1: merely conservative)
        if (f.signed || f.width > 1) expect(e === 0 || maxAbs(f) > 1n << BigInt(e - 1)).toBe(true);
        expect(fitsFast(f)).toBe(maxAbs(f) <= LIMIT);
      }),
    );
  });
});

describe('castFitsFast', () => {
  it('refuses every case where an input, the aligned intermediate or a result could pass 2^53', () => {
    const arb = fc.tuple(arbFormat({ maxWidth: 70, fracSlack: 70 }), arbFormat({ maxWidth: 70, fracSlack: 70 }));
    fc.assert(
      fc.property(arb, ([from, to]) => {
        if (!castFitsFast(from, to)) return;
        const shift = from.frac - to.frac;
        const grow = shift < 0 ? BigInt(-shift) : 0n;
        expect(maxAbs(from) <= LIMIT).toBe(true);
        expect(maxAbs(from) << grow <= LIMIT).toBe(true); // the exact left shift
        // every result: either the target range is within 2^53, or the target is a signed format
        // wide enough (>= 54 bits) that no aligned input in [-2^53, 2^53) can overflow it
        expect(maxAbs(to) <= LIMIT || (to.signed && to.width >= 54)).toBe(true);
        expect(Number.isFinite(2 ** Math.abs(shift))).toBe(true); // the divisor in quantizeFast
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts the cases right at the boundary and refuses one bit past it', () => {
    const f = (s: boolean, w: number, fr: number) => makeFormat(s, w, fr);
    expect(castFitsFast(f(true, 54, 0), f(true, 54, 0))).toBe(true);
    expect(castFitsFast(f(false, 53, 0), f(true, 54, 0))).toBe(true);
    expect(castFitsFast(f(false, 54, 0), f(true, 8, 0))).toBe(false); // input up to 2^54 - 1
    expect(castFitsFast(f(true, 8, 0), f(false, 54, 0))).toBe(false); // unsigned wrap of a negative passes 2^53
    expect(castFitsFast(f(true, 8, 0), f(true, 100, 0))).toBe(true); // wide signed target: nothing can overflow
    expect(castFitsFast(f(true, 50, 0), f(true, 54, 4))).toBe(true); // 2^49 << 4 = 2^53
    expect(castFitsFast(f(true, 50, 0), f(true, 54, 5))).toBe(false); // 2^49 << 5 = 2^54
    expect(castFitsFast(f(true, 54, 54), f(true, 8, 0))).toBe(true); // dropping 54 bits is fine
    expect(castFitsFast(f(true, 8, 1000), f(true, 8, 0))).toBe(true);
    expect(castFitsFast(f(true, 8, 1001), f(true, 8, 0))).toBe(false); // 2^1001 still finite, but the rule says 1000
    expect(castFitsFast(f(true, 8, 2000), f(true, 8, 0))).toBe(false); // 2^2000 is Infinity
  });
});

describe('observedBits', () => {
  it('literal cases', () => {
    expect(observedBits([])).toBe(-Infinity);
    expect(observedBits([0, -0, 0])).toBe(-Infinity);
    expect(observedBits([1])).toBe(0);
    expect(observedBits([-8, 3])).toBe(3);
    expect(observedBits([5])).toBe(3);
    expect(observedBits([9])).toBe(4);
    expect(observedBits(new Float64Array([2, -1024, 5]))).toBe(10);
    // Math.log2(2^50 + 1) is exactly 50 in float64: the bound must not claim |v| <= 2^50
    expect(observedBits([2 ** 50 + 1])).toBe(51);
    expect(observedBits([-(2 ** 53)])).toBe(53);
  });

  it('is the smallest integer e with |v| <= 2^e, for integers up to 2^53', () => {
    const arbM = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 31 }),
      fc.integer({ min: 0, max: 53 }).chain((k) => fc.constantFrom(2 ** k - 1, 2 ** k, 2 ** k + 1).filter((m) => m >= 1 && m <= 2 ** 53)),
    );
    fc.assert(
      fc.property(fc.array(arbM.chain((m) => fc.constantFrom(m, -m)), { minLength: 1, maxLength: 5 }), (xs) => {
        const m = BigInt(Math.max(...xs.map(Math.abs)));
        const e = observedBits(xs);
        expect(Number.isInteger(e)).toBe(true);
        expect(m <= 1n << BigInt(e)).toBe(true);
        expect(e === 0 || m > 1n << BigInt(e - 1)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('effectiveFormat', () => {
  it('literal cases, including positive powers of two (fixed<4> stops at 7)', () => {
    const s16 = makeFormat(true, 16, 3);
    const u16 = makeFormat(false, 16, 3);
    expect(effectiveFormat(s16, [8])).toEqual({ signed: true, width: 5, frac: 3 });
    expect(effectiveFormat(s16, [-8, 7])).toEqual({ signed: true, width: 4, frac: 3 });
    expect(effectiveFormat(s16, [1])).toEqual({ signed: true, width: 2, frac: 3 });
    expect(effectiveFormat(s16, [-1, 0])).toEqual({ signed: true, width: 1, frac: 3 });
    expect(effectiveFormat(s16, [])).toEqual({ signed: true, width: 1, frac: 3 });
    expect(effectiveFormat(u16, [8])).toEqual({ signed: false, width: 4, frac: 3 });
    expect(effectiveFormat(u16, [7, 0])).toEqual({ signed: false, width: 3, frac: 3 });
    expect(effectiveFormat(s16, [32767, -5])).toBe(s16); // needs every bit: the declared format itself
  });

  it('is the narrowest format of the same sign and frac that holds every value', () => {
    const arb = arbFormat({ maxWidth: 54 })
      .filter((f) => magnitudeBits(f) <= 53)
      .chain((f) => fc.tuple(fc.constant(f), fc.array(arbRaw(f), { maxLength: 8 })));
    fc.assert(
      fc.property(arb, ([f, raws]) => {
        const xs = raws.map(Number);
        const e = effectiveFormat(f, xs);
        expect(e.signed).toBe(f.signed);
        expect(e.frac).toBe(f.frac);
        expect(e.width <= f.width && e.width >= 1).toBe(true);
        for (const r of raws) expect(inRange(r, e)).toBe(true);
        if (e.width > 1) expect(raws.every((r) => inRange(r, makeFormat(f.signed, e.width - 1, f.frac)))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
