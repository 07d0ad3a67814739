import { castRef, type CastModes } from '../core/cast.ts';
import { inputError } from '../core/errors.ts';
import { FAST_BITS, castFitsFast, magnitudeBits, observedBits, sumGrowthBits } from '../core/exact.ts';
import { newCounters } from '../core/events.ts';
import { castFast, overflowFast, overflowPlan, type OverflowPlan } from '../core/fast.ts';
import { formatName, makeFormat, type Format } from '../core/format.ts';
import type { OverflowMode } from '../core/modes.ts';
import { checkOverflowArgs, overflowRef } from '../core/overflow.ts';
import type { RandomSource } from '../core/random.ts';
import type { Unit, UnitPorts } from './unit.ts';
import { isFastVec, toBigVec, type RawVec } from './vec.ts';

export interface MacSpec {
  name: string;
  input: Format;
  weight: Format;
  /** The accumulator register. Its frac must equal the product's frac: narrowing is explicit. */
  acc: Format;
  accOverflow: OverflowMode;
  accNBits?: number;
  /** Optional product register: each w*x is cast into it (quantize, then overflow) before accumulation. */
  product?: { format: Format; modes: CastModes };
  /** Optional bias preload; its frac must be <= acc.frac (aligned by an exact left shift). */
  bias?: Format;
}

/** The exact format of w*x: widths add, fractions add. One of the width-growth rules (see growth.ts). */
export function fullProductFormat(w: Format, x: Format): Format {
  const signed = w.signed || x.signed;
  return makeFormat(signed, w.width + x.width, w.frac + x.frac);
}

/**
 * A MAC array: out[o] = acc over i of w[o, i] * x[i], in index order, the accumulator's
 * overflow mode applied after every addition as a hardware register does (SAT per step).
 * Weights are row-major rows x cols. Skipping x[i] = 0 is exact (adding 0 to an in-range
 * accumulator changes nothing), so the fast kernel walks only the non-zero inputs,
 * except when stochastic product rounding must draw for every term.
 */
export class MacArray implements Unit {
  readonly kind = 'mac' as const;
  readonly name: string;
  readonly ports: UnitPorts;
  readonly counters = newCounters();
  readonly spec: MacSpec;
  private readonly accPlan: OverflowPlan;
  private readonly productPlan?: OverflowPlan;
  private readonly productIn: Format;
  private readonly termFrac: number;

  constructor(spec: MacSpec) {
    this.spec = spec;
    this.name = spec.name;
    this.productIn = fullProductFormat(spec.weight, spec.input);
    const term = spec.product?.format ?? this.productIn;
    this.termFrac = term.frac;
    const where = `unit '${spec.name}'`;
    if (spec.acc.frac !== term.frac) {
      inputError(`accumulator ${formatName(spec.acc)} has ${spec.acc.frac} fraction bits but the ${spec.product ? 'product format' : 'product w*x'} has ${term.frac}; make them equal (narrow with a product format or a shift unit)`, where);
    }
    if (spec.bias && spec.bias.frac > spec.acc.frac) {
      inputError(`bias ${formatName(spec.bias)} has more fraction bits than the accumulator ${formatName(spec.acc)}`, where);
    }
    checkOverflowArgs(spec.acc, spec.accOverflow, spec.accNBits ?? 0, where);
    if (spec.product) checkOverflowArgs(spec.product.format, spec.product.modes.overflow, spec.product.modes.nBits, where);
    this.accPlan = overflowPlan(spec.acc, spec.accOverflow, spec.accNBits ?? 0);
    if (spec.product) this.productPlan = overflowPlan(spec.product.format, spec.product.modes.overflow, spec.product.modes.nBits);
    const inputs: Record<string, Format> = { x: spec.input, w: spec.weight };
    if (spec.bias) inputs.bias = spec.bias;
    this.ports = { inputs, output: spec.acc };
  }

  /**
   * Largest magnitude exponent any intermediate can reach, given exponents for |w| and |x|
   * (from the formats, or observed from the data). The fast kernel needs this <= 53.
   */
  intermediateBits(wBits: number, xBits: number, fanIn: number): number {
    const { spec } = this;
    const prodBits = wBits + xBits;
    const termBits = spec.product ? Math.min(magnitudeBits(spec.product.format), prodBits) : prodBits;
    const biasBits = spec.bias ? magnitudeBits(spec.bias) + (spec.acc.frac - spec.bias.frac) : -Infinity;
    // the accumulator is in range before each addition, so acc + term is bounded by either rule
    const perStep = Math.max(magnitudeBits(spec.acc), termBits) + 1;
    const wholeSum = sumGrowthBits(fanIn + 1) + Math.max(termBits, biasBits);
    const productCast = spec.product && !castFitsFast(this.productIn, spec.product.format) ? Infinity : 0;
    return Math.max(prodBits, Math.min(perStep, wholeSum), productCast, biasBits);
  }

  /** Fast path proven by the formats alone, for a given fan-in. */
  staticallyFast(fanIn: number): boolean {
    return this.intermediateBits(magnitudeBits(this.spec.weight), magnitudeBits(this.spec.input), fanIn) <= FAST_BITS;
  }

  run(w: RawVec, rows: number, cols: number, x: RawVec, bias?: RawVec, rng?: RandomSource): RawVec {
    if (w.length !== rows * cols) inputError(`unit '${this.name}': weights have ${w.length} values, expected ${rows}x${cols}`);
    if (x.length !== cols) inputError(`unit '${this.name}': input has ${x.length} values, expected ${cols}`);
    if (bias && bias.length !== rows) inputError(`unit '${this.name}': bias has ${bias.length} values, expected ${rows}`);
    if (this.spec.bias === undefined && bias) inputError(`unit '${this.name}' has no bias port`);
    if (isFastVec(w) && isFastVec(x) && (!bias || isFastVec(bias)) && this.provenFast(w, x, cols)) {
      return this.runFast(w, rows, cols, x, bias as Float64Array | undefined, rng);
    }
    return this.runRef(toBigVec(w), rows, cols, toBigVec(x), bias && toBigVec(bias), rng);
  }

  private provenFast(w: Float64Array, x: Float64Array, cols: number): boolean {
    if (this.staticallyFast(cols)) return true;
    // the formats allow more than 2^53, but these operands may not: prove it on the data
    return this.intermediateBits(Math.ceil(observedBits(w)), Math.ceil(observedBits(x)), cols) <= FAST_BITS;
  }

  /** The living definition: BigInt, every term in index order. */
  runRef(w: bigint[], rows: number, cols: number, x: bigint[], bias?: bigint[], rng?: RandomSource): bigint[] {
    const { spec, counters } = this;
    const out = new Array<bigint>(rows);
    const biasShift = spec.bias ? BigInt(spec.acc.frac - spec.bias.frac) : 0n;
    for (let o = 0; o < rows; o++) {
      let acc = bias ? overflowRef(bias[o] << biasShift, spec.acc, spec.accOverflow, spec.accNBits ?? 0, counters) : 0n;
      for (let i = 0; i < cols; i++) {
        let p = w[o * cols + i] * x[i];
        if (spec.product) p = castRef(p, this.productIn, spec.product.format, spec.product.modes, rng, counters);
        acc = overflowRef(acc + p, spec.acc, spec.accOverflow, spec.accNBits ?? 0, counters);
      }
      out[o] = acc;
    }
    counters.values += rows * cols;
    return out;
  }

  private runFast(w: Float64Array, rows: number, cols: number, x: Float64Array, bias?: Float64Array, rng?: RandomSource): Float64Array {
    const { spec, counters, accPlan } = this;
    const out = new Float64Array(rows);
    const lo = accPlan.lo;
    const hi = accPlan.hi;
    const biasScale = spec.bias ? 2 ** (spec.acc.frac - spec.bias.frac) : 1;
    const product = spec.product;
    const skipZeros = !product || product.modes.rounding !== 'STOCH';
    // indices of the terms that can change the accumulator
    let idx: Int32Array | undefined;
    let nnz = cols;
    if (skipZeros) {
      idx = new Int32Array(cols);
      nnz = 0;
      for (let i = 0; i < cols; i++) if (x[i] !== 0) idx[nnz++] = i;
    }
    for (let o = 0; o < rows; o++) {
      let acc = bias ? overflowFast(bias[o] * biasScale, accPlan, counters) : 0;
      const base = o * cols;
      for (let j = 0; j < nnz; j++) {
        const i = idx ? idx[j] : j;
        let p = w[base + i] * x[i];
        if (product) p = castFast(p, this.productIn, this.productPlan!, product.format, product.modes, rng, counters);
        acc += p;
        if (acc > hi || acc < lo) acc = overflowFast(acc, accPlan, counters);
      }
      out[o] = acc;
    }
    counters.values += rows * cols;
    return out;
  }

  /** The frac of each accumulated term (and so of the accumulator). */
  get accFrac(): number { return this.termFrac; }
}
