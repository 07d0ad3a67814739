import type { QuantMode } from '../core/modes.ts';
import { inputError } from '../core/errors.ts';
import { FAST_BITS, fastPaths, magnitudeBits, observedBits } from '../core/exact.ts';

const bitsOf = (m: number): number => observedBits([m]);
import { newCounters } from '../core/events.ts';
import { isTrnRndConv, overflowFast, overflowPlan, quantizeFast, roundsUpTrnRndConv, type OverflowPlan } from '../core/fast.ts';
import type { Format } from '../core/format.ts';
import { checkOverflowArgs, overflowRef } from '../core/overflow.ts';
import { quantizeRef } from '../core/quantize.ts';
import type { RandomSource } from '../core/random.ts';
import type { Register } from '../config/build.ts';
import type { Unit, UnitPorts } from './unit.ts';
import { isFastVec, type RawVec } from './vec.ts';
import { nonzeros, type Nonzeros } from './mac.ts';

/**
 * The hot loop when the proof shows no register can overflow: w[o, idx[j]] += q(delta[o] * xv[j], k)
 * for TRN / RND / RND_CONV, counting inexact and to-zero updates and the largest |w| written.
 */
function updateRowsUnchecked(w: Float64Array, rows: number, cols: number, delta: Float64Array, idx: Int32Array, xv: Float64Array, nnz: number, k: number, mode: QuantMode, out: { inexact: number; toZero: number; wmax: number }): void {
  const p2 = 2 ** k;
  const inv = 1 / p2; // exact: a power of two
  const half = p2 / 2;
  const trn = mode === 'TRN';
  // counters without branches: q is mostly 0 or -1 here, so a branch on it mispredicts about
  // half the time (measured: 10 ns per element with such branches, under 6 without)
  let inexact = 0, toZero = 0, vmax = 0, vmin = 0;
  for (let o = 0; o < rows; o++) {
    const d = delta[o];
    if (d === 0) continue;
    const base = o * cols;
    if (trn) {
      for (let j = 0; j < nnz; j++) {
        const prod = d * xv[j];
        const q = Math.floor(prod * inv);
        inexact += +(prod !== q * p2);
        toZero += +(q === 0); // prod is non-zero here: d and xv[j] both are
        const at = base + idx[j];
        const v = w[at] + q;
        w[at] = v;
        // rarely taken, so well predicted, and no loop-carried max chain
        if (v > vmax) vmax = v;
        if (v < vmin) vmin = v;
      }
    } else {
      for (let j = 0; j < nnz; j++) {
        const prod = d * xv[j];
        let q = Math.floor(prod * inv);
        const rem = prod - q * p2;
        inexact += +(rem !== 0);
        if (rem !== 0 && roundsUpTrnRndConv(mode, q, rem, half)) q++;
        toZero += +(q === 0);
        const at = base + idx[j];
        const v = w[at] + q;
        w[at] = v;
        // rarely taken, so well predicted, and no loop-carried max chain
        if (v > vmax) vmax = v;
        if (v < vmin) vmin = v;
      }
    }
  }
  out.inexact = inexact;
  out.toZero = toZero;
  out.wmax = Math.max(vmax, -vmin);
}

export interface UpdateSpec {
  name: string;
  delta: Format;
  input: Format;
  /** The weight register: updated in place, its overflow mode applied on every write. */
  weights: Register;
  /** Right shift applied to each delta*x product: frac(delta) + frac(x) - frac(w) + lr_shift. */
  shift: number;
  rounding: QuantMode;
  /**
   * Optional product register (frac = frac(delta) + frac(x)): each delta*x is overflowed into it
   * before the shift, e.g. int64 WRAP to match numpy, whose int64 product wraps before right_shift.
   */
  product?: Register;
}

/**
 * The SGD weight update, in place: w[o,i] = ovf_w(w[o,i] + q(delta[o] * x[i], shift)),
 * rows o then columns i in index order (the order in which STOCH draws its bits).
 * A zero delta or zero input gives a zero product and quantizes to zero in every
 * deterministic mode, so the fast kernel skips it; STOCH draws for every element.
 */
export class UpdateUnit implements Unit {
  readonly kind = 'update' as const;
  readonly name: string;
  readonly ports: UnitPorts;
  readonly counters = newCounters();
  readonly spec: UpdateSpec;
  private readonly plan: OverflowPlan;

  constructor(spec: UpdateSpec) {
    checkOverflowArgs(spec.weights.format, spec.weights.overflow, spec.weights.nBits, `unit '${spec.name}'`);
    this.spec = spec;
    this.name = spec.name;
    this.ports = { inputs: { delta: spec.delta, x: spec.input, w: spec.weights.format }, output: spec.weights.format };
    this.plan = overflowPlan(spec.weights.format, spec.weights.overflow, spec.weights.nBits);
    if (spec.product) {
      checkOverflowArgs(spec.product.format, spec.product.overflow, spec.product.nBits, `unit '${spec.name}'`);
      this.productPlan = overflowPlan(spec.product.format, spec.product.overflow, spec.product.nBits);
    }
  }
  private readonly productPlan?: OverflowPlan;

  /** The last proof: it depends only on three exponents that change rarely. */
  private readonly proofMemo = { d: NaN, x: NaN, w: NaN, ok: false, noChecks: false };
  private readonly hot = { inexact: 0, toZero: 0, wmax: 0 };

  /**
   * Neither the product register nor the weight register can overflow for these bounds: a
   * signed register wider than the proven magnitude. Then the hot loop needs no range checks.
   */
  private registersCannotOverflow(dBits: number, xBits: number, wBits: number): boolean {
    const { spec } = this;
    const prod = Math.min(magnitudeBits(spec.delta), dBits) + Math.min(magnitudeBits(spec.input), xBits);
    const wb = Math.min(magnitudeBits(spec.weights.format), wBits);
    const uBits = Math.max(prod - spec.shift, 0) + 1;
    const productOk = !spec.product || (spec.product.format.signed && prod < magnitudeBits(spec.product.format));
    // |w + u| <= 2^(max(wb, uBits) + 1) must stay below the signed register's 2^(W-1) - 1
    const weightOk = spec.weights.format.signed && Math.max(wb, uBits) + 2 <= magnitudeBits(spec.weights.format);
    return productOk && weightOk;
  }

  /** Does |delta| <= 2^dBits, |x| <= 2^xBits, |w| <= 2^wBits prove every intermediate exact? */
  private proven(dBits: number, xBits: number, wBits: number): boolean {
    const { spec } = this;
    const prod = Math.min(magnitudeBits(spec.delta), dBits) + Math.min(magnitudeBits(spec.input), xBits);
    const wb = Math.min(magnitudeBits(spec.weights.format), wBits);
    // |q(p, k)| <= 2^(prod - k) + 1 for either sign of k; w + u must stay exact too
    const uBits = Math.max(prod - spec.shift, 0) + 1;
    return Math.abs(spec.shift) <= 1000 && prod <= FAST_BITS && uBits <= FAST_BITS && Math.max(wb, uBits) + 1 <= FAST_BITS;
  }

  /** Apply one update to `w` (rows x cols, row-major) in place. Returns w (converted to bigint[] on the reference path). */
  apply(w: RawVec, rows: number, cols: number, delta: RawVec, x: RawVec, rng?: RandomSource, trace?: bigint[]): RawVec {
    if (w.length !== rows * cols || delta.length !== rows || x.length !== cols) inputError(`unit '${this.name}': shape mismatch`);
    // a trace is recorded by the reference path only
    if (!trace && isFastVec(w) && isFastVec(delta) && isFastVec(x)) {
      const nz = this.spec.rounding === 'STOCH' ? undefined : nonzeros(x);
      if (this.applyProven(w, rows, cols, delta, x, nz, observedBits(w), observedBits(x), rng) !== undefined) return w;
    }
    const wb = isFastVec(w) ? Array.from(w, (v) => BigInt(v)) : w;
    this.applyRef(wb, rows, cols, isFastVec(delta) ? Array.from(delta, (v) => BigInt(v)) : delta, isFastVec(x) ? Array.from(x, (v) => BigInt(v)) : x, rng, trace);
    return wb;
  }

  /**
   * The fast kernel, for callers holding bounds |w| <= 2^wBits and |x| <= 2^xBits (delta is
   * scanned: it is one value per row) and, unless rounding is STOCH, the non-zero positions
   * of x. Returns a bound on the updated weights' magnitude exponent, to pass back next time,
   * or undefined (w untouched) when the bounds do not prove the float64 arithmetic exact.
   */
  applyProven(w: Float64Array, rows: number, cols: number, delta: Float64Array, x: Float64Array, nz: Nonzeros | undefined, wBits: number, xBits: number, rng?: RandomSource): number | undefined {
    if (!fastPaths.enabled) return undefined;
    const dBits = observedBits(delta);
    const memo = this.proofMemo;
    if (memo.d !== dBits || memo.x !== xBits || memo.w !== wBits) {
      memo.d = dBits; memo.x = xBits; memo.w = wBits;
      memo.ok = this.proven(dBits, xBits, wBits);
      memo.noChecks = memo.ok && this.registersCannotOverflow(dBits, xBits, wBits);
    }
    if (!memo.ok) return undefined;
    const { spec, counters, plan } = this;
    const k = spec.shift;
    const mode = spec.rounding;
    const lo = plan.lo;
    const hi = plan.hi;
    let wmax = 0; // largest |w| written
    if (mode === 'STOCH' || !nz || k <= 0 || k > 53 || !isTrnRndConv(mode)) {
      // general modes: element by element through the scalar kernels, rows then columns
      const pp = this.productPlan;
      const skip = mode !== 'STOCH' && nz;
      for (let o = 0; o < rows; o++) {
        const d = delta[o];
        if (skip && d === 0) continue;
        const base = o * cols;
        const n = skip ? nz.count : cols;
        for (let j = 0; j < n; j++) {
          const i = skip ? nz.idx[j] : j;
          const p = pp ? overflowFast(d * x[i], pp, counters) : d * x[i];
          let v = w[base + i] + quantizeFast(p, k, mode, rng, counters);
          if (v < lo || v > hi) v = overflowFast(v, plan, counters);
          w[base + i] = v;
          const a = v < 0 ? -v : v;
          if (a > wmax) wmax = a;
        }
      }
    } else {
      // TRN / RND / RND_CONV with a right shift, zero products skipped: the hot loop of training
      if (this.proofMemo.noChecks && nz.values) {
        const h = this.hot;
        updateRowsUnchecked(w, rows, cols, delta, nz.idx, nz.values, nz.count, k, mode, h);
        counters.inexact += h.inexact;
        counters.toZero += h.toZero;
        counters.values += rows * cols;
        return Math.max(wBits, bitsOf(h.wmax));
      }
      const pp = this.productPlan;
      const p2 = 2 ** k;
      const inv = 1 / p2; // exact: a power of two
      const half = p2 / 2;
      const idx = nz.idx;
      const nnz = nz.count;
      const xv = nz.values;
      let inexact = 0;
      let toZero = 0;
      for (let o = 0; o < rows; o++) {
        const d = delta[o];
        if (d === 0) continue;
        const base = o * cols;
        for (let j = 0; j < nnz; j++) {
          const i = idx[j];
          const xi = xv ? xv[j] : x[i];
          const prod = pp ? overflowFast(d * xi, pp, counters) : d * xi;
          let q = Math.floor(prod * inv);
          const rem = prod - q * p2;
          if (rem !== 0) {
            inexact++;
            if (roundsUpTrnRndConv(mode, q, rem, half)) q++;
          }
          if (q === 0 && prod !== 0) toZero++;
          let v = w[base + i] + q;
          if (v < lo || v > hi) v = overflowFast(v, plan, counters);
          w[base + i] = v;
          const a = v < 0 ? -v : v;
          if (a > wmax) wmax = a;
        }
      }
      counters.inexact += inexact;
      counters.toZero += toZero;
    }
    counters.values += rows * cols;
    return Math.max(wBits, bitsOf(wmax));
  }

  /**
   * Mini-batch, first half: g[o,i] = ovf_g(g[o,i] + delta[o] * x[i]), the exact product summed
   * into the gradient accumulator register `grad` (frac = frac(delta) + frac(x)).
   */
  accumulate(g: RawVec, grad: Register, rows: number, cols: number, delta: RawVec, x: RawVec): RawVec {
    const { counters } = this;
    if (fastPaths.enabled && isFastVec(g) && isFastVec(delta) && isFastVec(x)) {
      const prod = Math.min(magnitudeBits(this.spec.delta), observedBits(delta)) + Math.min(magnitudeBits(this.spec.input), observedBits(x));
      const acc = Math.min(magnitudeBits(grad.format), observedBits(g));
      if (prod <= FAST_BITS && Math.max(prod, acc) + 1 <= FAST_BITS) {
        const plan = overflowPlan(grad.format, grad.overflow, grad.nBits);
        for (let o = 0; o < rows; o++) {
          const d = delta[o];
          if (d === 0) continue;
          for (let i = 0; i < cols; i++) {
            const v = g[o * cols + i] + d * x[i];
            g[o * cols + i] = v >= plan.lo && v <= plan.hi ? v : overflowFast(v, plan, counters);
          }
        }
        return g;
      }
    }
    const gb = isFastVec(g) ? Array.from(g, (v) => BigInt(v)) : g;
    const db = isFastVec(delta) ? Array.from(delta, (v) => BigInt(v)) : delta;
    const xb = isFastVec(x) ? Array.from(x, (v) => BigInt(v)) : x;
    for (let o = 0; o < rows; o++) for (let i = 0; i < cols; i++) {
      gb[o * cols + i] = overflowRef(gb[o * cols + i] + db[o] * xb[i], grad.format, grad.overflow, grad.nBits, counters);
    }
    return gb;
  }

  /**
   * Mini-batch, second half: w = ovf_w(w + q(g, shift)) element by element in row-major order
   * (the shift includes log2(batch): the mean), then g is cleared. Returns w (bigint[] on the
   * reference path). `trace`, when given, receives every q(g, shift) before it is added (golden
   * vectors); the reference path then records it.
   */
  applyGradient(w: RawVec, g: RawVec, rows: number, cols: number, rng?: RandomSource, trace?: bigint[]): RawVec {
    const { spec, counters } = this;
    const wf = spec.weights;
    counters.values += rows * cols;
    if (!trace && fastPaths.enabled && isFastVec(w) && isFastVec(g)) {
      const uBits = Math.max(observedBits(g) - spec.shift, 0) + 1;
      if (Math.abs(spec.shift) <= 1000 && observedBits(g) - Math.min(spec.shift, 0) <= FAST_BITS && Math.max(observedBits(w), uBits) + 1 <= FAST_BITS) {
        for (let j = 0; j < w.length; j++) {
          const v = w[j] + quantizeFast(g[j], spec.shift, spec.rounding, rng, counters);
          w[j] = v >= this.plan.lo && v <= this.plan.hi ? v : overflowFast(v, this.plan, counters);
          g[j] = 0;
        }
        return w;
      }
    }
    const wb = isFastVec(w) ? Array.from(w, (v) => BigInt(v)) : w;
    const gb = isFastVec(g) ? Array.from(g, (v) => BigInt(v)) : g;
    for (let j = 0; j < wb.length; j++) {
      const u = quantizeRef(gb[j], spec.shift, spec.rounding, rng, counters);
      if (trace) trace.push(u);
      wb[j] = overflowRef(wb[j] + u, wf.format, wf.overflow, wf.nBits, counters);
      g[j] = isFastVec(g) ? 0 : 0n;
    }
    return wb;
  }

  /**
   * The living definition. `trace`, when given, receives every update value q(delta*x, shift)
   * (rows x cols, row-major, before it is added to w): golden vectors record them (src/golden).
   */
  applyRef(w: bigint[], rows: number, cols: number, delta: bigint[], x: bigint[], rng?: RandomSource, trace?: bigint[]): void {
    const { spec, counters } = this;
    const wf = spec.weights;
    for (let o = 0; o < rows; o++) {
      for (let i = 0; i < cols; i++) {
        let p = delta[o] * x[i];
        if (spec.product) p = overflowRef(p, spec.product.format, spec.product.overflow, spec.product.nBits, counters);
        const u = quantizeRef(p, spec.shift, spec.rounding, rng, counters);
        if (trace) trace.push(u);
        w[o * cols + i] = overflowRef(w[o * cols + i] + u, wf.format, wf.overflow, wf.nBits, counters);
      }
    }
    counters.values += rows * cols;
  }


}
