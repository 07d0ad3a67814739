import { inputErrorOf } from '../helpers/input-error.ts';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { overflowRef } from '../../src/core/overflow.ts';
import { Lfsr, Xoshiro128ss } from '../../src/core/random.ts';
import { quantizeRef } from '../../src/core/quantize.ts';
import { recordGolden, type GoldenRecording, type GoldenTensor } from '../../src/golden/recorder.ts';
import { buildTrainPlan } from '../../src/train/plan.ts';
import { prepareTraining } from '../../src/train/run.ts';
import { train } from '../../src/train/trainer.ts';
import { toBigVec } from '../../src/units/vec.ts';

const byName = (rec: GoldenRecording) => {
  const m = new Map(rec.tensors.map((t) => [t.name, t]));
  return (name: string): bigint[] => {
    const t = m.get(name);
    if (!t) throw new Error(`no tensor ${name}`);
    return toBigVec(t.values);
  };
};

const NAME = /^(init\.[^.]+\.(w|b)|samples|labels|[st]\d{4}\.rng\.before|[st]\d{4}\.[^.]+\.[^.]+\.(in|out|w|b)|t\d{4}\.[^.]+\.train\.(error|deriv|delta|update|w_after|b_update|b_after|grad|b_grad))$/;

const STOCH_TRAINING = ['training.lr_shift=2', 'training.update.rounding=STOCH', 'training.init.std=20'];

describe('recordGolden: the recorder wraps the units that training runs', () => {
  const slice = recordGolden({ config: 'configs/rtl/slice-stoch.yaml', samples: 4, steps: 0 });
  const get = byName(slice);

  it('names every tensor by the documented layout, in execution order', () => {
    for (const t of slice.tensors) expect(t.name).toMatch(NAME);
    expect(slice.tensors.slice(0, 4).map((t) => t.name)).toEqual(['init.L0.w', 'samples', 'labels', 's0000.rng.before']);
    expect(slice.tensors.filter((t) => t.phase === 's' && t.step === 0).map((t) => `${t.unit}.${t.stage}`)).toEqual([
      'rng.before', 'mac.in', 'mac.w', 'mac.out', 'shift1.in', 'shift1.out', 'relu.in', 'relu.out',
    ]);
    expect(slice.mode).toBe('inference');
    expect(slice.inference).toEqual({ split: 'train', count: 4 });
    expect(get('samples')).toEqual([0n, 1n, 2n, 3n]);
    expect(slice.random).toMatchObject({ kind: 'lfsr', width: 16, seed: 0xace1, stochastic: true, state_words: ['state'] });
  });

  it('every forward value is the unit run on the recorded input (MAC, STOCH shift from rng.before, ReLU)', () => {
    const dp = loadConfig('configs/rtl/slice-stoch.yaml').datapath;
    const [L0] = dp.layers;
    const [shift, relu] = L0.post;
    for (let s = 0; s < 4; s++) {
      const p = `s000${s}.L0`;
      expect(get(`${p}.mac.w`)).toEqual(get('init.L0.w')); // inference uses the initial weights
      expect(toBigVec(L0.mac.run(get(`${p}.mac.w`), 4, 16, get(`${p}.mac.in`)))).toEqual(get(`${p}.mac.out`));
      expect(get(`${p}.shift1.in`)).toEqual(get(`${p}.mac.out`));
      const [state] = get(`s000${s}.rng.before`);
      const rng = new Lfsr(16, undefined, Number(state));
      expect(toBigVec(shift.run(get(`${p}.shift1.in`), rng))).toEqual(get(`${p}.shift1.out`));
      // the next sample's state is where this one left the source
      if (s < 3) expect(get(`s000${s + 1}.rng.before`)).toEqual([BigInt(rng.stateWords()[0])]);
      expect(toBigVec(relu.run(get(`${p}.relu.in`)))).toEqual(get(`${p}.relu.out`));
    }
    expect(get('s0000.rng.before')).toEqual([0xace1n]);
  });

  it('records formats of the ports the values were read from', () => {
    const t = (n: string) => slice.tensors.find((x) => x.name === n)!;
    expect(t('s0000.L0.mac.in').format).toEqual({ signed: true, width: 8, frac: 7 });
    expect(t('s0000.L0.mac.out').format).toEqual({ signed: true, width: 24, frac: 14 });
    expect(t('s0000.L0.shift1.out').format).toEqual({ signed: true, width: 8, frac: 6 });
    expect(t('s0000.rng.before').format).toEqual({ signed: false, width: 16, frac: 0 });
    expect(t('samples').format).toEqual({ signed: false, width: 32, frac: 0 });
  });

  it('training steps: error, deriv, delta, update and w_after follow the update rule (STOCH update, SAT weights)', () => {
    const rec = recordGolden({ config: 'configs/rtl/slice-stoch.yaml', sets: STOCH_TRAINING, samples: 1, steps: 3 });
    const g = byName(rec);
    expect(rec.mode).toBe('both');
    const names = rec.tensors.filter((t) => t.phase === 't' && t.step === 1).map((t) => t.name);
    expect(names).toEqual([
      't0001.rng.before', 't0001.L0.mac.in', 't0001.L0.mac.w', 't0001.L0.mac.out', 't0001.L0.shift1.in', 't0001.L0.shift1.out', 't0001.L0.relu.in', 't0001.L0.relu.out',
      't0001.L0.train.error', 't0001.L0.train.deriv', 't0001.L0.train.delta', 't0001.L0.train.update', 't0001.L0.train.w_after',
    ]);
    const loaded = loadConfig('configs/rtl/slice-stoch.yaml', STOCH_TRAINING);
    const wf = loaded.datapath.layers[0].weights;
    const labels = g('labels');
    for (let k = 0; k < 3; k++) {
      const p = `t000${k}.L0`;
      const a = g(`${p}.relu.out`);
      const target = BigInt(1 * 2 ** 6);
      expect(g(`${p}.train.error`)).toEqual(a.map((v, i) => (BigInt(i) === labels[1 + k] ? target : 0n) - v));
      expect(g(`${p}.train.deriv`)).toEqual(g(`${p}.relu.in`).map((z) => (z > 0n ? 1n : 0n)));
      const w = g(`${p}.mac.w`);
      const u = g(`${p}.train.update`);
      expect(g(`${p}.train.w_after`)).toEqual(w.map((v, i) => overflowRef(v + u[i], wf.format, wf.overflow, wf.nBits)));
      if (k < 2) expect(g(`t000${k + 1}.L0.mac.w`)).toEqual(g(`${p}.train.w_after`));
    }
    // inference samples use the initial weights, not the trained ones
    expect(g('s0000.L0.mac.w')).toEqual(g('init.L0.w'));
    expect(g('t0000.L0.mac.w')).toEqual(g('init.L0.w'));
  });

  it('the fast kernels record the same bits as the BigInt reference', () => {
    for (const [config, sets, samples, steps] of [
      ['configs/rtl/slice-stoch.yaml', STOCH_TRAINING, 2, 3],
      ['configs/study/mnist-f20-lr10.yaml', [], 1, 2],
      ['iris/softmax-ce', ['training.batch=2'], 1, 3],
    ] as const) {
      const ref = recordGolden({ config, sets: [...sets], samples, steps });
      const fast = recordGolden({ config, sets: [...sets], samples, steps, reference: false });
      expect(fast.tensors.map((t) => t.name)).toEqual(ref.tensors.map((t) => t.name));
      ref.tensors.forEach((t: GoldenTensor, i) => expect(toBigVec(fast.tensors[i].values), t.name).toEqual(toBigVec(t.values)));
    }
  }, 30_000);

  it('hidden layers: backprop tensors chain into the previous layer\'s error', () => {
    const rec = recordGolden({ config: 'configs/mlp/mnist-784-128-10.yaml', samples: 0, steps: 1 });
    const g = byName(rec);
    expect(rec.mode).toBe('training');
    expect(g('t0000.fc2.backprop.in')).toEqual(g('t0000.fc2.train.delta'));
    expect(g('t0000.fc2.backprop_shift.in')).toEqual(g('t0000.fc2.backprop.out'));
    expect(g('t0000.fc2.backprop_shift.out')).toEqual(g('t0000.fc1.train.error'));
    expect(g('t0000.fc2.mac.in')).toEqual(g('t0000.fc1.relu.out'));
    expect(rec.tensors.find((t) => t.name === 't0000.fc1.train.update')!.shape).toEqual([128, 784]);
  }, 30_000);

  it('biases: init.b, mac.b, b_update and b_after', () => {
    const rec = recordGolden({ config: 'iris/softmax-ce', samples: 1, steps: 2 });
    const g = byName(rec);
    expect(g('init.L0.b')).toEqual([0n, 0n, 0n]);
    expect(g('t0000.L0.mac.b')).toEqual(g('init.L0.b'));
    const b = g('t0000.L0.mac.b');
    const u = g('t0000.L0.train.b_update');
    expect(g('t0000.L0.train.b_after')).toEqual(b.map((v, i) => v + u[i]));
    expect(g('t0001.L0.mac.b')).toEqual(g('t0000.L0.train.b_after'));
    expect(rec.inference.split).toBe('test');
  });

  it('xoshiro128ss state: [s0, s1, s2, s3, unread, avail]', () => {
    const rec = recordGolden({ config: 'configs/rtl/slice-stoch.yaml', sets: ['random={kind: xoshiro128ss, seed: 7}'], samples: 2, steps: 0 });
    const g = byName(rec);
    expect(rec.random.state_words).toEqual(['s0', 's1', 's2', 's3', 'unread', 'avail']);
    expect(g('s0000.rng.before')).toEqual(new Xoshiro128ss(7).stateWords().map(BigInt));
    const x = new Xoshiro128ss(7);
    x.bits(4 * 8); // sample 0: four 8-bit draws
    expect(g('s0001.rng.before')).toEqual(x.stateWords().map(BigInt));
    const y = new Xoshiro128ss(7);
    y.bits(5);
    const w = y.stateWords();
    expect(w[5]).toBe(27);
    expect(w[4]).toBeLessThan(2 ** 27);
  });

  it('deterministic configs record no random state', () => {
    const rec = recordGolden({ config: 'configs/rtl/slice-trn.yaml', samples: 1, steps: 0 });
    expect(rec.random.stochastic).toBe(false);
    expect(rec.tensors.some((t) => t.unit === 'rng')).toBe(false);
  });

  it('rejects what it cannot record', () => {
    const err = inputErrorOf;
    expect(err(() => recordGolden({ config: 'configs/rtl/slice-trn.yaml', steps: 2 }))).toMatch(/no training section.*--steps 0/);
    expect(err(() => recordGolden({ config: 'configs/inference/int8-int32-sat.yaml' }))).toMatch(/no dataset section/);
    expect(err(() => recordGolden({ config: 'configs/rtl/slice-trn.yaml', samples: 9 }))).toMatch(/only 8 samples/);
    expect(err(() => recordGolden({ config: 'configs/rtl/slice-trn.yaml', samples: 0, steps: 0 }))).toMatch(/nothing to record/);
    // more classes than outputs: the first label beyond them, by file:line:col
    expect(err(() => recordGolden({ config: 'configs/rtl/slice-trn.yaml', sets: ['training.lr_shift=2', 'model.layers.0.size=2'] }))).toBe(
      `${resolve('configs/rtl/data.csv')}:4:89: label 2 is not a class of the model: the last layer has 2 outputs, for classes 0..1 (the dataset has 4 classes)`,
    );
  });

  it('mini-batches: grad sums every sample of the batch; the last step updates from it, as fxsim train does', () => {
    const sets = ['training.batch=4', 'training.lr_shift=2'];
    const steps = 10; // two whole batches and a partial one, which fxsim train also applies
    const rec = recordGolden({ config: 'iris/softmax-ce', sets, samples: 0, steps });
    const g = byName(rec);
    for (const t of rec.tensors) expect(t.name).toMatch(NAME);
    const at = (k: number) => rec.tensors.filter((t) => t.step === k && t.unit === 'train').map((t) => t.stage);
    expect(at(0)).toEqual(['grad', 'b_grad', 'error', 'deriv', 'delta']);
    expect(at(3)).toEqual(['grad', 'b_grad', 'error', 'deriv', 'delta', 'update', 'w_after', 'b_update', 'b_after']);
    expect(at(9)).toContain('w_after');
    const { datapath, config } = loadConfig('configs/iris/softmax-ce.yaml', sets);
    const plan = buildTrainPlan(datapath, config.training!);
    const lt = plan.layers[0];
    const wf = datapath.layers[0].weights;
    let sum = new Array<bigint>(12).fill(0n);
    let w = g('init.L0.w');
    for (let k = 0; k < steps; k++) {
      const p = `t${String(k).padStart(4, '0')}.L0`;
      expect(g(`${p}.mac.w`)).toEqual(w); // the weights move only at a batch's end
      const d = g(`${p}.train.delta`);
      const x = g(`${p}.mac.in`);
      sum = sum.map((v, j) => overflowRef(v + d[Math.floor(j / 4)] * x[j % 4], lt.grad!.format, lt.grad!.overflow, lt.grad!.nBits));
      expect(g(`${p}.train.grad`)).toEqual(sum);
      if (k % 4 === 3 || k === steps - 1) {
        const u = g(`${p}.train.update`);
        expect(u).toEqual(sum.map((v) => quantizeRef(v, lt.update.spec.shift, lt.update.spec.rounding)));
        w = w.map((v, j) => overflowRef(v + u[j], wf.format, wf.overflow, wf.nBits));
        expect(g(`${p}.train.w_after`)).toEqual(w);
        sum = sum.map(() => 0n);
      }
    }
    // the same weights as training the config for as many steps
    const { plan: trainPlan, data } = prepareTraining({ config: 'iris/softmax-ce', sets: [...sets, 'training.test_samples=0'], steps });
    expect(toBigVec(train(trainPlan, data).state[0].w)).toEqual(w);
  });
});
