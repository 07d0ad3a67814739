import { dirname } from 'node:path';
import type { LayerPath } from '../config/build.ts';
import { loadConfig, type LoadedConfig, type ResolvedConfig } from '../config/load.ts';
import { inputError } from '../core/errors.ts';
import { referenceOnly } from '../core/exact.ts';
import { makeFormat, maxRaw, minRaw, type Format } from '../core/format.ts';
import { productFormat, shiftFormat } from '../core/growth.ts';
import { makeRandomSource, type RandomSource } from '../core/random.ts';
import { checkClasses } from '../data/classes.ts';
import { loadDataset } from '../data/load.ts';
import type { DatasetSpec } from '../data/spec.ts';
import { sampleSources, type SampleSource } from '../train/data.ts';
import { initWeights } from '../train/init.ts';
import { NumpyRandomState } from '../train/numpy-random.ts';
import type { TrainPlan } from '../train/plan.ts';
import { accumulate, applyGradients, backward, forward, forwardLayer, newGradients, trainStep, type BackwardTrace, type ForwardTrace, type GradState, type LayerState, type UpdateTrace } from '../train/step.ts';
import { initialState } from '../train/trainer.ts';
import { ActivationUnit } from '../units/activation.ts';
import { ShiftUnit } from '../units/shift.ts';
import { SoftmaxUnit } from '../units/softmax.ts';
import type { UpdateSpec } from '../units/update.ts';
import type { RawVec } from '../units/vec.ts';

/**
 * The golden-vector recorder: runs inference samples and training steps through the very
 * functions `fxsim train` runs (forwardLayer, trainStep -> forward / backward / update and the
 * units they call), on the BigInt reference path, and keeps every value they produce as a named
 * tensor. Nothing here computes a datapath value itself: the tensors are the units' own inputs
 * and outputs (ForwardTrace.stages, BackwardTrace, the update values UpdateUnit.applyRef reports).
 *
 * Tensor names (flat, one file pair per tensor; see write.ts and manifest.ts):
 *   init.<layer>.w / init.<layer>.b         initial weights / biases (before any step)
 *   samples, labels                         dataset index and label of every step: the inference
 *                                           samples first (index into the inference split), then
 *                                           the training steps (index into the training split)
 *   <p><nnnn>.rng.before                    random-source state words before the step (only when
 *                                           some rounding is STOCH)
 *   <p><nnnn>.<layer>.<unit>.in / .out      every forward unit's input and output vector
 *   <p><nnnn>.<layer>.<mac>.w / .b          the weights (rows x cols) and bias the MAC used
 *   t<nnnn>.<layer>.train.error/deriv/delta e = target - a (or the backpropagated error), f'(z),
 *                                           delta = cast(e * f'(z))
 *   t<nnnn>.<layer>.backprop.in/out, t<nnnn>.<layer>.backprop_shift.in/out (hidden layers' backprop)
 *   t<nnnn>.<layer>.train.update            q(delta (x) x, shift), rows x cols, before the add
 *   t<nnnn>.<layer>.train.w_after           the weights after the update
 *   t<nnnn>.<layer>.train.b_update / b_after (layers with a bias)
 *   mini-batches (batch > 1): every step (sample) records t<nnnn>.<layer>.train.grad (and b_grad),
 *   the gradient register after the sample's delta (x) x was summed in; update / w_after (and
 *   b_update / b_after) only at the last step of a batch, where update = q(grad, shift)
 * p is `s` (inference sample) or `t` (training step); unit is the unit's name without the
 * `<layer>.` prefix (L0.mac -> mac, L0.shift1 -> shift1, L0.relu -> relu).
 */

export type GoldenPhase = 'init' | 'data' | 's' | 't';

export interface GoldenTensor {
  name: string;
  phase: GoldenPhase;
  step: number | null;
  layer: string | null;
  unit: string | null;
  stage: string;
  shape: number[];
  format: Format;
  values: RawVec;
}

export type GoldenRandom = ResolvedConfig['random'] & { stochastic: boolean; state_words: string[] };

export interface GoldenRecording {
  config: ResolvedConfig;
  mode: 'inference' | 'training' | 'both';
  random: GoldenRandom;
  inference: { split: 'train' | 'test'; count: number };
  training: { split: 'train'; count: number };
  /** How the initial weights were drawn. */
  init: string;
  tensors: GoldenTensor[];
}

export interface RecordOptions {
  config: string;
  sets?: string[];
  /** Inference samples (default 2). */
  samples?: number;
  /** Training steps (default 2; 0 for a config without a training section). */
  steps?: number;
  /** Record on the BigInt reference path (default true); false runs the fast kernels (tests compare both). */
  reference?: boolean;
}

export const DEFAULT_SAMPLES = 2;
export const DEFAULT_STEPS = 2;

/** Format of the dataset index / label tensors and of 32-bit random-state words. */
const U32 = makeFormat(false, 32, 0);

/** `s0003`, `t0012`. */
export const stepName = (phase: 's' | 't', i: number): string => `${phase}${String(i).padStart(4, '0')}`;

/** L0.mac -> mac; a unit named without the layer prefix keeps its name. */
export const unitShortName = (layer: string, unit: string): string => (unit.startsWith(`${layer}.`) ? unit.slice(layer.length + 1) : unit);

/** Does any narrowing step of the datapath (or of its training units) round stochastically? */
export function usesStochastic(layers: readonly LayerPath[], plan?: TrainPlan): boolean {
  for (const l of layers) {
    if (l.mac.spec.product?.modes.rounding === 'STOCH') return true;
    for (const u of l.post) {
      if ((u instanceof ShiftUnit || u instanceof ActivationUnit || u instanceof SoftmaxUnit) && u.spec.modes.rounding === 'STOCH') return true;
    }
  }
  for (const lt of plan?.layers ?? []) {
    if (lt.delta.spec.modes.rounding === 'STOCH' || lt.update.spec.rounding === 'STOCH') return true;
    if (lt.backShift?.spec.modes.rounding === 'STOCH') return true;
    if (lt.backMac?.spec.product?.modes.rounding === 'STOCH') return true;
  }
  return false;
}

/**
 * Weights for a config without a training section: one numpy RandomState seeded 1, per layer
 * np.rint(np.random.uniform(lo, hi, (size, fan_in))) over the whole weight register
 * (lo, hi = its raw minimum and maximum, clipped to +-2^52), so that every bit of the
 * register is exercised.
 */
function inferenceWeights(layers: readonly LayerPath[]): LayerState[] {
  const rs = new NumpyRandomState(1);
  const lim = 2 ** 52;
  return layers.map((layer) => {
    const lo = Math.max(Number(minRaw(layer.weights.format)), -lim);
    const hi = Math.min(Number(maxRaw(layer.weights.format)), lim);
    const init = { dist: 'uniform' as const, mean: 0, std: 0, low: lo, high: hi, units: 'lsb' as const };
    return {
      w: initWeights(rs, init, layer.weights, layer.size, layer.fanIn, ['layers', layer.index, 'weights']),
      b: layer.bias ? new Float64Array(layer.size) : undefined,
    };
  });
}

const copy = (v: RawVec): RawVec => v.slice();

/**
 * The format of the update values u = q(p, shift) that are added to the weight register's raw
 * values: the width of shiftFormat(p's format, shift, rounding), p's format being the gradient
 * register's in a mini-batch, else the product register's when there is one, else the exact
 * delta*x format (growth.ts); signed (one bit more
 * if that format is unsigned); at the frac of the register it is added to, so that
 * w_after = ovf_w(w + u) on raw values and the real value shown is the change of the weight.
 */
export function updateFormat(spec: UpdateSpec, gradient?: Format): Format {
  const f = shiftFormat(gradient ?? spec.product?.format ?? productFormat(spec.delta, spec.input), spec.shift, spec.rounding);
  return makeFormat(true, f.width + (f.signed ? 0 : 1), spec.weights.format.frac);
}

export function recordGolden(opts: RecordOptions): GoldenRecording {
  const loaded: LoadedConfig = loadConfig(opts.config, opts.sets ?? []);
  const dp = loaded.datapath;
  const t = loaded.config.training;
  const samples = opts.samples ?? DEFAULT_SAMPLES;
  if (!Number.isSafeInteger(samples) || samples < 0) inputError(`--samples must be a non-negative integer, got ${samples}`);
  if (!t && opts.steps !== undefined && opts.steps !== 0) {
    inputError(`this config has no training section, so fxsim golden records inference only: use --steps 0 (or add a training section, e.g. --set training.lr_shift=8)`, loaded.path);
  }
  const steps = opts.steps ?? (t ? DEFAULT_STEPS : 0);
  if (!Number.isSafeInteger(steps) || steps < 0) inputError(`--steps must be a non-negative integer, got ${steps}`);
  if (samples === 0 && steps === 0) inputError('nothing to record: --samples and --steps are both 0');
  const spec = loaded.config.dataset as DatasetSpec | undefined;
  if (!spec) inputError('this config has no dataset section: fxsim golden needs inputs (e.g. --set dataset.name=mnist)', loaded.path);
  const plan = loaded.plan;
  const ds = loadDataset(spec, dirname(loaded.path));
  const data = sampleSources(ds, dp.input.format, dp.input.rounding, dp.model.inputs);
  const outputs = dp.layers[dp.layers.length - 1].size;
  if (plan) checkClasses(ds, outputs);
  const inferSplit: 'train' | 'test' = data.test ? 'test' : 'train';
  const inferSource: SampleSource = data.test ?? data.train;
  if (samples > inferSource.count) inputError(`--samples ${samples}: the ${inferSplit} split has only ${inferSource.count} samples`);

  const stochastic = usesStochastic(dp.layers, plan);
  const r = loaded.resolved.random;
  const random: GoldenRandom = {
    ...r,
    stochastic,
    state_words: r.kind === 'lfsr' ? ['state'] : ['s0', 's1', 's2', 's3', 'unread', 'avail'],
  };
  const rngFormat = r.kind === 'lfsr' ? makeFormat(false, r.width, 0) : U32;

  const run = () => {
    const tensors: GoldenTensor[] = [];
    const add = (name: string, phase: GoldenPhase, step: number | null, layer: string | null, unit: string | null, stage: string, shape: number[], format: Format, values: RawVec) => {
      tensors.push({ name, phase, step, layer, unit, stage, shape, format, values: copy(values) });
    };
    let order: Int32Array | undefined;
    let state: LayerState[];
    let init: string;
    if (plan) {
      try {
        ({ order, state } = initialState(plan, data.train.count));
      } catch (e) {
        throw loaded.locate(e);
      }
      init = `training.init (numpy RandomState seed ${plan.training.seed}: sample order first, then the weights)`;
    } else {
      state = inferenceWeights(dp.layers);
      init = 'no training section: numpy RandomState seed 1, np.rint(np.random.uniform(min, max)) over each whole weight register (clipped to +-2^52), layer by layer';
    }
    for (const [li, layer] of dp.layers.entries()) {
      add(`init.${layer.name}.w`, 'init', null, layer.name, null, 'w', [layer.size, layer.fanIn], layer.weights.format, state[li].w);
      if (layer.bias && state[li].b) add(`init.${layer.name}.b`, 'init', null, layer.name, null, 'b', [layer.size], layer.bias.format, state[li].b!);
    }
    const sampleIdx: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < samples; i++) { sampleIdx.push(i); labels.push(inferSource.label(i)); }
    for (let k = 0; k < steps; k++) {
      const s = order![k % order!.length];
      sampleIdx.push(s);
      labels.push(data.train.label(s));
    }
    add('samples', 'data', null, null, null, 'samples', [sampleIdx.length], U32, Float64Array.from(sampleIdx));
    add('labels', 'data', null, null, null, 'labels', [labels.length], U32, Float64Array.from(labels));

    const rngBefore = (p: 's' | 't', i: number, rng: RandomSource) => {
      if (!stochastic) return;
      const words = rng.stateWords();
      add(`${stepName(p, i)}.rng.before`, p, i, null, 'rng', 'before', [words.length], rngFormat, Float64Array.from(words));
    };
    /** The forward pass of one step, from the units' own outputs. */
    const forwardTensors = (p: 's' | 't', i: number, inputs: RawVec[], stages: RawVec[][], used: LayerState[]) => {
      const pre = stepName(p, i);
      for (const [li, layer] of dp.layers.entries()) {
        const mac = unitShortName(layer.name, layer.mac.name);
        const base = `${pre}.${layer.name}`;
        add(`${base}.${mac}.in`, p, i, layer.name, mac, 'in', [layer.fanIn], layer.mac.ports.inputs.x, inputs[li]);
        add(`${base}.${mac}.w`, p, i, layer.name, mac, 'w', [layer.size, layer.fanIn], layer.weights.format, used[li].w);
        if (layer.bias && used[li].b) add(`${base}.${mac}.b`, p, i, layer.name, mac, 'b', [layer.size], layer.bias.format, used[li].b!);
        add(`${base}.${mac}.out`, p, i, layer.name, mac, 'out', [layer.size], layer.mac.ports.output, stages[li][0]);
        layer.post.forEach((u, ui) => {
          const un = unitShortName(layer.name, u.name);
          add(`${base}.${un}.in`, p, i, layer.name, un, 'in', [layer.size], u.ports.inputs.x, stages[li][ui]);
          add(`${base}.${un}.out`, p, i, layer.name, un, 'out', [layer.size], u.ports.output, stages[li][ui + 1]);
        });
      }
    };

    /** A mini-batch step's gradient registers after this sample was summed in (before any update). */
    const gradTensors = (k: number, grads: GradState[]) => {
      for (const [li, layer] of dp.layers.entries()) {
        const lt = plan!.layers[li];
        const base = `${stepName('t', k)}.${layer.name}`;
        add(`${base}.train.grad`, 't', k, layer.name, 'train', 'grad', [layer.size, layer.fanIn], lt.grad!.format, grads[li].g);
        if (lt.biasGrad && grads[li].gb) add(`${base}.train.b_grad`, 't', k, layer.name, 'train', 'b_grad', [layer.size], lt.biasGrad.format, grads[li].gb!);
      }
    };

    // inference samples, with the initial weights, one random source for all of them
    const rngS = makeRandomSource(dp.random);
    for (let i = 0; i < samples; i++) {
      rngBefore('s', i, rngS);
      let v = copy(inferSource.input(i));
      const inputs: RawVec[] = [];
      const stages: RawVec[][] = [];
      for (const [li, layer] of dp.layers.entries()) {
        inputs.push(v);
        const r = forwardLayer(layer, plan?.layers[li], state[li], v, rngS);
        stages.push(r.stages);
        v = r.out;
      }
      forwardTensors('s', i, inputs, stages, state);
    }

    // training steps: a fresh random source, as fxsim train starts one
    const rngT = makeRandomSource(dp.random);
    // mini-batches: every sample's gradient summed, the weights updated at the batch's end
    const grads = plan && plan.batch > 1 ? newGradients(plan) : undefined;
    for (let k = 0; k < steps; k++) {
      const s = order![k % order!.length];
      rngBefore('t', k, rngT);
      const used: LayerState[] = state.map((st) => ({ w: copy(st.w), b: st.b && copy(st.b) }));
      const ut: UpdateTrace = { w: [], b: [] };
      const x = copy(data.train.input(s));
      const label = data.train.label(s);
      let fwd: ForwardTrace, bwd: BackwardTrace;
      let updated = true;
      if (grads) {
        // the order fxsim train runs a mini-batch step in (trainer.ts)
        fwd = forward(plan!, state, x, rngT);
        bwd = backward(plan!, state, fwd, label, rngT);
        accumulate(plan!, grads, fwd, bwd);
        gradTensors(k, grads);
        updated = (k + 1) % plan!.batch === 0 || k + 1 === steps;
        if (updated) applyGradients(plan!, state, grads, rngT, ut);
      } else ({ fwd, bwd } = trainStep(plan!, state, x, label, rngT, undefined, undefined, ut));
      forwardTensors('t', k, fwd.inputs, fwd.stages, used);
      const pre = stepName('t', k);
      for (let li = dp.layers.length - 1; li >= 0; li--) {
        const layer = dp.layers[li];
        const lt = plan!.layers[li];
        const base = `${pre}.${layer.name}`;
        add(`${base}.train.error`, 't', k, layer.name, 'train', 'error', [layer.size], lt.delta.ports.inputs.a, bwd.errors[li]);
        add(`${base}.train.deriv`, 't', k, layer.name, 'train', 'deriv', [layer.size], lt.delta.ports.inputs.b, bwd.derivs[li]);
        add(`${base}.train.delta`, 't', k, layer.name, 'train', 'delta', [layer.size], lt.delta.ports.output, bwd.deltas[li]);
        if (li > 0) {
          const bm = unitShortName(layer.name, lt.backMac!.name);
          const bs = unitShortName(layer.name, lt.backShift!.name);
          add(`${base}.${bm}.in`, 't', k, layer.name, bm, 'in', [layer.size], lt.backMac!.ports.inputs.x, bwd.deltas[li]);
          add(`${base}.${bm}.out`, 't', k, layer.name, bm, 'out', [layer.fanIn], lt.backMac!.ports.output, bwd.backAcc[li]!);
          add(`${base}.${bs}.in`, 't', k, layer.name, bs, 'in', [layer.fanIn], lt.backShift!.ports.inputs.x, bwd.backAcc[li]!);
          add(`${base}.${bs}.out`, 't', k, layer.name, bs, 'out', [layer.fanIn], lt.backShift!.ports.output, bwd.errors[li - 1]);
        }
      }
      for (const [li, layer] of dp.layers.entries()) {
        if (!updated) break;
        const lt = plan!.layers[li];
        const base = `${pre}.${layer.name}`;
        add(`${base}.train.update`, 't', k, layer.name, 'train', 'update', [layer.size, layer.fanIn], updateFormat(lt.update.spec, lt.grad?.format), ut.w[li]);
        add(`${base}.train.w_after`, 't', k, layer.name, 'train', 'w_after', [layer.size, layer.fanIn], layer.weights.format, state[li].w);
        if (lt.biasUpdate && layer.bias && state[li].b) {
          add(`${base}.train.b_update`, 't', k, layer.name, 'train', 'b_update', [layer.size], updateFormat(lt.biasUpdate.spec, lt.biasGrad?.format), ut.b[li]!);
          add(`${base}.train.b_after`, 't', k, layer.name, 'train', 'b_after', [layer.size], layer.bias.format, state[li].b!);
        }
      }
    }
    return { tensors, init };
  };

  const { tensors, init } = opts.reference === false ? run() : referenceOnly(run);
  return {
    config: loaded.resolved,
    mode: samples > 0 && steps > 0 ? 'both' : steps > 0 ? 'training' : 'inference',
    random,
    inference: { split: inferSplit, count: samples },
    training: { split: 'train', count: steps },
    init,
    tensors,
  };
}
