import type { RandomSource } from '../core/random.ts';
import type { LayerPath } from '../config/build.ts';
import { observedBits } from '../core/exact.ts';
import { nonzeros, type Nonzeros } from '../units/mac.ts';
import { isFastVec, tryFastVec, type RawVec } from '../units/vec.ts';
import type { LayerTraining, TrainPlan } from './plan.ts';

/** The trainable state: weights (row-major size x fanIn) and optional biases per layer. */
export interface LayerState {
  w: RawVec;
  b?: RawVec;
  /** A proven bound |w| <= 2^wBits, kept by the update kernel; undefined: scan when needed. */
  wBits?: number;
}

/**
 * Output buffers reused from step to step. A typed array over 64 bytes costs hundreds of
 * nanoseconds to allocate in V8, as much as the unit's work on a small vector, so a training
 * loop passes one workspace and its traces hold these buffers: valid until the next step that
 * uses the same workspace (copy what you keep). Without a workspace every call allocates.
 */
export class Workspace {
  private readonly f64: Float64Array[][] = [];
  private readonly i32: Int32Array[][] = [];

  /** Buffer `slot` of layer `li`, of length n. */
  f(li: number, slot: number, n: number): Float64Array {
    const row = (this.f64[li] ??= []);
    let b = row[slot];
    if (!b || b.length !== n) b = row[slot] = new Float64Array(n);
    return b;
  }

  i(li: number, slot: number, n: number): Int32Array {
    const row = (this.i32[li] ??= []);
    let b = row[slot];
    if (!b || b.length !== n) b = row[slot] = new Int32Array(n);
    return b;
  }
}

// Workspace slots per layer (forward units use 0..SLOT_POST+units)
const SLOT_MAC = 0, SLOT_ERR = 1, SLOT_DERIV = 2, SLOT_DELTA = 3, SLOT_BACK = 4, SLOT_ONES = 5, SLOT_POST = 8;

/** Everything one forward pass produced, per layer: the layer input, the pre-activation z, the output. */
export interface ForwardTrace {
  inputs: RawVec[];
  /** Input of the activation unit (the value f' is evaluated at); the last post-unit input when none. */
  pre: RawVec[];
  outputs: RawVec[];
  /** Per layer, every unit's output in order: [mac, ...post]. */
  stages: RawVec[][];
  /** Per layer input: its non-zero positions and magnitude bound (fast path only). */
  inputNz: (Nonzeros | undefined)[];
  inputBits: number[];
}

/** Forward through one layer's units. */
export function forwardLayer(layer: LayerPath, lt: LayerTraining | undefined, st: LayerState, x: RawVec, rng?: RandomSource, xNz?: Nonzeros, xBits?: number, ws?: Workspace): { out: RawVec; pre: RawVec; stages: RawVec[] } {
  const li = layer.index;
  const { w, b } = st;
  let v: RawVec | undefined;
  if (isFastVec(w) && isFastVec(x) && (!b || isFastVec(b))) {
    st.wBits ??= observedBits(w);
    v = layer.mac.runProven(w, layer.size, layer.fanIn, x, layer.mac.skipsZeros ? (xNz ?? nonzeros(x)) : undefined, st.wBits, xBits ?? observedBits(x), b, rng, ws?.f(li, SLOT_MAC, layer.size));
  }
  v ??= layer.mac.run(w, layer.size, layer.fanIn, x, b, rng);
  const stages = [v];
  let pre = v;
  const at = lt?.activationAt ?? -1;
  for (let u = 0; u < layer.post.length; u++) {
    if (u === at) pre = v;
    v = layer.post[u].run(v, rng, ws?.f(li, SLOT_POST + u, v.length));
    stages.push(v);
  }
  if (at < 0) pre = v;
  return { out: v, pre, stages };
}

/**
 * Forward through every layer. `xNz` / `xBits` may give the input's non-zero positions and a
 * bound |x| <= 2^xBits when the caller knows them (a dataset precomputes both).
 */
export function forward(plan: TrainPlan, state: LayerState[], x: RawVec, rng?: RandomSource, xNz?: Nonzeros, xBits?: number, ws?: Workspace): ForwardTrace {
  const trace: ForwardTrace = { inputs: [], pre: [], outputs: [], stages: [], inputNz: [], inputBits: [] };
  let v = x;
  plan.datapath.layers.forEach((layer, li) => {
    trace.inputs.push(v);
    const fv = isFastVec(v) ? v : undefined;
    const nz = fv ? (li === 0 && xNz ? xNz : nonzeros(fv, ws?.i(li, 0, fv.length))) : undefined;
    const bits = fv ? (li === 0 && xBits !== undefined ? xBits : observedBits(fv)) : Infinity;
    trace.inputNz.push(nz);
    trace.inputBits.push(bits);
    const r = forwardLayer(layer, plan.layers[li], state[li], v, rng, nz, bits, ws);
    trace.pre.push(r.pre);
    trace.outputs.push(r.out);
    trace.stages.push(r.stages);
    v = r.out;
  });
  return trace;
}

/** Index of the first maximum (numpy argmax). */
export function argmax(v: RawVec): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/** e = target - a for a one-hot target: exact. */
export function outputError(a: RawVec, label: number, targetRaw: number, into?: Float64Array): RawVec {
  if (isFastVec(a)) {
    const e = into ?? new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) e[i] = (i === label ? targetRaw : 0) - a[i];
    return e;
  }
  const t = BigInt(targetRaw);
  return a.map((v, i) => (i === label ? t : 0n) - v);
}

export interface BackwardTrace {
  /** e per layer (the error before the derivative), deltas per layer. */
  errors: RawVec[];
  deltas: RawVec[];
  derivs: RawVec[];
  /** Per layer li > 0: the backprop accumulator W_li^T delta_li, before its shift into errors[li - 1]. */
  backAcc: (RawVec | undefined)[];
}

/**
 * Deltas for every layer, from the output back, all with the weights as they were in the
 * forward pass (updates come after): delta_L = cast(e * f'(z_L)); e_{l-1} = shift(W_l^T delta_l).
 */
export function backward(plan: TrainPlan, state: LayerState[], fwd: ForwardTrace, label: number, rng?: RandomSource, ws?: Workspace): BackwardTrace {
  const n = plan.layers.length;
  const errors: RawVec[] = new Array(n);
  const deltas: RawVec[] = new Array(n);
  const derivs: RawVec[] = new Array(n);
  const backAcc: (RawVec | undefined)[] = new Array(n).fill(undefined);
  let e = outputError(fwd.outputs[n - 1], label, plan.targetRaw, ws?.f(n - 1, SLOT_ERR, fwd.outputs[n - 1].length));
  for (let li = n - 1; li >= 0; li--) {
    const lt = plan.layers[li];
    const z = fwd.pre[li];
    const d = lt.activation ? lt.activation.derivative(z, ws?.f(li, SLOT_DERIV, z.length)) : isFastVec(z) ? (ws?.f(li, SLOT_ONES, z.length) ?? new Float64Array(z.length)).fill(1) : z.map(() => 1n);
    errors[li] = e;
    derivs[li] = d;
    deltas[li] = lt.delta.run(e, d, rng, ws?.f(li, SLOT_DELTA, e.length));
    if (li > 0) {
      const layer = lt.layer;
      const acc = lt.backMac!.runTransposed(state[li].w, layer.size, layer.fanIn, deltas[li], rng, ws?.f(li, SLOT_BACK, layer.fanIn));
      backAcc[li] = acc;
      e = lt.backShift!.run(acc, rng, ws?.f(li - 1, SLOT_ERR, layer.fanIn));
    }
  }
  return { errors, deltas, derivs, backAcc };
}

/**
 * Per layer, the update values q(delta (x) x, shift) before they are added to the weights (and
 * to the bias), row-major: filled by `update` when given. Recording takes the reference path.
 */
export interface UpdateTrace {
  w: bigint[][];
  b: (bigint[] | undefined)[];
}

/** Apply every layer's update in place (layer order, then rows, then columns). */
export function update(plan: TrainPlan, state: LayerState[], fwd: ForwardTrace, bwd: BackwardTrace, rng?: RandomSource, trace?: UpdateTrace): void {
  plan.layers.forEach((lt, li) => {
    const layer = lt.layer;
    const st = state[li];
    const x = fwd.inputs[li];
    const d = bwd.deltas[li];
    let bound: number | undefined;
    const wTrace = trace ? (trace.w[li] = []) : undefined;
    if (!trace && isFastVec(st.w) && isFastVec(x) && isFastVec(d)) {
      st.wBits ??= observedBits(st.w);
      bound = lt.update.applyProven(st.w, layer.size, layer.fanIn, d, x, lt.update.spec.rounding === 'STOCH' ? undefined : fwd.inputNz[li], st.wBits, fwd.inputBits[li], rng);
    }
    if (bound === undefined) {
      const w = lt.update.apply(st.w, layer.size, layer.fanIn, d, x, rng, wTrace);
      // back to numbers as soon as the values allow, so the fast kernels can take over again
      st.w = tryFastVec(w) ?? w;
      st.wBits = undefined;
    } else st.wBits = bound;
    if (lt.biasUpdate && state[li].b) {
      const ones = isFastVec(bwd.deltas[li]) ? new Float64Array(1).fill(1) : [1n];
      const bTrace = trace ? (trace.b[li] = []) : undefined;
      state[li].b = lt.biasUpdate.apply(state[li].b!, layer.size, 1, bwd.deltas[li], ones, rng, bTrace);
    }
  });
}

/** Gradient accumulators of a mini-batch, per layer (weights and bias), zero at the start of a batch. */
export interface GradState {
  g: RawVec;
  gb?: RawVec;
}

export function newGradients(plan: TrainPlan): GradState[] {
  return plan.layers.map((lt) => ({ g: new Float64Array(lt.layer.size * lt.layer.fanIn), gb: lt.biasGrad ? new Float64Array(lt.layer.size) : undefined }));
}

/** Mini-batch: add this sample's delta (x) x to every layer's gradient register. */
export function accumulate(plan: TrainPlan, grads: GradState[], fwd: ForwardTrace, bwd: BackwardTrace): void {
  plan.layers.forEach((lt, li) => {
    const layer = lt.layer;
    grads[li].g = lt.update.accumulate(grads[li].g, lt.grad!, layer.size, layer.fanIn, bwd.deltas[li], fwd.inputs[li]);
    if (lt.biasUpdate && lt.biasGrad && grads[li].gb) {
      const ones = isFastVec(bwd.deltas[li]) ? new Float64Array(1).fill(1) : [1n];
      grads[li].gb = lt.biasUpdate.accumulate(grads[li].gb!, lt.biasGrad, layer.size, 1, bwd.deltas[li], ones);
    }
  });
}

/**
 * Mini-batch end: w = ovf_w(w + q(g, shift + log2 batch)) for every layer, gradients cleared.
 * `trace`, when given, receives the values q(g, ...) (golden vectors).
 */
export function applyGradients(plan: TrainPlan, state: LayerState[], grads: GradState[], rng?: RandomSource, trace?: UpdateTrace): void {
  plan.layers.forEach((lt, li) => {
    const layer = lt.layer;
    const st = state[li];
    const w = lt.update.applyGradient(st.w, grads[li].g, layer.size, layer.fanIn, rng, trace ? (trace.w[li] = []) : undefined);
    st.w = tryFastVec(w) ?? w;
    st.wBits = undefined;
    if (lt.biasUpdate && st.b && grads[li].gb) {
      const b = lt.biasUpdate.applyGradient(st.b, grads[li].gb!, layer.size, 1, rng, trace ? (trace.b[li] = []) : undefined);
      st.b = tryFastVec(b) ?? b;
    }
    grads[li].g = tryFastVec(grads[li].g) ?? grads[li].g;
    if (grads[li].gb) grads[li].gb = tryFastVec(grads[li].gb!) ?? grads[li].gb;
  });
}

/**
 * One online SGD step through the datapath's units. Returns the forward trace (for metrics).
 * `updateTrace`, when given, receives the update values (golden vectors, src/golden).
 */
export function trainStep(plan: TrainPlan, state: LayerState[], x: RawVec, label: number, rng?: RandomSource, xNz?: Nonzeros, xBits?: number, updateTrace?: UpdateTrace, ws?: Workspace): { fwd: ForwardTrace; bwd: BackwardTrace } {
  const fwd = forward(plan, state, x, rng, xNz, xBits, ws);
  const bwd = backward(plan, state, fwd, label, rng, ws);
  update(plan, state, fwd, bwd, rng, updateTrace);
  return { fwd, bwd };
}
