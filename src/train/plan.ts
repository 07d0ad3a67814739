import type { CastModes } from '../core/cast.ts';
import { configError } from '../core/errors.ts';
import { makeFormat, maxRaw, minRaw, type Format } from '../core/format.ts';
import { located, type Datapath, type LayerPath, type Register } from '../config/build.ts';
import type { TrainingConfig } from '../config/schema.ts';
import type { FormatSpec } from '../core/parse-format.ts';
import type { OverflowMode, QuantMode } from '../core/modes.ts';
import { ActivationUnit } from '../units/activation.ts';
import { MacArray } from '../units/mac.ts';
import { MulUnit } from '../units/mul.ts';
import { ShiftUnit } from '../units/shift.ts';
import { SoftmaxUnit } from '../units/softmax.ts';
import { UpdateUnit } from '../units/update.ts';

/** What training adds to one layer of the datapath: its delta, update and (for hidden layers) backprop units. */
export interface LayerTraining {
  layer: LayerPath;
  /** The activation whose derivative scales the delta (none: f' = 1). */
  activation?: ActivationUnit;
  /** Index in layer.post of the activation (its input is the pre-activation z). */
  activationAt: number;
  /** delta = cast(e * f'(z)) into the delta register. */
  delta: MulUnit;
  deltaFormat: Format;
  update: UpdateUnit;
  biasUpdate?: UpdateUnit;
  /** Backprop of this layer's delta to the previous layer: W^T delta, then shift to the delta frac. */
  backMac?: MacArray;
  backShift?: ShiftUnit;
  /** Gradient accumulator registers for batch > 1 (frac = frac(delta) + frac(x)). */
  grad?: Register;
  biasGrad?: Register;
}

export interface TrainPlan {
  datapath: Datapath;
  layers: LayerTraining[];
  lrShift: number;
  /** Raw one-hot target in the output format. */
  targetRaw: number;
  errorFormat: Format;
  steps: number;
  batch: number;
  training: TrainingConfig;
  /**
   * mse: delta = cast((target - a) * f'(z)). softmax_ce (a softmax output unit): the gradient of
   * cross-entropy through the softmax is target - p, so the softmax contributes no f' and the
   * output delta is cast((target - p) * 1) (times f' of an activation before the softmax, if any).
   */
  loss: 'mse' | 'softmax_ce';
}

const ONE = makeFormat(false, 1, 0); // f' = 1 for a layer without activation

/** Build the training units. Errors carry config key paths (the loader maps them to line:col). */
export function buildTrainPlan(dp: Datapath, t: TrainingConfig): TrainPlan {
  const d = dp.defaults;
  const last = dp.layers[dp.layers.length - 1];
  const loss = t.loss ?? 'mse';
  const softmaxOut = last.post[last.post.length - 1] instanceof SoftmaxUnit;
  if (loss === 'softmax_ce' && !softmaxOut) configError('loss softmax_ce needs a softmax unit as the last unit of the last layer', ['training', 'loss']);
  if (loss !== 'softmax_ce' && softmaxOut) configError('softmax output trains with loss: softmax_ce', ['training', 'loss']);
  const target = t.target ?? 1;
  const targetScaled = target * 2 ** last.output.frac;
  if (!Number.isInteger(targetScaled)) configError(`the target ${target} is not a multiple of the output LSB 2^${-last.output.frac}`, ['training', 'target']);
  const deltaModes = (keys?: { rounding?: QuantMode; overflow?: OverflowMode; n_bits?: number; format?: FormatSpec }): CastModes => ({
    rounding: keys?.rounding ?? keys?.format?.rounding ?? d.rounding,
    overflow: keys?.overflow ?? keys?.format?.overflow ?? d.overflow,
    nBits: keys?.n_bits ?? keys?.format?.nBits ?? d.nBits,
  });
  const layers = dp.layers.map((layer, li): LayerTraining => {
    // a softmax is not an ActivationUnit: under softmax_ce it has no f' (deriv ONE below)
    const activationAt = layer.post.findIndex((u) => u instanceof ActivationUnit);
    const activation = activationAt >= 0 ? (layer.post[activationAt] as ActivationUnit) : undefined;
    const deriv = activation?.kernel.derivFormat ?? ONE;
    const out = layer.output;
    // e = target - a: exact, one bit wider than the output register
    const eFormat = makeFormat(true, out.width + 1, out.frac);
    const deltaFormat = t.delta?.format?.format ?? makeFormat(true, out.width + 1, out.frac);
    const delta = located(['training', 'delta'], () => new MulUnit({ name: `${layer.name}.delta`, a: eFormat, b: deriv, output: deltaFormat, modes: deltaModes(t.delta) }));
    const xFormat = layer.input;
    const w = layer.weights;
    const shift = deltaFormat.frac + xFormat.frac - w.format.frac + t.lr_shift + Math.log2(t.batch);
    const rounding = t.update?.rounding ?? d.rounding;
    const pr = t.update?.product;
    const product = pr && { format: makeFormat(true, pr.width, deltaFormat.frac + xFormat.frac), overflow: pr.overflow ?? d.overflow, nBits: pr.n_bits ?? 0 };
    const update = located(['training', 'update'], () => new UpdateUnit({ name: `${layer.name}.update`, delta: deltaFormat, input: xFormat, weights: w, shift, rounding, product }));
    const biasUpdate = layer.bias && new UpdateUnit({
      name: `${layer.name}.bias_update`, delta: deltaFormat, input: ONE, weights: layer.bias,
      shift: deltaFormat.frac - layer.bias.format.frac + t.lr_shift + Math.log2(t.batch), rounding,
    });
    let backMac: MacArray | undefined;
    let backShift: ShiftUnit | undefined;
    if (li > 0) {
      const b = t.backward;
      const acc = b?.acc?.format ?? makeFormat(true, 64, w.format.frac + deltaFormat.frac);
      const bm = deltaModes(b);
      backMac = located(['training', 'backward'], () => new MacArray({ name: `${layer.name}.backprop`, input: deltaFormat, weight: w.format, acc, accOverflow: b?.overflow ?? b?.acc?.overflow ?? 'WRAP', accNBits: b?.n_bits ?? 0 }));
      // back to the previous layer's error frac: that of its delta register, one bit wider than its output
      const prevOut = dp.layers[li - 1].output;
      const prevE = makeFormat(true, prevOut.width + 1, prevOut.frac);
      backShift = located(['training', 'backward'], () => new ShiftUnit({ name: `${layer.name}.backprop_shift`, input: acc, shift: acc.frac - prevE.frac, output: prevE, modes: { rounding: bm.rounding, overflow: bm.overflow, nBits: bm.nBits } }));
    }
    const g = t.grad_acc;
    const gradReg = (frac: number): Register => ({ format: makeFormat(true, g?.width ?? 64, frac), overflow: g?.overflow ?? 'WRAP', nBits: 0 });
    const grad = t.batch > 1 ? gradReg(deltaFormat.frac + xFormat.frac) : undefined;
    const biasGrad = t.batch > 1 && layer.bias ? gradReg(deltaFormat.frac) : undefined;
    return { layer, activation, activationAt, delta, deltaFormat, update, biasUpdate, backMac, backShift, grad, biasGrad };
  });
  const errorFormat = makeFormat(true, last.output.width + 1, last.output.frac);
  if (BigInt(targetScaled) > maxRaw(last.output) || BigInt(targetScaled) < minRaw(last.output)) {
    configError(`the target ${target} does not fit the output format`, ['training', 'target']);
  }
  return { datapath: dp, layers, lrShift: t.lr_shift, targetRaw: targetScaled, errorFormat, steps: t.steps, batch: t.batch, training: t, loss };
}
