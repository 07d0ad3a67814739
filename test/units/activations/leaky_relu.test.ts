import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../src/core/decimal.ts';
import { formatName, makeFormat } from '../../../src/core/format.ts';
import { ACTIVATIONS } from '../../../src/units/activations/index.ts';
import { resolveSlope, type LeakyReluParams } from '../../../src/units/activations/leaky-relu.ts';
import { checkAgainstOracle, derivOf, exactOf, expectFastMatches, kernelOf, unitOf } from '../../helpers/activation-check.ts';
import { cmp, fromRaw, mul, ONE, pow2q, q, ZERO, type Q } from '../../helpers/rational.ts';

const S8_4 = makeFormat(true, 8, 4); // fixed<8,4>: -8 .. 7.9375, LSB 1/16

/** The slope c as a rational: 2^-shift, the exact decimal, or (with a format) the resolved constant. */
function slopeOf(p: LeakyReluParams): Q {
  if (p.shift !== undefined) return pow2q(-p.shift);
  if (p.slope_format === undefined) {
    const r = parseDecimal(String(p.slope));
    return q(r.num, r.den);
  }
  const s = resolveSlope(p);
  if (typeof s === 'string') throw new Error(s);
  return fromRaw(s.raw, s.frac);
}

describe('leaky_relu', () => {
  it('hand-checked: shift 3 (slope 1/8) on fixed<8,4>', () => {
    const k = kernelOf('leaky_relu', { shift: 3 }, S8_4);
    // exact at frac 7: x > 0 -> r << 3; x <= 0 -> r (= x/8 at frac 7)
    const xs = [-128, -40, -1, 0, 1, 127];
    expect(exactOf(k, xs)).toEqual([-128n, -40n, -1n, 0n, 8n, 1016n]);
    // derivative in ufixed<4,1> (frac 3): 1.0 = raw 8, 1/8 = raw 1 (the slope at x = 0)
    expect(derivOf(k, xs)).toEqual([1n, 1n, 1n, 1n, 8n, 8n]);
    expect([k.extraFrac, k.growBits, formatName(k.derivFormat)]).toEqual([3, 3, 'ufixed<4,1>']);
    expectFastMatches(k, xs);
  });

  it('hand-checked: the unit rounds the exact result with its own modes', () => {
    // integer input and output, slope 1/2: -5 -> -2.5 -> TRN -3, RND_CONV -2, RND_ZERO -2; -4 -> -2 exact
    const I8 = makeFormat(true, 8, 0);
    const trn = unitOf('leaky_relu', { shift: 1 }, I8, I8, { rounding: 'TRN', overflow: 'SAT', nBits: 0 });
    expect(Array.from(trn.run(Float64Array.of(-5, -4, 3)) as Float64Array)).toEqual([-3, -2, 3]);
    expect(trn.counters.inexact).toBe(1);
    const conv = unitOf('leaky_relu', { shift: 1 }, I8, I8, { rounding: 'RND_CONV', overflow: 'SAT', nBits: 0 });
    expect(Array.from(conv.run(Float64Array.of(-5, -4, 3)) as Float64Array)).toEqual([-2, -2, 3]);
  });

  it('hand-checked: decimal slopes quantized into slope_format', () => {
    // 0.1 * 2^8 = 25.6: TRN (the default, as ap_fixed) -> 25, AP_RND -> 26
    expect(resolveSlope({ slope: '0.1', slope_format: 'ufixed<8,0>' })).toEqual({ raw: 25n, frac: 8 });
    expect(resolveSlope({ slope: 0.1, slope_format: 'ap_ufixed<8,0,AP_RND>' })).toEqual({ raw: 26n, frac: 8 });
    expect(resolveSlope({ slope: '-0.01', slope_format: { signed: true, width: 8, frac: 10 } })).toEqual({ raw: -11n, frac: 10 });
    // binary fractions need no format: the fewest fraction bits (>= 0)
    expect(resolveSlope({ slope: 0.25 })).toEqual({ raw: 1n, frac: 2 });
    expect(resolveSlope({ slope: '-0.75' })).toEqual({ raw: -3n, frac: 2 });
    expect(resolveSlope({ slope: 3 })).toEqual({ raw: 3n, frac: 0 });
    // a format with negative frac: 8 in ufixed<4,6> is raw 2 at frac -2, held as raw 8 at frac 0
    expect(resolveSlope({ slope: '8', slope_format: 'ufixed<4,6>' })).toEqual({ raw: 8n, frac: 0 });

    const k = kernelOf('leaky_relu', { slope: '0.1', slope_format: 'ufixed<8,0>' }, S8_4);
    // exact at frac 4 + 8: x <= 0 -> 25 r; x > 0 -> r << 8
    expect(exactOf(k, [-128, -1, 0, 3])).toEqual([-3200n, -25n, 0n, 768n]);
    expect(derivOf(k, [-1, 0, 3])).toEqual([25n, 25n, 256n]);
    expect(formatName(k.derivFormat)).toBe('ufixed<9,1>');
    // a negative slope: derivative format is signed, holding 1.0 (raw 4) and -0.75 (raw -3) at frac 2
    const n = kernelOf('leaky_relu', { slope: -0.75 }, S8_4);
    expect(exactOf(n, [-128, 16])).toEqual([384n, 64n]); // -8 * -0.75 = 6 (raw 384 at frac 6); 1.0 = raw 64
    expect(derivOf(n, [-1, 1])).toEqual([-3n, 4n]);
    expect(formatName(n.derivFormat)).toBe('fixed<4,2>');
    expectFastMatches(n, [-128, -1, 0, 1, 127]);
  });

  it('rejects bad params with a reason', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{}, /either shift .* or slope/],
      [{ shift: 0 }, /./],
      [{ shift: 31 }, /./],
      [{ shift: 1.5 }, /./],
      [{ shift: 2, slope: 0.5 }, /not both/],
      [{ slope: '0.1' }, /not a binary fraction.*slope_format/],
      [{ slope: 'abc', slope_format: 'ufixed<8,0>' }, /not a decimal/],
      [{ slope: '2', slope_format: 'ufixed<8,0>' }, /outside the range of ufixed<8,0>/],
      [{ slope: 0.5, slope_format: 'bogus<1>' }, /slope_format/],
      [{ slope: 0.5, slope_format: 'ap_ufixed<8,0,AP_STOCH>' }, /STOCH/],
      [{ slope_format: 'ufixed<8,0>' }, /needs a slope/],
      [{ shift: 2, alpha: 0.1 }, /./],
    ];
    for (const [p, why] of bad) {
      const r = ACTIVATIONS.leaky_relu.params.safeParse(p);
      expect(r.success, JSON.stringify(p)).toBe(false);
      expect(r.error!.issues.map((i) => i.message).join('; '), JSON.stringify(p)).toMatch(why);
    }
  });

  it('matches the exact rational f and f\'', () =>
    checkAgainstOracle('leaky_relu', {
      f: (x, p) => (cmp(x, ZERO) > 0 ? x : mul(slopeOf(p), x)),
      d: (x, p) => (cmp(x, ZERO) > 0 ? ONE : slopeOf(p)),
    }));
});
