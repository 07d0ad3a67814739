/**
 * Whole training runs through the fused kernel against the BigInt reference in the regimes a
 * sweep visits: weights far beyond 2^53, products beyond 2^64, the int64 accumulator wrapping,
 * a left-shifting update, saturating registers. Same weights, metrics rows, event counters and
 * test accuracy.
 */
import { describe, expect, it } from 'vitest';
import { referenceOnly } from '../../../src/core/exact.ts';
import { prepareTraining } from '../../../src/train/run.ts';
import { train, type MetricsRow } from '../../../src/train/trainer.ts';
import { toBigVec } from '../../../src/units/vec.ts';

/** The study's datapath at F fraction bits (64-bit registers, as the notebook's int64). */
const studyAt = (F: number, lr: number, extra: string[] = []) => [
  `input.format=fixed<64,${64 - F}>`, `layers.0.weights.format=fixed<64,${64 - F}>`, `layers.0.units.0.acc=fixed<64,${64 - 2 * F}>`,
  `layers.0.units.1.by=${F}`, `layers.0.units.1.output=fixed<64,${64 - F}>`, `layers.0.units.2.output=fixed<64,${64 - F}>`,
  `training.delta.format=fixed<64,${64 - F}>`, `training.lr_shift=${lr}`, 'training.metrics_every=25', 'training.test_samples=40', ...extra,
];

function run(sets: string[]) {
  const { plan, data } = prepareTraining({ config: 'configs/study/mnist-f20-lr10.yaml', sets, steps: 100 });
  const rows: MetricsRow[] = [];
  const r = train(plan, data, { onMetrics: (m) => rows.push(m) });
  return { r, rows };
}

describe('fused kernel == BigInt reference, whole runs in the regimes a sweep visits', () => {
  const cases: [string, string[]][] = [
    ['F=30 lr 2^-10: products past 2^53', studyAt(30, 10)],
    ['F=20 lr 2^12: weights past 2^64 wrap, the accumulator wraps', studyAt(20, -12)],
    ['F=12 lr 2^20: a left-shifting update', studyAt(12, -20)],
    ['F=12 lr 2^-6, STOCH update with xoshiro128** bits', studyAt(12, 6, ['training.update.rounding=STOCH', 'random.kind=xoshiro128ss'])],
    ['F=10 lr 2^-6, STOCH update with the 32-bit LFSR', studyAt(10, 6, ['training.update.rounding=STOCH'])],
    ['F=20 lr 2^16, SAT weights and accumulator, RND_CONV update', studyAt(20, -16, ['layers.0.weights.overflow=SAT', 'layers.0.units.0.overflow=SAT', 'training.update.rounding=RND_CONV'])],
  ];
  for (const [name, sets] of cases) {
    it(name, () => {
      const fused = run(sets);
      const ref = referenceOnly(() => run(sets));
      expect(fused.r.backend).toBe('fused');
      expect(ref.r.backend).toBe('units');
      expect(toBigVec(fused.r.state[0].w)).toEqual(toBigVec(ref.r.state[0].w));
      expect(fused.rows).toEqual(ref.rows);
      expect(fused.r.events).toEqual(ref.r.events);
      expect(fused.r.testAccuracy).toBe(ref.r.testAccuracy);
      // the regime is what the name says: something overflowed or saturated somewhere
      expect(Object.values(fused.r.events).some((c) => c.overflows > 0)).toBe(!name.startsWith('F=30') && !name.includes('STOCH'));
      if (name.includes('STOCH')) expect(fused.r.events['L0.update'].stochasticDraws).toBe(100 * 7840);
    }, 120_000);
  }
});
