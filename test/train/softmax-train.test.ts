import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { observedBits, referenceOnly } from '../../src/core/exact.ts';
import { Xoshiro128ss } from '../../src/core/random.ts';
import type { SampleSource } from '../../src/train/data.ts';
import { buildTrainPlan, type TrainPlan } from '../../src/train/plan.ts';
import { prepareTraining } from '../../src/train/run.ts';
import { initialState, train } from '../../src/train/trainer.ts';
import { outputError, trainStep } from '../../src/train/step.ts';
import { SoftmaxUnit } from '../../src/units/softmax.ts';
import { toBigVec } from '../../src/units/vec.ts';

/**
 * Cross-entropy training through the integer softmax: the output delta is cast(target - p), and a
 * linearly separable problem and Iris are learnt.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-softmax-train-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 4 inputs in [-1, 1] at frac 10, weights frac 12, logits fixed<16,6> (frac 10), p in ufixed<17,1>
const CONFIG = `
model: {inputs: 4, layers: [{size: 2}]}
input: {format: "fixed<12,2>"}
layers:
  - weights: {format: "fixed<16,4>", overflow: SAT}
    bias: {format: "fixed<16,4>", overflow: SAT}
    units:
      - {kind: mac, acc: "fixed<32,10>", overflow: SAT}
      - {kind: shift, by: 12, output: "fixed<16,6>", rounding: RND_CONV, overflow: SAT}
      - {kind: softmax, output: "ufixed<17,1>", rounding: RND_CONV, overflow: SAT}
training:
  loss: softmax_ce
  lr_shift: 3
  steps: 400
  seed: 7
  init: {dist: normal, mean: 0, std: 0.1, units: real}
  window: 100
  metrics_every: 100
`;

function synthPlan(sets: string[] = []): TrainPlan {
  const p = join(dir, 'synth.yaml');
  writeFileSync(p, CONFIG);
  const { datapath, config } = loadConfig(p, sets);
  return buildTrainPlan(datapath, config.training!);
}

/**
 * A linearly separable 2-class set, seeded: x uniform on the grid of [-1, 1]^4 at frac 10, class
 * 1 when w*.x + b* > 0 for w* = (1, -2, 0.5, 1.5), b* = 0.25, points within 0.2 of the plane dropped.
 */
function separable(count: number, seed: number): SampleSource {
  const rng = new Xoshiro128ss(seed);
  const w = [1, -2, 0.5, 1.5];
  const values = new Float64Array(count * 4);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count;) {
    const x = [0, 1, 2, 3].map(() => rng.bitsNumber(11) - 1024); // raw -1024 .. 1023
    const s = x.reduce((a, v, j) => a + (w[j] * v) / 1024, 0.25);
    if (Math.abs(s) < 0.2) continue;
    values.set(x, i * 4);
    labels[i] = s > 0 ? 1 : 0;
    i++;
  }
  return {
    count, features: 4, classes: 2, bits: observedBits(values),
    label: (i) => labels[i],
    input: (i) => values.slice(i * 4, i * 4 + 4),
  };
}

describe('softmax_ce training', () => {
  it('the output delta is exactly target - p (no f\' multiply), and the plan says softmax_ce', () => {
    const plan = synthPlan();
    expect(plan.loss).toBe('softmax_ce');
    const lt = plan.layers[0];
    expect(lt.layer.post[lt.layer.post.length - 1]).toBeInstanceOf(SoftmaxUnit);
    expect(lt.activation).toBeUndefined();
    expect(lt.delta.spec.b).toEqual({ signed: false, width: 1, frac: 0 }); // ufixed<1,1>: the constant 1
    expect(plan.targetRaw).toBe(65536);
    const data = separable(8, 3);
    const { state } = initialState(plan, data.count);
    for (let i = 0; i < data.count; i++) {
      const { fwd, bwd } = trainStep(plan, state, data.input(i), data.label(i));
      const p = toBigVec(fwd.outputs[0]);
      expect(p.reduce((a, b) => a + b, 0n) - 65536n).toBeLessThanOrEqual(2n);
      const e = toBigVec(outputError(fwd.outputs[0], data.label(i), plan.targetRaw));
      expect(toBigVec(bwd.errors[0])).toEqual(e);
      expect(toBigVec(bwd.derivs[0])).toEqual([1n, 1n]);
      expect(toBigVec(bwd.deltas[0])).toEqual(e); // cast(e * 1) into (s,18,16): exact
      expect(e[0] + e[1]).toBe(65536n - p[0] - p[1]);
    }
    expect(plan.layers[0].delta.counters.inexact).toBe(0);
  });

  it('learns a linearly separable 2-class problem to >= 90% in 400 steps', () => {
    const plan = synthPlan();
    const r = train(plan, { train: separable(200, 11), test: separable(200, 12) });
    expect(r.steps).toBe(400);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.runningAccuracy).toBeGreaterThanOrEqual(0.9); // the last 100 steps
    const ev = r.events['L0.softmax'];
    expect(ev.values).toBe(800);
    expect(ev.overflows).toBe(0);
  });

  it('fast kernels == BigInt reference for the whole run', () => {
    const go = () => {
      const plan = synthPlan(['training.steps=200']);
      return train(plan, { train: separable(100, 5), test: separable(50, 6) });
    };
    const fast = go();
    const ref = referenceOnly(go);
    expect(toBigVec(fast.state[0].w)).toEqual(toBigVec(ref.state[0].w));
    expect(toBigVec(fast.state[0].b!)).toEqual(toBigVec(ref.state[0].b!));
    expect(fast.events).toEqual(ref.events);
    expect(fast.testAccuracy).toBe(ref.testAccuracy);
  });

  it('configs/iris/softmax-ce.yaml trains Iris to >= 90% (test split 0.2, seed 1)', () => {
    const { plan, data } = prepareTraining({ config: 'configs/iris/softmax-ce.yaml' });
    expect(plan.loss).toBe('softmax_ce');
    expect(data.train.count).toBe(120);
    expect(data.test?.count).toBe(30);
    const r = train(plan, data);
    expect(r.steps).toBe(3000);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.runningAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
