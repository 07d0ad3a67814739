import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { kernelSpec } from '../../../src/train/fused/eligibility.ts';
import { buildTrainPlan } from '../../../src/train/plan.ts';

const specOf = (config: string, sets: string[] = []) => {
  const { config: c, datapath } = loadConfig(config, sets);
  return kernelSpec(buildTrainPlan(datapath, c.training!));
};

describe('which plans the fused kernel takes', () => {
  it("takes the study's datapath, in the kernel's codes", () => {
    const s = specOf('study/mnist-f20-lr10');
    if (typeof s === 'string') throw new Error(s);
    expect([s.rows, s.cols, s.post.length, s.activationAt, s.update.shift, s.target]).toEqual([10, 784, 2, 1, 30, 1n << 20n]);
    expect(s.acc).toEqual({ lo: -(1n << 63n), hi: (1n << 63n) - 1n, width: 64, signed: true, overflow: 0 });
  });
  it('takes leaky ReLU, SAT registers, RND_CONV, STOCH updates and negative update shifts', () => {
    expect(typeof specOf('study/mnist-f20-lr10', ['training.update.rounding=STOCH', 'random.kind=xoshiro128ss'])).toBe('object');
    expect(typeof specOf('study/mnist-leaky-f12-lr3')).toBe('object');
    expect(typeof specOf('study/mnist-f20-lr10', ['layers.0.weights.overflow=SAT_SYM', 'training.update.rounding=RND_CONV', 'training.lr_shift=-40'])).toBe('object');
  });
  it('says why it does not take the others', () => {
    expect(specOf('mlp/mnist-784-128-10')).toBe('more than one layer');
    expect(specOf('iris/softmax-ce')).toMatch(/more than one layer|loss softmax_ce|a bias/);
    expect(specOf('study/mnist-f20-lr10', ['layers.0.units.1.rounding=STOCH'])).toBe('unit L0.shift1 rounds with STOCH');
    expect(specOf('study/mnist-f20-lr10', ['training.batch=4'])).toBe('mini-batches');
    expect(specOf('study/mnist-f20-lr10', ['layers.0.weights.overflow=WRAP_SM'])).toBe('the weight register overflows with WRAP_SM');
    expect(specOf('study/mnist-f20-lr10', ['layers.0.units.1.by=64'])).toMatch(/shifts by 64/);
  });
});
