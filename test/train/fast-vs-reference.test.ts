import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceOnly } from '../../src/core/exact.ts';
import { prepareTraining } from '../../src/train/run.ts';
import { train, type TrainResult } from '../../src/train/trainer.ts';
import { toBigVec } from '../../src/units/vec.ts';

/** Every shipped config that trains: the fast kernels must give the reference's bits. */
function trainingConfigs(dir = 'configs'): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...trainingConfigs(p));
    else if (p.endsWith('.yaml')) out.push(p);
  }
  return out.filter((p) => {
    try {
      const { loaded } = prepareTraining({ config: p, steps: 1 });
      return !!loaded.config.training;
    } catch {
      return false; // inference-only configs
    }
  });
}

const STEPS = 200;

function run(config: string): TrainResult {
  const { plan, data } = prepareTraining({ config, steps: STEPS, sets: ['training.metrics_every=50', 'training.test_samples=20'] });
  const rows: unknown[] = [];
  const r = train(plan, data, { onMetrics: (m) => rows.push(m) });
  (r as TrainResult & { rows: unknown[] }).rows = rows;
  return r;
}

describe('fast path == BigInt reference over 200 training steps, every shipped training config', () => {
  const configs = trainingConfigs();
  it('referenceOnly really switches the units to the BigInt path', () => {
    const { plan } = prepareTraining({ config: join('configs', 'study', 'mnist-f20-lr10.yaml'), steps: 1 });
    const mac = plan.datapath.layers[0].mac;
    const w = new Float64Array(10 * 784).fill(3);
    const x = new Float64Array(784).fill(5);
    expect(mac.run(w, 10, 784, x)).toBeInstanceOf(Float64Array);
    const r = referenceOnly(() => mac.run(w, 10, 784, x));
    expect(r).not.toBeInstanceOf(Float64Array);
    expect(r[0]).toBe(3n * 5n * 784n);
  });
  it('finds the shipped training configs', () => {
    expect(configs).toContain(join('configs', 'study', 'mnist-f20-lr10.yaml'));
    expect(configs.length).toBeGreaterThanOrEqual(2);
  });
  for (const config of configs) {
    it(config, () => {
      const fast = run(config);
      const ref = referenceOnly(() => run(config));
      fast.state.forEach((st, li) => {
        expect(toBigVec(st.w)).toEqual(toBigVec(ref.state[li].w));
        if (st.b) expect(toBigVec(st.b)).toEqual(toBigVec(ref.state[li].b!));
      });
      expect(fast.events).toEqual(ref.events);
      expect((fast as TrainResult & { rows: unknown[] }).rows).toEqual((ref as TrainResult & { rows: unknown[] }).rows);
      expect(fast.testAccuracy).toBe(ref.testAccuracy);
    }, 180_000);
  }
});
