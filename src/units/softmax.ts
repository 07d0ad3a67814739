import { z } from 'zod';
import type { CastModes } from '../core/cast.ts';
import { parseDecimal, rationalToRaw } from '../core/decimal.ts';
import { inputError } from '../core/errors.ts';
import { FAST_BITS, fastPaths, magnitudeBits } from '../core/exact.ts';
import { newCounters } from '../core/events.ts';
import { overflowFast, overflowPlan, quantizeFast, type OverflowPlan } from '../core/fast.ts';
import { makeFormat, type Format } from '../core/format.ts';
import { sumGrowthBits } from '../core/growth.ts';
import { checkOverflowArgs } from '../core/overflow.ts';
import type { QuantMode } from '../core/modes.ts';
import { quantizeRef } from '../core/quantize.ts';
import type { RandomSource } from '../core/random.ts';
import type { Unit, UnitPorts } from './unit.ts';
import { isFastVec, toBigVec, type RawVec } from './vec.ts';

/**
 * Integer softmax: p = softmax(z) over one vector, every step an integer operation with explicit
 * rounding. Input z (raw at frac Fin), output p (raw at frac Fo of the output format).
 *
 *   1. d_i = z_i - max(z)                                   exact, d_i <= 0, frac Fin
 *   2. t_i = d_i * LOG2E                                    exact, frac T = Fin + Lf
 *        LOG2E = round(log2(e) * 2^Lf)   (Lf = log2e_frac, default 16: raw 94548),
 *        from the 40-digit decimal 1.442695040888963407359924681001892137427 (rationalToRaw, RND)
 *   3. u_i = floor(t_i * 2^(Ef - T))                        t at Ef = exp_frac fraction bits (floor: bit slicing)
 *      n_i = floor(u_i / 2^Ef) <= 0,  f_i = u_i - n_i * 2^Ef in [0, 2^Ef)   integer part and fraction of t
 *   4. 2^f ~ P(f) = 1 + f (c1 + f (c2 + f c3)), Horner, each product floored back to Ef bits:
 *        y3 = C3;  y2 = C2 + floor(y3 f / 2^Ef);  y1 = C1 + floor(y2 f / 2^Ef);  y0 = C0 + floor(y1 f / 2^Ef)
 *      C0 = 2^Ef, C1 = round(0.6954243 * 2^Ef), C2 = round(0.2263077 * 2^Ef) (RND, exact decimals),
 *      C3 = 2^Ef - C1 - C2 (c3 = 0.0782680 at Ef = 16). c1, c2 minimise the max relative error of
 *      P(f) vs 2^f on [0, 1] under P(0) = 1 and P(1) = 2 (a linear-programming minimax fit): 1.03e-4.
 *      Deriving C3 keeps P(1) = 2 exactly at every precision, so y0 < 2^(Ef+1) for f < 1 and
 *      exp is continuous and monotone across the integer steps of t.
 *   5. exp_i = y0 >> (-n_i), rounded with the unit's rounding mode   unsigned, frac Ef: ufixed<Ef+1,1>,
 *      in [0, 2^Ef] (exp = 2^Ef exactly for the max). A shift by more than Ef + 2 bits gives the same
 *      result as a shift by Ef + 2 (y0 < 2^(Ef+1) is below half an output LSB either way), so the
 *      shift is capped there: this is exact, not an approximation.
 *   6. sum = sum_i exp_i                                    exact, ceil(log2 n) more integer bits, sum >= 2^Ef
 *   7. p_i = exp_i * 2^Fo / sum                             one rounding decision on the exact remainder with
 *      the unit's rounding mode (rationalToRaw: q = floor, ROUNDING table on (2 rem, den)), then the
 *      output overflow mode. p_i <= 1 always; an output format that cannot hold 1.0 overflows there.
 *
 * Accuracy, measured by test/units/softmax.test.ts over every raw d in [-16, 0] at input fracs 4,
 * 8, 12 (every deterministic mode) and 16 (TRN): with the defaults (Lf = Ef = 16)
 *   |exp(d) - e^d| <= 1.2e-4 * e^d + 2^-16        (largest measured relative part: 1.17e-4)
 * so the relative error is below 1e-3 wherever e^d >= 2^-6 (d >= -4.16; measured 9.4e-4 with TRN,
 * 5.7e-4 with the RND modes, 1.02e-3 with TRN_INF / TRN_AWAY, which round the shift up). The sources: P itself 1.03e-4; the floor of t, up to ln2 * 2^-Ef; three
 * Horner floors, up to 3 * 2^-Ef; LOG2E rounded to Lf bits, |d| * 4.9e-6 at Lf = 16; the final
 * shift, one LSB 2^-Ef absolute. At Lf = Ef = 24 the relative part falls to P's own 1.03e-4; at
 * 12 it is 3.4e-4. exp is monotone non-decreasing in d (every step is a monotone integer map and
 * P(1) = 2), so p is monotone in z and the max element gets the largest p. Each p_i is within one
 * output LSB of exp_i / sum, so the probabilities sum to 1 within n LSBs.
 *
 * The same rounding mode is used by steps 5 and 7; steps 3 and 4 always floor (bit slicing and a
 * truncating Horner datapath). STOCH is not supported: the division has no binary remainder.
 *
 * Events: values (probabilities produced), inexact (divisions with a non-zero remainder), toZero
 * (probabilities that rounded to 0, in step 5 or 7: the true softmax is never 0), overflows and
 * saturations (step 7's overflow into the output).
 */

/** Defaults of the two internal precisions. */
export const SOFTMAX_DEFAULTS = Object.freeze({ log2eFrac: 16, expFrac: 16 });

/** log2(e) to 40 significant digits: 1 / ln 2 (bc -l: 1/l(2)). */
export const LOG2E_DECIMAL = '1.442695040888963407359924681001892137427';
/** The minimax coefficients c1, c2 of P(f) = 1 + c1 f + c2 f^2 + (1 - c1 - c2) f^3 ~ 2^f on [0, 1]. */
export const EXP2_COEFFS_DECIMAL = Object.freeze(['0.6954243', '0.2263077'] as const);
/** Largest configurable log2e_frac / exp_frac. */
export const MAX_SOFTMAX_FRAC = 64;

/** The two precision keys of a softmax unit, shared with the config schema. */
export const softmaxFracKeys = {
  log2e_frac: z.number().int().min(1).max(MAX_SOFTMAX_FRAC).optional()
    .meta({ description: `Fraction bits of the constant log2(e) (default ${SOFTMAX_DEFAULTS.log2eFrac})` }),
  exp_frac: z.number().int().min(1).max(MAX_SOFTMAX_FRAC).optional()
    .meta({ description: `Fraction bits of the exp values and of the 2^f polynomial coefficients (default ${SOFTMAX_DEFAULTS.expFrac})` }),
};

const formatObject = z.strictObject({ signed: z.boolean(), width: z.number().int().min(1), frac: z.number().int() });
const detModes = ['TRN', 'TRN_ZERO', 'TRN_INF', 'TRN_AWAY', 'RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV', 'RND_CONV_ODD'] as const;

/**
 * Parameters of a softmax unit for programmatic use (the config file spells the same keys with
 * any format spelling and mode alias; see src/config/schema.ts): output is a canonical format
 * object, rounding a deterministic mode name (default TRN), overflow default WRAP.
 */
export const softmaxParamsSchema = z.strictObject({
  ...softmaxFracKeys,
  output: formatObject,
  rounding: z.enum(detModes).optional(),
  overflow: z.enum(['SAT', 'SAT_ZERO', 'SAT_SYM', 'WRAP', 'WRAP_SM']).optional(),
  n_bits: z.number().int().min(0).optional(),
});
export type SoftmaxParams = z.infer<typeof softmaxParamsSchema>;

export interface SoftmaxSpec {
  name: string;
  input: Format;
  output: Format;
  /** Rounding of the exp shift and of the division; overflow into the output. */
  modes: CastModes;
  log2eFrac?: number;
  expFrac?: number;
}

/** A SoftmaxSpec from validated params (softmaxParamsSchema) and the input format. */
export function softmaxSpec(name: string, input: Format, params: SoftmaxParams): SoftmaxSpec {
  const p = softmaxParamsSchema.parse(params);
  return {
    name,
    input,
    output: makeFormat(p.output.signed, p.output.width, p.output.frac),
    modes: { rounding: p.rounding ?? 'TRN', overflow: p.overflow ?? 'WRAP', nBits: p.n_bits ?? 0 },
    log2eFrac: p.log2e_frac,
    expFrac: p.exp_frac,
  };
}

const RND = { rounding: 'RND', overflow: 'SAT', nBits: 0 } as const satisfies CastModes;

/** round(decimal * 2^frac), exactly (no float): the constant's raw value at `frac` fraction bits. */
function constRaw(decimal: string, frac: number): bigint {
  const q = parseDecimal(decimal);
  return rationalToRaw(q.num, q.den, makeFormat(false, frac + 2, frac), RND);
}

/** The integer constants of a softmax with these precisions. */
export function softmaxConstants(log2eFrac: number, expFrac: number): { log2e: bigint; coeffs: readonly [bigint, bigint, bigint, bigint] } {
  const one = 1n << BigInt(expFrac);
  const c1 = constRaw(EXP2_COEFFS_DECIMAL[0], expFrac);
  const c2 = constRaw(EXP2_COEFFS_DECIMAL[1], expFrac);
  return { log2e: constRaw(LOG2E_DECIMAL, log2eFrac), coeffs: [one, c1, c2, one - c1 - c2] };
}

/** Smallest e with 0 <= v <= 2^e (-Infinity for 0), exactly. */
function bitsOf(v: number): number {
  if (v === 0) return -Infinity;
  let e = Math.ceil(Math.log2(v));
  while (2 ** e < v) e++;
  while (2 ** (e - 1) >= v) e--;
  return e;
}

/** The rounding decision of quantize.ts's ROUNDING table, on numbers (q >= 0, a positive value). */
function roundUpPositive(mode: QuantMode, q: number, rem: number, half: number): boolean {
  switch (mode) {
    case 'TRN': case 'TRN_ZERO': return false;
    case 'TRN_INF': case 'TRN_AWAY': return true;
    case 'RND': case 'RND_INF': return rem >= half;
    case 'RND_ZERO': case 'RND_MIN_INF': return rem > half;
    case 'RND_CONV': return rem > half || (rem === half && q % 2 === 1);
    case 'RND_CONV_ODD': return rem > half || (rem === half && q % 2 === 0);
    default: return false;
  }
}

export class SoftmaxUnit implements Unit {
  readonly kind = 'softmax' as const;
  readonly name: string;
  readonly ports: UnitPorts;
  readonly counters = newCounters();
  readonly spec: SoftmaxSpec;
  readonly log2eFrac: number;
  readonly expFrac: number;
  /** Raw LOG2E at frac log2eFrac. */
  readonly log2e: bigint;
  /** Raw C0..C3 at frac expFrac. */
  readonly coeffs: readonly [bigint, bigint, bigint, bigint];
  /** Format of the exp values: ufixed<Ef+1,1>. */
  readonly expFormat: Format;
  /** Fraction bits of t = d * LOG2E: Fin + Lf. */
  readonly tFrac: number;
  private readonly plan: OverflowPlan;
  private readonly num: { log2e: number; c: [number, number, number, number]; one: number };

  constructor(spec: SoftmaxSpec) {
    const where = `unit '${spec.name}'`;
    if (spec.modes.rounding === 'STOCH') inputError('softmax does not support STOCH rounding (the division exp/sum has no binary remainder); use a deterministic mode', where);
    const lf = spec.log2eFrac ?? SOFTMAX_DEFAULTS.log2eFrac;
    const ef = spec.expFrac ?? SOFTMAX_DEFAULTS.expFrac;
    for (const [key, v] of [['log2e_frac', lf], ['exp_frac', ef]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > MAX_SOFTMAX_FRAC) inputError(`${key} must be an integer in [1, ${MAX_SOFTMAX_FRAC}], got ${v}`, where);
    }
    checkOverflowArgs(spec.output, spec.modes.overflow, spec.modes.nBits, where);
    this.spec = spec;
    this.name = spec.name;
    this.log2eFrac = lf;
    this.expFrac = ef;
    const k = softmaxConstants(lf, ef);
    this.log2e = k.log2e;
    this.coeffs = k.coeffs;
    this.expFormat = makeFormat(false, ef + 1, ef);
    this.tFrac = spec.input.frac + lf;
    this.ports = { inputs: { x: spec.input }, output: spec.output };
    this.plan = overflowPlan(spec.output, spec.modes.overflow, spec.modes.nBits);
    this.num = { log2e: Number(k.log2e), c: k.coeffs.map(Number) as [number, number, number, number], one: 2 ** ef };
  }

  /** Format of the exact sum of n exp values. */
  sumFormat(n: number): Format {
    const g = sumGrowthBits(n);
    return makeFormat(false, this.expFrac + 1 + g, this.expFrac);
  }

  // ------------------------------------------------------------------ the definition (BigInt)

  /** exp(d) for d = z - max(z) <= 0 raw at the input frac: raw at frac expFrac, in [0, 2^expFrac]. */
  expRef(d: bigint): bigint {
    if (d > 0n) throw new RangeError('softmax expRef: d must be <= 0');
    const ef = BigInt(this.expFrac);
    const t = d * this.log2e;
    const s = this.tFrac - this.expFrac;
    const u = s >= 0 ? t >> BigInt(s) : t << BigInt(-s); // floor to Ef fraction bits
    const n = u >> ef; // <= 0
    const f = u - (n << ef);
    const [c0, c1, c2, c3] = this.coeffs;
    let y = c3;
    y = c2 + ((y * f) >> ef);
    y = c1 + ((y * f) >> ef);
    y = c0 + ((y * f) >> ef);
    const cap = BigInt(this.expFrac + 2);
    const k = -n > cap ? cap : -n;
    return quantizeRef(y, Number(k), this.spec.modes.rounding);
  }

  /** The living definition. */
  runRef(z: readonly bigint[]): bigint[] {
    const { spec, counters } = this;
    counters.values += z.length;
    if (z.length === 0) return [];
    let m = z[0];
    for (const v of z) if (v > m) m = v;
    const e = z.map((v) => this.expRef(v - m));
    let sum = 0n;
    for (const v of e) sum += v;
    return e.map((v) => {
      if (v === 0n) counters.toZero++;
      return rationalToRaw(v, sum, spec.output, spec.modes, undefined, counters);
    });
  }

  // ------------------------------------------------------------------ the fast kernel (numbers)

  /**
   * Does |d| <= 2^dBits for a vector of n values prove every intermediate an exact integer
   * <= 2^53? t = d * LOG2E (LOG2E < 2^(Lf+1)); u (t shifted left when Ef > T); Horner products
   * y * f < 2^(2 Ef + 1); the division's numerator exp * 2^Fo and denominator sum * 2^-Fo, whose
   * sum must stay <= 2^53 (the quotient is corrected by one from the remainder); the output plan.
   */
  provenFast(dBits: number, n: number): boolean {
    const lf = this.log2eFrac;
    const ef = this.expFrac;
    const fo = this.spec.output.frac;
    const s = this.tFrac - ef;
    const tBits = Math.max(dBits, 0) + lf + 1;
    const uBits = tBits + Math.max(0, -s);
    const numBits = ef + Math.max(fo, 0);
    const denBits = ef + sumGrowthBits(n) + Math.max(-fo, 0);
    return Math.abs(s) <= 1000 && tBits <= FAST_BITS && uBits <= FAST_BITS && 2 * ef + 1 <= FAST_BITS
      && Math.max(numBits, denBits) + 1 <= FAST_BITS && magnitudeBits(this.spec.output) <= FAST_BITS;
  }

  /** expRef on numbers; the caller holds a proof (provenFast) for this d. */
  expFast(d: number): number {
    const { num } = this;
    const one = num.one;
    const t = d * num.log2e;
    const s = this.tFrac - this.expFrac;
    const u = s >= 0 ? Math.floor(t / 2 ** s) : t * 2 ** -s;
    const n = Math.floor(u / one);
    const f = u - n * one;
    const [c0, c1, c2, c3] = num.c;
    let y = c3;
    y = c2 + Math.floor((y * f) / one);
    y = c1 + Math.floor((y * f) / one);
    y = c0 + Math.floor((y * f) / one);
    const k = Math.min(-n, this.expFrac + 2);
    return k === 0 ? y : quantizeFast(y, k, this.spec.modes.rounding);
  }

  /** The fast kernel, or undefined (nothing counted) when the data does not prove it exact. */
  runFast(z: Float64Array): Float64Array | undefined {
    if (!fastPaths.enabled) return undefined;
    const n = z.length;
    if (n === 0) return new Float64Array(0);
    let m = z[0];
    let lo = z[0];
    for (let i = 1; i < n; i++) {
      const v = z[i];
      if (v > m) m = v;
      if (v < lo) lo = v;
    }
    // exact whenever the true range is < 2^53; a larger one rounds to >= 2^53 and fails the proof
    if (!this.provenFast(bitsOf(m - lo), n)) return undefined;
    const { counters, spec, plan } = this;
    const mode = spec.modes.rounding;
    const fo = spec.output.frac;
    const numScale = fo >= 0 ? 2 ** fo : 1;
    const denScale = fo >= 0 ? 1 : 2 ** -fo;
    const e = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      e[i] = this.expFast(z[i] - m);
      sum += e[i];
    }
    const den = sum * denScale;
    const out = new Float64Array(n);
    let inexact = 0;
    let toZero = 0;
    for (let i = 0; i < n; i++) {
      const N = e[i] * numScale;
      let q = Math.floor(N / den); // floor(fl(N / den)) is q or q + 1
      let rem = N - q * den;
      if (rem < 0) { q -= 1; rem += den; }
      if (rem !== 0) {
        inexact++;
        if (roundUpPositive(mode, q, 2 * rem, den)) q++;
      }
      if (q === 0) toZero++; // exp = 0 (underflow) or exp > 0 quantized to 0
      out[i] = q >= plan.lo && q <= plan.hi ? q : overflowFast(q, plan, counters);
    }
    counters.values += n;
    counters.inexact += inexact;
    counters.toZero += toZero;
    return out;
  }

  run(x: RawVec, _rng?: RandomSource, _into?: Float64Array): RawVec {
    if (isFastVec(x)) {
      const out = this.runFast(x);
      if (out) return out;
    }
    return this.runRef(toBigVec(x));
  }
}
