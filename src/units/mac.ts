import { castRef, type CastModes } from '../core/cast.ts';
import { inputError } from '../core/errors.ts';
import { FAST_BITS, castFitsFast, fastPaths, magnitudeBits, observedBits } from '../core/exact.ts';
import { newCounters } from '../core/events.ts';
import { castFast, overflowFast, overflowPlan, type OverflowPlan } from '../core/fast.ts';
import { formatName, type Format } from '../core/format.ts';
import { productFormat, sumGrowthBits } from '../core/growth.ts';
import type { OverflowMode } from '../core/modes.ts';
import { checkOverflowArgs, overflowRef } from '../core/overflow.ts';
import type { RandomSource } from '../core/random.ts';
import type { Unit, UnitPorts } from './unit.ts';
import { isFastVec, toBigVec, type RawVec } from './vec.ts';

/** The non-zero positions of a vector: the only terms that can change an accumulator. */
export interface Nonzeros {
  idx: Int32Array;
  count: number;
  /** x[idx[j]] for j < count, when the caller has them gathered already (a dataset does). */
  values?: Float64Array;
}

export function nonzeros(x: ArrayLike<number>, idx: Int32Array = new Int32Array(x.length)): Nonzeros {
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) idx[count++] = i;
  return { idx, count };
}

/**
 * sum_j w[base + idx[j]] * xv[j], as four partial sums (to break the add-latency chain). Only
 * for callers that proved every partial sum exact: then any association gives the same bits.
 * Small separate functions so V8 optimizes the hot loops on their own.
 */
function dotGathered(w: Float64Array, base: number, idx: Int32Array, xv: Float64Array, nnz: number): number {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let j = 0;
  for (; j + 3 < nnz; j += 4) {
    a0 += w[base + idx[j]] * xv[j];
    a1 += w[base + idx[j + 1]] * xv[j + 1];
    a2 += w[base + idx[j + 2]] * xv[j + 2];
    a3 += w[base + idx[j + 3]] * xv[j + 3];
  }
  for (; j < nnz; j++) a0 += w[base + idx[j]] * xv[j];
  return a0 + a1 + (a2 + a3);
}

/**
 * Rows r..r+3 at once: out[r+k] = sum_j w[base + k*cols + idx[j]] * xv[j], each row's terms in
 * index order, four independent accumulators (same proof requirement as dotGathered).
 */
function dot4Rows(w: Float64Array, base: number, cols: number, idx: Int32Array, xv: Float64Array, nnz: number, out: Float64Array, r: number): void {
  const b1 = base + cols, b2 = b1 + cols, b3 = b2 + cols;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let j = 0; j < nnz; j++) {
    const i = idx[j];
    const xj = xv[j];
    a0 += w[base + i] * xj;
    a1 += w[b1 + i] * xj;
    a2 += w[b2 + i] * xj;
    a3 += w[b3 + i] * xj;
  }
  out[r] = a0; out[r + 1] = a1; out[r + 2] = a2; out[r + 3] = a3;
}

/** Eight rows at once (the same requirement): the index and value loads serve eight accumulators. */
function dot8Rows(w: Float64Array, base: number, cols: number, idx: Int32Array, xv: Float64Array, nnz: number, out: Float64Array, r: number): void {
  const b1 = base + cols, b2 = b1 + cols, b3 = b2 + cols, b4 = b3 + cols, b5 = b4 + cols, b6 = b5 + cols, b7 = b6 + cols;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  for (let j = 0; j < nnz; j++) {
    const i = idx[j];
    const xj = xv[j];
    a0 += w[base + i] * xj;
    a1 += w[b1 + i] * xj;
    a2 += w[b2 + i] * xj;
    a3 += w[b3 + i] * xj;
    a4 += w[b4 + i] * xj;
    a5 += w[b5 + i] * xj;
    a6 += w[b6 + i] * xj;
    a7 += w[b7 + i] * xj;
  }
  out[r] = a0; out[r + 1] = a1; out[r + 2] = a2; out[r + 3] = a3;
  out[r + 4] = a4; out[r + 5] = a5; out[r + 6] = a6; out[r + 7] = a7;
}

function dot2Rows(w: Float64Array, base: number, cols: number, idx: Int32Array, xv: Float64Array, nnz: number, out: Float64Array, r: number): void {
  const b1 = base + cols;
  let a0 = 0, a1 = 0;
  for (let j = 0; j < nnz; j++) {
    const i = idx[j];
    const xj = xv[j];
    a0 += w[base + i] * xj;
    a1 += w[b1 + i] * xj;
  }
  out[r] = a0; out[r + 1] = a1;
}

function gather(x: Float64Array, idx: Int32Array, nnz: number, xv: Float64Array): Float64Array {
  for (let j = 0; j < nnz; j++) xv[j] = x[idx[j]];
  return xv;
}


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

/**
 * Can overflow into f make a value larger in magnitude? Only an unsigned register that wraps:
 * a small negative value lands near 2^W. (Every other overflow lands in a range the value left.)
 */
const wrapsUp = (f: Format, mode: OverflowMode, nBits: number): boolean => !f.signed && mode === 'WRAP' && nBits < f.width;

/** The exact format of w*x: the product rule of growth.ts (kept under this name for callers). */
export const fullProductFormat = (w: Format, x: Format): Format => productFormat(w, x);

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
    let termBits = prodBits;
    if (spec.product) {
      const { format, modes } = spec.product;
      // a product format with more fraction bits than w*x shifts the product left before its overflow;
      // an unsigned one that wraps maps a negative product near 2^W, so only its range bounds it
      termBits = wrapsUp(format, modes.overflow, modes.nBits)
        ? magnitudeBits(format)
        : Math.min(magnitudeBits(format), prodBits + Math.max(0, format.frac - this.productIn.frac));
    }
    const biasBits = spec.bias ? magnitudeBits(spec.bias) + (spec.acc.frac - spec.bias.frac) : -Infinity;
    // the accumulator is in range before each addition, so acc + term is bounded by either rule
    const perStep = Math.max(magnitudeBits(spec.acc), termBits) + 1;
    const wholeSum = sumGrowthBits(fanIn + 1) + Math.max(termBits, biasBits);
    // The whole-sum rule holds because an overflow can only land in a range smaller than the sum
    // so far, except for an unsigned register that wraps: a negative partial sum lands near 2^W.
    const accBits = wrapsUp(spec.acc, spec.accOverflow, spec.accNBits ?? 0) ? perStep : Math.min(perStep, wholeSum);
    const productCast = spec.product && !castFitsFast(this.productIn, spec.product.format) ? Infinity : 0;
    return Math.max(prodBits, accBits, productCast, biasBits);
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
    if (fastPaths.enabled && isFastVec(w) && isFastVec(x) && (!bias || isFastVec(bias))) {
      const out = this.runProven(w, rows, cols, x, this.skipsZeros ? nonzeros(x) : undefined, observedBits(w), observedBits(x), bias as Float64Array | undefined, rng);
      if (out) return out;
    }
    return this.runRef(toBigVec(w), rows, cols, toBigVec(x), bias && toBigVec(bias), rng);
  }

  /** Zero terms can be skipped unless stochastic product rounding must draw for each. */
  get skipsZeros(): boolean {
    return !this.spec.product || this.spec.product.modes.rounding !== 'STOCH';
  }

  /**
   * The fast kernel, for callers that know bounds |w| <= 2^wBits and |x| <= 2^xBits (from the
   * formats, from a scan, or maintained by the unit that wrote the data) and, when zeros may be
   * skipped, the non-zero positions of x. Returns undefined when the bounds do not prove every
   * intermediate exact in float64: the caller then takes the reference path.
   */
  runProven(w: Float64Array, rows: number, cols: number, x: Float64Array, nz: Nonzeros | undefined, wBits: number, xBits: number, bias?: Float64Array, rng?: RandomSource, out: Float64Array = new Float64Array(rows)): Float64Array | undefined {
    if (!fastPaths.enabled) return undefined;
    const wb = Math.min(wBits, magnitudeBits(this.spec.weight));
    const xb = Math.min(xBits, magnitudeBits(this.spec.input));
    // the proof depends only on (wb, xb, cols), which change rarely: remember the last one
    const memo = this.proofMemo;
    if (memo.wb !== wb || memo.xb !== xb || memo.cols !== cols) {
      memo.wb = wb; memo.xb = xb; memo.cols = cols;
      memo.fast = this.intermediateBits(wb, xb, cols) <= FAST_BITS;
      memo.neverOverflows = memo.fast && this.neverOverflowsFor(wb, xb, cols);
    }
    if (!memo.fast) return undefined;
    const neverOverflows = memo.neverOverflows;
    this.runFast(w, rows, cols, x, nz, bias, rng, out, neverOverflows);
    return out;
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

  private readonly proofMemo = { wb: NaN, xb: NaN, cols: NaN, fast: false, neverOverflows: false };

  /** No product register and a sum that can never leave the accumulator: no per-step overflow test. */
  private neverOverflowsFor(wb: number, xb: number, cols: number): boolean {
    const biasBits = this.spec.bias ? magnitudeBits(this.spec.bias) + (this.spec.acc.frac - this.spec.bias.frac) : -Infinity;
    // (an unsigned accumulator also leaves its range below 0 whenever a term or the bias can be negative)
    const { spec } = this;
    const nonNegative = spec.acc.signed || !(spec.weight.signed || spec.input.signed || spec.bias?.signed);
    return !spec.product && nonNegative && sumGrowthBits(cols + 1) + Math.max(wb + xb, biasBits) + 1 <= magnitudeBits(spec.acc);
  }

  private runFast(w: Float64Array, rows: number, cols: number, x: Float64Array, nz: Nonzeros | undefined, bias: Float64Array | undefined, rng: RandomSource | undefined, out: Float64Array, neverOverflows: boolean): void {
    const { spec, counters, accPlan } = this;
    const lo = accPlan.lo;
    const hi = accPlan.hi;
    const biasScale = spec.bias ? 2 ** (spec.acc.frac - spec.bias.frac) : 1;
    const product = spec.product;
    const idx = nz?.idx;
    const nnz = nz ? nz.count : cols;
    let first = 0;
    // the non-zero inputs' values, gathered once (a dataset hands them over already gathered)
    const xv = neverOverflows && idx ? (nz.values ?? gather(x, idx, nnz, this.scratch(cols))) : undefined;
    if (xv && idx && !bias) {
      // blocks of rows: one load of each index and input value serves several accumulators
      for (; first + 7 < rows; first += 8) dot8Rows(w, first * cols, cols, idx, xv, nnz, out, first);
      for (; first + 3 < rows; first += 4) dot4Rows(w, first * cols, cols, idx, xv, nnz, out, first);
      for (; first + 1 < rows; first += 2) dot2Rows(w, first * cols, cols, idx, xv, nnz, out, first);
    }
    for (let o = first; o < rows; o++) {
      let acc = bias ? overflowFast(bias[o] * biasScale, accPlan, counters) : 0;
      const base = o * cols;
      if (xv && idx) {
        // Proven: no partial sum can leave the accumulator or 2^53, so every sum is an exact
        // integer and any association gives the same bits. Four partial sums break the
        // add-latency chain; no per-step overflow test is needed.
        acc += dotGathered(w, base, idx, xv, nnz);
      } else {
        for (let j = 0; j < nnz; j++) {
          const i = idx ? idx[j] : j;
          let p = w[base + i] * x[i];
          if (product) p = castFast(p, this.productIn, this.productPlan!, product.format, product.modes, rng, counters);
          acc += p;
          if (acc > hi || acc < lo) acc = overflowFast(acc, accPlan, counters);
        }
      }
      out[o] = acc;
    }
    counters.values += rows * cols;
  }


  /**
   * Backpropagation through the same weights: out[i] = acc over o of w[o, i] * d[o], o in index
   * order. This unit's `input` format is then the delta's and its fan-in is `rows`.
   */
  runTransposed(w: RawVec, rows: number, cols: number, d: RawVec, rng?: RandomSource, out?: Float64Array): RawVec {
    if (w.length !== rows * cols || d.length !== rows) inputError(`unit '${this.name}': transposed shapes do not match`);
    // the transposed matrix, then the ordinary kernel: one definition of accumulation
    let t: RawVec;
    if (isFastVec(w)) {
      // the unit's own scratch: never returned, so reusing it is safe (large typed arrays are slow to allocate)
      if (this.transposed?.length !== w.length) this.transposed = new Float64Array(w.length);
      t = this.transposed;
    } else t = new Array<bigint>(w.length);
    for (let o = 0; o < rows; o++) for (let i = 0; i < cols; i++) t[i * rows + o] = w[o * cols + i];
    if (out && isFastVec(t) && isFastVec(d) && fastPaths.enabled) {
      const r = this.runProven(t, cols, rows, d, this.skipsZeros ? nonzeros(d) : undefined, observedBits(t), observedBits(d), undefined, rng, out);
      if (r) return r;
    }
    return this.run(t, cols, rows, d, undefined, rng);
  }
  private transposed?: Float64Array;

  /** The unit's own buffer for gathered inputs: never returned, so reusing it is safe. */
  private scratch(n: number): Float64Array {
    if (!this.gathered || this.gathered.length < n) this.gathered = new Float64Array(n);
    return this.gathered;
  }
  private gathered?: Float64Array;

  /** The frac of each accumulated term (and so of the accumulator). */
  get accFrac(): number { return this.termFrac; }
}
