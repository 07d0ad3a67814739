import { addCounters, newCounters, type EventCounters } from '../core/events.ts';
import { makeRandomSource } from '../core/random.ts';
import type { Unit } from '../units/unit.ts';
import { isFastVec } from '../units/vec.ts';
import { fastPaths } from '../core/exact.ts';
import { FusedTrainer, fusedKernel } from './fused/kernel.ts';
import { RUN_CHUNK } from './fused/layout.ts';
import { initWeights } from './init.ts';
import { NumpyRandomState } from './numpy-random.ts';
import type { TrainPlan } from './plan.ts';
import type { SampleSource } from './data.ts';
import { accumulate, applyGradients, argmax, backward, forward, newGradients, trainStep, Workspace, type BackwardTrace, type ForwardTrace, type LayerState } from './step.ts';

export interface TrainOptions {
  /** Called at most every `metrics_every` steps and at the end. */
  onMetrics?: (row: MetricsRow) => void;
  /** Called every step with the number done; keep it cheap. */
  onProgress?: (done: number, runningAccuracy: number) => void;
}

export interface LayerMetrics {
  delta_mean: number;
  delta_var: number;
  zero_delta_fraction: number;
  /** Neurons whose output was zero for every sample of the interval. */
  inactive_neurons: number;
  /** Non-zero delta*x products whose update quantized to zero, in the interval. */
  updates_to_zero: number;
}

export interface MetricsRow {
  step: number;
  running_accuracy: number;
  interval_accuracy: number;
  layers: Record<string, LayerMetrics>;
  /** Cumulative event counters per unit. */
  events: Record<string, EventCounters>;
}

export interface TrainResult {
  steps: number;
  runningAccuracy: number;
  testAccuracy?: number;
  testSamples: number;
  elapsedMs: number;
  usPerSample: number;
  state: LayerState[];
  events: Record<string, EventCounters>;
  lastMetrics?: MetricsRow;
  /** 'fused': the WebAssembly kernel trained it; 'units': the units one by one (backendNote: why). */
  backend: 'fused' | 'units';
  backendNote?: string;
}

/** All units of the plan: forward ones, then training ones, in layer order. */
export function planUnits(plan: TrainPlan): Unit[] {
  const units: Unit[] = [];
  for (const lt of plan.layers) {
    units.push(lt.layer.mac, ...lt.layer.post, lt.delta, lt.update);
    if (lt.biasUpdate) units.push(lt.biasUpdate);
    if (lt.backMac) units.push(lt.backMac, lt.backShift!);
  }
  return units;
}

export function snapshotEvents(plan: TrainPlan): Record<string, EventCounters> {
  return Object.fromEntries(planUnits(plan).map((u) => [u.name, addCounters(newCounters(), u.counters)]));
}

/** Sample order and initial weights, drawn as the study did: permutation first, then weights, one RandomState. */
export function initialState(plan: TrainPlan, trainCount: number): { order: Int32Array; state: LayerState[] } {
  const t = plan.training;
  const rs = new NumpyRandomState(t.seed);
  const order = t.order === 'permutation' ? rs.permutation(trainCount) : Int32Array.from({ length: trainCount }, (_, i) => i);
  const state = plan.datapath.layers.map((layer, li): LayerState => ({
    w: initWeights(rs, t.init, layer.weights, layer.size, layer.fanIn, ['training', 'init']),
    b: layer.bias ? new Float64Array(layer.size) : undefined,
  }));
  return { order, state };
}

/**
 * Online SGD through the datapath (batch 1; batch > 1 sums exact gradients, see train-batch.ts).
 * Every step: forward through the units, deltas for every layer with the pre-update weights,
 * then the updates, layer by layer.
 */
export function train(plan: TrainPlan, data: { train: SampleSource; test?: SampleSource }, opts: TrainOptions = {}, initial = initialState(plan, data.train.count)): TrainResult {
  const t = plan.training;
  const { order, state } = initial;
  const rng = makeRandomSource(plan.datapath.random);
  const window = new Uint8Array(t.window);
  let windowFill = 0;
  let windowHits = 0;
  const nLayers = plan.layers.length;
  // interval accumulators
  let intervalHits = 0;
  let intervalSteps = 0;
  const dSum = new Float64Array(nLayers), dSq = new Float64Array(nLayers), dZero = new Float64Array(nLayers), dCount = new Float64Array(nLayers);
  const active: Uint8Array[] = plan.layers.map((lt) => new Uint8Array(lt.layer.size));
  const deltaScale = plan.layers.map((lt) => 2 ** -lt.deltaFormat.frac);
  const toZeroAtStart = plan.layers.map((lt) => lt.update.counters.toZero);
  let lastMetrics: MetricsRow | undefined;

  // one-layer online SGD runs in the fused kernel when it covers the plan (same bits, same counts)
  const fused = !fastPaths.enabled ? 'the reference path' : !fusedKernel.enabled ? 'runs with the kernel switched off' : FusedTrainer.open(plan, data.train, state, order);
  const kernel = typeof fused === 'string' ? undefined : fused;

  const emit = (step: number) => {
    if (kernel) {
      kernel.takeActive(active[0]);
      kernel.syncCounters();
    }
    const layers: Record<string, LayerMetrics> = {};
    plan.layers.forEach((lt, li) => {
      const n = dCount[li] || 1;
      const mean = dSum[li] / n;
      let inactive = 0;
      for (const a of active[li]) if (!a) inactive++;
      layers[lt.layer.name] = {
        delta_mean: mean,
        delta_var: Math.max(0, dSq[li] / n - mean * mean),
        zero_delta_fraction: dZero[li] / n,
        inactive_neurons: inactive,
        updates_to_zero: lt.update.counters.toZero - toZeroAtStart[li],
      };
      dSum[li] = dSq[li] = dZero[li] = dCount[li] = 0;
      active[li].fill(0);
      toZeroAtStart[li] = lt.update.counters.toZero;
    });
    lastMetrics = {
      step,
      running_accuracy: windowFill ? windowHits / windowFill : 0,
      interval_accuracy: intervalSteps ? intervalHits / intervalSteps : 0,
      layers,
      events: snapshotEvents(plan),
    };
    intervalHits = intervalSteps = 0;
    opts.onMetrics?.(lastMetrics);
  };

  /** Step `step` classified its sample right (1) or not: the running window and the interval. */
  const recordHit = (step: number, hit: number) => {
    const slot = step % t.window;
    if (windowFill === t.window) windowHits -= window[slot];
    else windowFill++;
    window[slot] = hit;
    windowHits += hit;
    intervalHits += hit;
    intervalSteps++;
  };

  const grads = plan.batch > 1 ? newGradients(plan) : undefined;
  const ws = new Workspace(); // the step's buffers: each trace is used before the next step
  const t0 = performance.now();
  if (kernel) {
    // the kernel takes chunks of steps; the window and interval bookkeeping follows per step
    const sums = new Float64Array(3);
    const rows = plan.layers[0].layer.size;
    for (let step = 0; step < plan.steps;) {
      const end = Math.min(plan.steps, step + RUN_CHUNK, (Math.floor(step / t.metrics_every) + 1) * t.metrics_every);
      sums[0] = dSum[0]; sums[1] = dSq[0]; sums[2] = dZero[0];
      const hits = kernel.run(step, end - step, sums);
      dSum[0] = sums[0]; dSq[0] = sums[1]; dZero[0] = sums[2];
      dCount[0] += rows * (end - step);
      for (let i = 0; i < hits.length; i++) recordHit(step + i, hits[i]);
      step = end;
      if (step % t.metrics_every === 0) emit(step);
      opts.onProgress?.(step, windowFill ? windowHits / windowFill : 0);
    }
  }
  for (let step = 0; step < plan.steps && !kernel; step++) {
    const s = order[step % order.length];
    const label = data.train.label(s);
    let fwd: ForwardTrace;
    let bwd: BackwardTrace;
    if (grads) {
      // mini-batch: deltas with the weights as they were at the start of the batch
      fwd = forward(plan, state, data.train.input(s), rng, data.train.nonzeros?.(s), data.train.bits, ws);
      bwd = backward(plan, state, fwd, label, rng, ws);
      accumulate(plan, grads, fwd, bwd);
      if ((step + 1) % plan.batch === 0 || step + 1 === plan.steps) applyGradients(plan, state, grads, rng);
    } else ({ fwd, bwd } = trainStep(plan, state, data.train.input(s), label, rng, data.train.nonzeros?.(s), data.train.bits, undefined, ws));
    recordHit(step, argmax(fwd.outputs[nLayers - 1]) === label ? 1 : 0);
    // statistics (floats: reports, not bits)
    for (let li = 0; li < nLayers; li++) {
      const scale = deltaScale[li];
      const d = bwd.deltas[li];
      let sum = 0, sq = 0, zero = 0;
      if (isFastVec(d)) {
        for (let o = 0; o < d.length; o++) {
          const v = d[o] * scale;
          sum += v; sq += v * v;
          if (v === 0) zero++;
        }
      } else {
        for (let o = 0; o < d.length; o++) {
          const v = Number(d[o]) * scale;
          sum += v; sq += v * v;
          if (v === 0) zero++;
        }
      }
      dSum[li] += sum; dSq[li] += sq; dZero[li] += zero;
      dCount[li] += d.length;
      const out = fwd.outputs[li];
      const act = active[li];
      if (isFastVec(out)) { for (let o = 0; o < out.length; o++) if (out[o] !== 0) act[o] = 1; }
      else for (let o = 0; o < out.length; o++) if (out[o] !== 0n) act[o] = 1;
    }
    if ((step + 1) % t.metrics_every === 0) emit(step + 1);
    opts.onProgress?.(step + 1, windowFill ? windowHits / windowFill : 0);
  }
  const elapsedMs = performance.now() - t0;
  if (plan.steps % t.metrics_every !== 0) emit(plan.steps);
  if (kernel) {
    kernel.syncCounters();
    state[0].w = kernel.weights();
    state[0].wBits = undefined;
  }

  const events = snapshotEvents(plan);
  let testAccuracy: number | undefined;
  let testSamples = 0;
  if (data.test) {
    testSamples = Math.min(data.test.count, t.test_samples ?? Infinity);
    testAccuracy = kernel?.evaluate(data.test, testSamples) ?? evaluate(plan, state, data.test, testSamples);
    kernel?.syncCounters();
  }
  return {
    steps: plan.steps,
    runningAccuracy: windowFill ? windowHits / windowFill : 0,
    testAccuracy,
    testSamples,
    elapsedMs,
    usPerSample: (elapsedMs * 1000) / plan.steps,
    state,
    events,
    lastMetrics,
    backend: kernel ? 'fused' : 'units',
    backendNote: typeof fused === 'string' ? fused : undefined,
  };
}

/** Integer inference through the same units: fraction of the first n samples classified right. */
export function evaluate(plan: TrainPlan, state: LayerState[], samples: SampleSource, n = samples.count): number {
  let hits = 0;
  const rng = makeRandomSource(plan.datapath.random);
  const ws = new Workspace();
  for (let i = 0; i < n; i++) {
    const out = forward(plan, state, samples.input(i), rng, samples.nonzeros?.(i), samples.bits, ws).outputs;
    if (argmax(out[out.length - 1]) === samples.label(i)) hits++;
  }
  return n ? hits / n : 0;
}

