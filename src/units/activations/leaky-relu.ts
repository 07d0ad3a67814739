import { z } from 'zod';
import { rationalToRaw } from '../../core/decimal.ts';
import { inputError } from '../../core/errors.ts';
import { newCounters } from '../../core/events.ts';
import { formatName } from '../../core/format.ts';
import { parseFormatSpec } from '../../core/parse-format.ts';
import type { ActivationDef } from '../activation.ts';
import { ceilLog2Abs, dyadicParam, holdingFormat, realParam, type RealParam } from './params.ts';

export interface LeakyReluParams {
  /** slope 2^-shift */
  shift?: number;
  /** slope as a decimal (number or string) */
  slope?: RealParam;
  /** format the slope is quantized into (any format spelling; its quantization mode applies, default TRN) */
  slope_format?: unknown;
}

/** The slope as raw c at frac F >= 0: c * 2^-F. */
export interface Slope {
  raw: bigint;
  frac: number;
}

/**
 * Resolve the slope constant. `shift: s` is raw 1 at frac s. `slope` with `slope_format` is
 * quantized into that format as an ap_fixed/sc_fixed constant assignment would be, with the
 * format's quantization mode (default TRN); out of range is an error, not a wrap. `slope`
 * without a format must be a binary fraction and is held at the fewest fraction bits.
 * A negative slope frac is brought to 0 by an exact left shift (so x > 0 stays exact).
 */
export function resolveSlope(p: LeakyReluParams): Slope | string {
  if (p.shift !== undefined) return { raw: 1n, frac: p.shift };
  if (p.slope === undefined) return 'give either shift (slope 2^-shift) or slope (with slope_format)';
  let s: Slope;
  if (p.slope_format === undefined) {
    const d = dyadicParam(p.slope, 'slope', 0);
    if (typeof d === 'string') return `${d}; give slope_format (e.g. 'ufixed<8,0>') to quantize it`;
    s = d;
  } else {
    const q = realParam(p.slope);
    if (typeof q === 'string') return `slope ${JSON.stringify(p.slope)}: ${q}`;
    let spec;
    try {
      spec = parseFormatSpec(p.slope_format);
    } catch (e) {
      return `slope_format: ${(e as Error).message}`;
    }
    const rounding = spec.rounding ?? 'TRN';
    if (rounding === 'STOCH') return 'slope_format: a constant cannot use STOCH rounding';
    const c = newCounters();
    const raw = rationalToRaw(q.num, q.den, spec.format, { rounding, overflow: 'SAT', nBits: 0 }, undefined, c);
    if (c.overflows > 0) return `slope ${p.slope} is outside the range of ${formatName(spec.format)}`;
    s = { raw, frac: spec.format.frac };
  }
  return s.frac < 0 ? { raw: s.raw << BigInt(-s.frac), frac: 0 } : s;
}

const params = z
  .strictObject({
    shift: z.number().int().min(1).max(30).optional(),
    slope: z.union([z.number(), z.string()]).optional(),
    slope_format: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.shift !== undefined && (p.slope !== undefined || p.slope_format !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either shift or slope, not both', path: ['shift'] });
      return;
    }
    if (p.slope === undefined && p.slope_format !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'slope_format needs a slope', path: ['slope_format'] });
      return;
    }
    const s = resolveSlope(p);
    if (typeof s === 'string') ctx.addIssue({ code: 'custom', message: s, path: p.slope === undefined ? [] : ['slope'] });
  });

/**
 * Leaky ReLU: f(x) = x for x > 0, else c * x. With the slope c = c_raw * 2^-Fc the result is
 * exact at Fc extra fraction bits: raw r << Fc for r > 0, c_raw * r otherwise.
 */
export const leakyRelu: ActivationDef<LeakyReluParams> = {
  name: 'leaky_relu',
  summary:
    'f(x) = x for x > 0, else slope * x; params {shift: s} (slope 2^-s, s = 1..30), or {slope, slope_format} ' +
    '(slope quantized into slope_format with its rounding mode, default TRN), or {slope} alone when it is a binary fraction',
  derivative:
    "f'(x) = 1 for x > 0, else the slope (so f'(0) = slope); raw at the slope's frac Fc, in the narrowest format holding both " +
    'values: raw 2^Fc or slope_raw (e.g. slope 0.1 in ufixed<8,0>: ufixed<9,1>, raw 256 or 25). With shift s: ufixed<s+1,1> (frac s), raw 2^s for x > 0 else 1',
  params,
  create(p, input) {
    const s = resolveSlope(p);
    if (typeof s === 'string') inputError(`leaky_relu: ${s}`);
    const { raw: c, frac: fc } = s;
    const one = 1n << BigInt(fc);
    const oneN = 2 ** fc;
    const cN = Number(c);
    const bfc = BigInt(fc);
    return {
      extraFrac: fc,
      growBits: Math.max(fc, input.signed ? ceilLog2Abs(c) : -Infinity),
      exactRef: (r) => (r > 0n ? r << bfc : c * r),
      // `+ 0` turns the -0 of a zero slope times a negative r into 0
      exactFast: (r) => (r > 0 ? r * oneN : cN * r + 0),
      derivFormat: holdingFormat([one, c], fc),
      derivRef: (r) => (r > 0n ? one : c),
      derivFast: (r) => (r > 0 ? oneN : cN),
    };
  },
};
