/**
 * The README's Findings are the shipped sweeps' results: each findings block in the README is
 * `fxsim findings` on a committed results directory, and sample runs of those results train
 * again from the shipped sweep files to the same test accuracy.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingsMarkdown } from '../../src/findings/index.ts';
import { readResultsCsv } from '../../src/findings/results-csv.ts';
import { planSweep, runSets } from '../../src/sweep/plan.ts';
import { loadSweepFile } from '../../src/sweep/sweep-file.ts';
import { prepareTraining } from '../../src/train/run.ts';
import { train } from '../../src/train/trainer.ts';

const RESULTS = join('configs', 'sweeps', 'results');
const readme = readFileSync('README.md', 'utf8');
const dirs = readdirSync(RESULTS).sort();

describe("README Findings == fxsim findings on the committed sweep results", () => {
  it('there are committed results', () => expect(dirs.length).toBeGreaterThanOrEqual(4));
  for (const d of dirs) {
    it(`${d}: the README block is the generated one`, () => {
      expect(readme).toContain(findingsMarkdown(join(RESULTS, d)));
    });
  }
});

describe('the committed results come from the shipped sweep files', () => {
  // a few runs of each, chosen where something happens (cheap ones: seconds)
  const samples: [string, Record<string, number | string>][] = [
    ['mnist-lr-fraction', { 'params.F': 16, 'training.lr_shift': 10 }],
    ['mnist-lr-fraction', { 'params.F': 30, 'training.lr_shift': 6 }],
    ['iris-lr-fraction', { 'params.F': 13, 'training.lr_shift': 16 }],
    ['iris-lr-fraction', { 'params.F': 0, 'training.lr_shift': -5 }],
    ['mnist-rounding-realinit', { 'params.F': 6, 'training.update.rounding': 'STOCH', 'training.lr_shift': 9 }],
  ];
  for (const [sweep, params] of samples) {
    it(`${sweep} ${JSON.stringify(params)}`, () => {
      const plan = planSweep(loadSweepFile(join('configs', 'sweeps', `${sweep}.yaml`)));
      const rows = readResultsCsv(join(RESULTS, sweep, 'results.csv'));
      const point = plan.points.find((p) => Object.entries(params).every(([k, v]) => p.params[k] === v))!;
      expect(point).toBeDefined();
      const row = rows.find((r) => r.point === point.index && r.repeat === 0)!;
      const { plan: tp, data } = prepareTraining({ config: plan.sweep.basePath, sets: runSets(point, 0) });
      const r = train(tp, data);
      // results.csv keeps 6 significant digits
      expect(r.testAccuracy).toBeCloseTo(row.test_accuracy as number, 6);
      expect(r.runningAccuracy).toBeCloseTo(row.running_accuracy as number, 6);
    }, 60_000);
  }
});
