/**
 * The proof that fxsim trains bit-exactly as the study's numpy loop (notebook cell In [384]):
 *
 * (a) configs/study/mnist-f20-lr10.yaml, initialState(plan, 60000) (sample order and initial
 *     weights), then STEPS steps of trainStep on the MNIST training images; numpy runs the
 *     notebook's loop literally (fixtures/study_loop.py) from the same weights, order and IDX
 *     pixels. After every step: the input x, z1 = (w @ x) >> 20, a1 = relu(z1), delta, the
 *     classification, the running accuracy and all 7840 weights must be equal.
 * (b) numpy's RandomState: np.random.seed(S); permutation(60000); rint(normal(0, 500, (10, 784)))
 *     against initialState with training.seed = S.
 * (c) the overflow regime: a huge learning rate (lr_shift < 0), weights beyond 2^53 (fxsim's
 *     BigInt path) and int64 wrapping in numpy, still equal step by step.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { makeFormat } from '../../src/core/format.ts';
import { loadMnist, mnistDataDir } from '../../src/data/mnist.ts';
import { encodeNpy } from '../../src/io/npy.ts';
import { buildTrainPlan, type TrainPlan } from '../../src/train/plan.ts';
import { sampleSources, type SampleSource } from '../../src/train/data.ts';
import { argmax, trainStep, type LayerState } from '../../src/train/step.ts';
import { initialState, train } from '../../src/train/trainer.ts';
import { isFastVec, type RawVec } from '../../src/units/vec.ts';
import { needNumpy, readFloat64Npy, readInt64Npy, runFixture } from './numpy-python.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CONFIG = join(ROOT, 'configs/study/mnist-f20-lr10.yaml');
const STEPS = 300;
const TRAIN = 60000;
const FRACTION = 20; // the notebook's `fraction`
const OUT = 10;
const IN = 784;
const SAFE = 2n ** 53n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const INT64 = makeFormat(true, 64, 0);

const tmp = mkdtempSync(join(tmpdir(), 'fxsim-study-numpy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function studyPlan(sets: string[] = []): TrainPlan {
  const { config, datapath } = loadConfig(CONFIG, sets);
  if (!config.training) throw new Error(`${CONFIG} has no training section`);
  return buildTrainPlan(datapath, config.training);
}

const samplesByFormat = new Map<string, SampleSource>();

/**
 * The 60000 MNIST training images through the plan's input quantization, as `fxsim train` gets
 * them (built once per input format and rounding; every plan here has the study's).
 */
function mnistSamples(plan: TrainPlan): SampleSource {
  const { format, rounding } = plan.datapath.input;
  const key = `${JSON.stringify(format)} ${rounding}`;
  let samples = samplesByFormat.get(key);
  if (!samples) {
    samples = sampleSources(loadMnist(), format, rounding, IN).train;
    samplesByFormat.set(key, samples);
  }
  if (samples.count !== TRAIN) throw new Error(`expected ${TRAIN} MNIST training images, got ${samples.count}`);
  return samples;
}

interface NumpyRun {
  lr: number;
  /** Weights after each step: STEPS x 10 x 784. */
  w: bigint[];
  z1: bigint[];
  a1: bigint[];
  delta: bigint[];
  x: bigint[];
  hit: bigint[];
  /** np.mean(classifications) after each step. */
  acc: Float64Array;
  ms: number;
}

/** The notebook loop in numpy, from fxsim's initial weights and sample order. */
function runNumpyLoop(py: string, name: string, w0: RawVec, order: Int32Array, lr: number): NumpyRun {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'w0.npy'), encodeNpy(w0, [OUT, IN], INT64));
  writeFileSync(join(dir, 'order.npy'), encodeNpy(Float64Array.from(order), [order.length], INT64));
  const t0 = performance.now();
  runFixture(py, 'study_loop.py', [mnistDataDir(), join(dir, 'w0.npy'), join(dir, 'order.npy'), dir, String(FRACTION), String(lr), String(STEPS)]);
  const ms = performance.now() - t0;
  const int = (f: string, shape: number[]) => {
    const r = readInt64Npy(join(dir, `${f}.npy`));
    expect(r.shape, `${f}.npy shape`).toEqual(shape);
    return r.values;
  };
  const acc = readFloat64Npy(join(dir, 'acc.npy'));
  expect(acc.shape).toEqual([STEPS]);
  return {
    lr,
    w: int('w', [STEPS, OUT, IN]),
    z1: int('z1', [STEPS, OUT]),
    a1: int('a1', [STEPS, OUT]),
    delta: int('delta', [STEPS, OUT]),
    x: int('x', [STEPS, IN]),
    hit: int('hit', [STEPS]),
    acc: acc.values,
    ms,
  };
}

const big = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));

/** The first index j where fx[j] differs from np[off + j], or -1. */
function firstDiff(fx: RawVec, np: bigint[], off: number): number {
  for (let j = 0; j < fx.length; j++) if (big(fx[j]) !== np[off + j]) return j;
  return -1;
}

interface Replay {
  /** The first divergence, described: step, quantity, element, both values. */
  divergence?: string;
  steps: number;
  hits: number;
  /** Steps that ended with fxsim's weights as bigint[] (beyond 2^53: the reference path). */
  bigintSteps: number;
  /** First step after which fxsim held some |w| > 2^53. */
  firstBeyond53?: number;
  ms: number;
  /** Quantities compared (elements). */
  compared: number;
}

/** fxsim's trainStep over the order, compared with numpy after every step. */
function replay(plan: TrainPlan, state: LayerState[], order: Int32Array, samples: SampleSource, np: NumpyRun): Replay {
  const classifications = new Uint8Array(1000);
  let hits = 0;
  let bigintSteps = 0;
  let firstBeyond53: number | undefined;
  let compared = 0;
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const s = order[i];
    const label = samples.label(s);
    const x = samples.input(s);
    const where = `step ${i} (sample ${s}, label ${label})`;
    /** fx against numpy's row i of a (STEPS, fx.length) array; a matrix row when rowLen is given. */
    const check = (what: string, fx: RawVec, npv: bigint[], rowLen?: number): string | undefined => {
      compared += fx.length;
      const off = i * fx.length;
      const j = firstDiff(fx, npv, off);
      if (j < 0) return undefined;
      const el = rowLen ? `[${Math.floor(j / rowLen)}, ${j % rowLen}]` : `[${j}]`;
      return `${where}: ${what}${el} fxsim ${fx[j]} != numpy ${npv[off + j]}`;
    };
    const fail = (divergence: string): Replay => ({ divergence, steps: i, hits, bigintSteps, firstBeyond53, ms: performance.now() - t0, compared });

    let d = check('x', x, np.x);
    if (d) return fail(d);
    const { fwd, bwd } = trainStep(plan, state, x, label, undefined, samples.nonzeros?.(s), samples.bits);
    d = check('z1', fwd.pre[0], np.z1) ?? check('a1', fwd.outputs[0], np.a1) ?? check('delta', bwd.deltas[0], np.delta);
    if (d) return fail(d);
    const hit = argmax(fwd.outputs[0]) === label ? 1 : 0;
    classifications[i % 1000] = hit;
    hits += hit;
    compared += 2;
    if (BigInt(hit) !== np.hit[i]) return fail(`${where}: classification fxsim ${hit} != numpy ${np.hit[i]}`);
    // np.mean(classifications): a window of 1000 slots, unfilled ones 0
    let inWindow = 0;
    for (const c of classifications) inWindow += c;
    if (inWindow / 1000 !== np.acc[i]) return fail(`${where}: running accuracy fxsim ${inWindow / 1000} != numpy ${np.acc[i]}`);
    const w = state[0].w;
    d = check('w', w, np.w, IN);
    if (d) return fail(d);
    if (!isFastVec(w)) bigintSteps++;
    if (firstBeyond53 === undefined && (isFastVec(w) ? w.some((v) => Math.abs(v) > 2 ** 53) : w.some((v) => v > SAFE || v < -SAFE))) firstBeyond53 = i;
  }
  return { steps: STEPS, hits, bigintSteps, firstBeyond53, ms: performance.now() - t0, compared };
}

interface NumpyOverflow {
  /** First step after which numpy held some |w| > 2^53, and the largest |w| seen. */
  firstBeyond53?: number;
  maxAbsW: bigint;
  /** Steps at which the int64 matmul accumulator w @ x wrapped (some row's exact sum left int64). */
  accWraps: number[];
  /** Steps at which some delta * x product wrapped. */
  productWraps: number[];
  /** Steps at which w + updates wrapped (some exact sum left int64), and how many weights did. */
  weightWraps: number[];
  wrappedWeights: number;
}

const wrap64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const outside64 = (v: bigint): boolean => v < I64_MIN || v > I64_MAX;

/**
 * Where numpy's int64 arithmetic wrapped, found from numpy's own arrays with exact BigInt
 * arithmetic (independent of fxsim): for each step, the exact w @ x and delta * x and
 * w + (wrap(delta * x) >> shift), whose int64 wrap must reproduce numpy's next weights.
 */
function numpyOverflow(np: NumpyRun, w0: RawVec, shift: number): NumpyOverflow {
  const r: NumpyOverflow = { maxAbsW: 0n, accWraps: [], productWraps: [], weightWraps: [], wrappedWeights: 0 };
  const k = BigInt(shift);
  let prev = Array.from(w0, big);
  for (let i = 0; i < STEPS; i++) {
    const x = np.x.slice(i * IN, (i + 1) * IN);
    let acc = false, prod = false, wgt = false, beyond = false;
    for (let o = 0; o < OUT; o++) {
      let sum = 0n;
      for (let j = 0; j < IN; j++) sum += prev[o * IN + j] * x[j];
      if (outside64(sum)) acc = true;
      // the notebook's z1 = np.right_shift(wrapped sum, 20)
      expect(wrap64(sum) >> BigInt(FRACTION), `numpy z1 at step ${i}, row ${o}`).toBe(np.z1[i * OUT + o]);
      const d = np.delta[i * OUT + o];
      for (let j = 0; j < IN; j++) {
        const p = d * x[j];
        if (outside64(p)) prod = true;
        const exact = prev[o * IN + j] + (wrap64(p) >> k);
        if (outside64(exact)) {
          wgt = true;
          r.wrappedWeights++;
        }
        const w = np.w[i * OUT * IN + o * IN + j];
        if (w !== wrap64(exact)) throw new Error(`numpy step ${i} w[${o}, ${j}] = ${w} is not the int64 wrap of ${exact}`);
        const a = w < 0n ? -w : w;
        if (a > r.maxAbsW) r.maxAbsW = a;
        if (a > SAFE) beyond = true;
      }
    }
    if (acc) r.accWraps.push(i);
    if (prod) r.productWraps.push(i);
    if (wgt) r.weightWraps.push(i);
    if (beyond && r.firstBeyond53 === undefined) r.firstBeyond53 = i;
    prev = np.w.slice(i * OUT * IN, (i + 1) * OUT * IN);
  }
  return r;
}

const ms = (t: number) => `${t.toFixed(0)} ms`;
const steps = (s: number[]) => (s.length ? `${s.length} steps, first ${s.slice(0, 5).join(', ')}` : 'never');

describe('fxsim training is bit-exact to the study numpy loop (notebook In [384])', () => {
  let study: { w0: Float64Array; order: Int32Array; np: NumpyRun } | undefined;
  /** The study config's initial state and numpy's run of the notebook loop from it (once). */
  const studyRun = (py: string) => {
    if (!study) {
      const { order, state } = initialState(studyPlan(), TRAIN);
      const w0 = Float64Array.from(state[0].w as Float64Array);
      study = { w0, order, np: runNumpyLoop(py, 'study', w0, order, 10) };
    }
    return study;
  };

  it(`(a) study config, ${STEPS} steps on MNIST: x, z1, a1, delta, classification, accuracy and all weights after every step`, (ctx) => {
    const py = needNumpy(ctx);
    const plan = studyPlan();
    expect(plan.lrShift).toBe(10);
    expect(plan.layers[0].update.spec.shift).toBe(FRACTION + 10);
    const { order, state } = initialState(plan, TRAIN);
    const { w0, np } = studyRun(py);
    expect(firstDiff(state[0].w, Array.from(w0, BigInt), 0)).toBe(-1);
    const samples = mnistSamples(plan);
    const r = replay(plan, state, order, samples, np);
    console.log(`(a) lr_shift 10: ${r.steps} steps equal, ${r.compared} elements compared, ${r.hits} hits; numpy ${ms(np.ms)}, fxsim + compare ${ms(r.ms)}`);
    expect(r.divergence).toBeUndefined();
    expect(r.steps).toBe(STEPS);
    expect(r.bigintSteps).toBe(0); // the normal regime stays on the fast path
  });

  it(`(a) train() over the same ${STEPS} steps ends at numpy's weights and accuracy`, (ctx) => {
    const py = needNumpy(ctx);
    const { np } = studyRun(py);
    const plan = studyPlan([`training.steps=${STEPS}`]);
    const res = train(plan, { train: mnistSamples(plan) });
    const j = firstDiff(res.state[0].w, np.w, (STEPS - 1) * OUT * IN);
    expect(j < 0 ? '' : `w[${Math.floor(j / IN)}, ${j % IN}]: fxsim ${res.state[0].w[j]} != numpy ${np.w[(STEPS - 1) * OUT * IN + j]}`).toBe('');
    const npHits = Number(np.hit.reduce((a, b) => a + b, 0n));
    expect(res.runningAccuracy).toBe(npHits / STEPS); // fxsim: over the filled part of the window
    expect(np.acc[STEPS - 1]).toBe(npHits / 1000); // the notebook: np.mean of 1000 slots
  });

  it('(a) the comparison sees a one-LSB difference: TRN -> RND in the update diverges, and says where', (ctx) => {
    const py = needNumpy(ctx);
    const { np } = studyRun(py);
    const plan = studyPlan(['training.update.rounding=RND']);
    const { order, state } = initialState(plan, TRAIN);
    const r = replay(plan, state, order, mnistSamples(plan), np);
    console.log(`(a) mutant (update rounding RND): ${r.divergence}`);
    expect(r.divergence).toMatch(/^step 0 \(sample \d+, label \d\): w\[\d, \d+\] fxsim -?\d+ != numpy -?\d+$/);
  });

  it.for([1, 12345])('(b) numpy RandomState seed %i: permutation(60000), then rint(normal(0, 500, (10, 784)))', (seed, ctx) => {
    const py = needNumpy(ctx);
    const dir = join(tmp, `rng-${seed}`);
    mkdirSync(dir, { recursive: true });
    const cases = [{ seed, ops: [['permutation', TRAIN], ['normal_rint', 0, 500, [OUT, IN]]] }];
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    runFixture(py, 'numpy_random.py', [join(dir, 'cases.json'), dir]);
    const perm = readInt64Npy(join(dir, '0_0.npy'));
    const w0 = readInt64Npy(join(dir, '0_1.npy'));
    expect(perm.shape).toEqual([TRAIN]);
    expect(w0.shape).toEqual([OUT, IN]);

    const plan = studyPlan(seed === 1 ? [] : [`training.seed=${seed}`]);
    expect(plan.training.seed).toBe(seed);
    const { order, state } = initialState(plan, TRAIN);
    expect(order.length).toBe(TRAIN);
    const j = firstDiff(Float64Array.from(order), perm.values, 0);
    expect(j < 0 ? '' : `permutation[${j}]: fxsim ${order[j]} != numpy ${perm.values[j]}`).toBe('');
    const k = firstDiff(state[0].w, w0.values, 0);
    expect(k < 0 ? '' : `w0[${Math.floor(k / IN)}, ${k % IN}]: fxsim ${state[0].w[k]} != numpy ${w0.values[k]}`).toBe('');
  });

  // lr_shift -12: updates = (delta * x) >> 8; the weights pass 2^53 within a few steps and the
  // int64 accumulator of w @ x wraps. lr_shift -20: updates = delta * x (shift 0), and the
  // weights themselves wrap in int64 (w + updates), through the weight register's WRAP.
  it.for([
    { lr: -12, weightsWrap: false },
    { lr: -20, weightsWrap: true },
  ])('(c) overflow regime, lr_shift $lr: weights beyond 2^53, int64 wraps, still equal step by step', ({ lr, weightsWrap }, ctx) => {
    const py = needNumpy(ctx);
    const plan = studyPlan([`training.lr_shift=${lr}`]);
    const shift = FRACTION + lr;
    expect(plan.layers[0].update.spec.shift).toBe(shift);
    const { order, state } = initialState(plan, TRAIN);
    const w0 = Float64Array.from(state[0].w as Float64Array);
    const np = runNumpyLoop(py, `overflow${lr}`, w0, order, lr);

    const t0 = performance.now();
    const ov = numpyOverflow(np, w0, shift);
    const tOv = performance.now() - t0;
    console.log(
      `(c) lr_shift ${lr} (updates >> ${shift}), numpy: |w| > 2^53 first after step ${ov.firstBeyond53} (0-based), max |w| = ${ov.maxAbsW} (2^${Math.log2(Number(ov.maxAbsW)).toFixed(2)}); ` +
        `int64 wraps (0-based steps): w @ x ${steps(ov.accWraps)}; delta * x ${steps(ov.productWraps)}; w + updates ${steps(ov.weightWraps)} (${ov.wrappedWeights} weights) [${ms(tOv)}]`,
    );
    // the regime really is reached in numpy: weights beyond 2^53, and int64 wrapped
    expect(ov.firstBeyond53).toBeDefined();
    expect(ov.accWraps.length).toBeGreaterThan(0);
    if (weightsWrap) expect(ov.weightWraps.length).toBeGreaterThan(0);

    const samples = mnistSamples(plan);
    const r = replay(plan, state, order, samples, np);
    console.log(`(c) lr_shift ${lr}: ${r.steps} steps equal, ${r.compared} elements compared; fxsim on bigint weights for ${r.bigintSteps} steps, |w| > 2^53 first after step ${r.firstBeyond53}; numpy ${ms(np.ms)}, fxsim + compare ${ms(r.ms)}`);
    expect(r.divergence).toBeUndefined();
    expect(r.steps).toBe(STEPS);
    // fxsim took its BigInt path, from the same step on
    expect(r.firstBeyond53).toBe(ov.firstBeyond53);
    expect(r.bigintSteps).toBeGreaterThan(0);
    // and counted the wraps where numpy had them: the MAC accumulator, the weight register
    expect(plan.layers[0].layer.mac.counters.overflows).toBeGreaterThan(0);
    if (weightsWrap) expect(plan.layers[0].update.counters.overflows).toBeGreaterThan(0);
  });
});
