import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceOnly } from '../../src/core/exact.ts';
import { loadConfig } from '../../src/config/load.ts';
import { prepareTraining } from '../../src/train/run.ts';
import { train, type TrainResult } from '../../src/train/trainer.ts';
import { toBigVec } from '../../src/units/vec.ts';

/** Every shipped config that trains: the fast kernels must give the reference's bits. */
export function trainingConfigs(dir = 'configs'): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) { if (p !== join('configs', 'sweeps')) out.push(...trainingConfigs(p)); }
    else if (p.endsWith('.yaml')) out.push(p);
  }
  // the config alone says whether it trains: no need to load its dataset here
  return out.filter((p) => {
    const { config } = loadConfig(p);
    return !!config.training && !!config.dataset;
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

/** Register the comparison for the shipped training configs that `pick` selects (two files share the work: two workers). */
export function fastVsReference(title: string, pick: (config: string) => boolean, sanity = false): void {
describe(`fast path == BigInt reference over 200 training steps: ${title}`, () => {
  const configs = trainingConfigs().filter(pick);
  if (sanity) it('referenceOnly really switches the units to the BigInt path', () => {
    const { plan } = prepareTraining({ config: join('configs', 'study', 'mnist-f20-lr10.yaml'), steps: 1 });
    const mac = plan.datapath.layers[0].mac;
    const w = new Float64Array(10 * 784).fill(3);
    const x = new Float64Array(784).fill(5);
    expect(mac.run(w, 10, 784, x)).toBeInstanceOf(Float64Array);
    const r = referenceOnly(() => mac.run(w, 10, 784, x));
    expect(r).not.toBeInstanceOf(Float64Array);
    expect(r[0]).toBe(3n * 5n * 784n);
  });
  it('finds shipped training configs', () => {
    expect(configs.length).toBeGreaterThanOrEqual(1);
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
}
