import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurveLine, ResultLine } from '../../src/sweep/records.ts';

/** Shared by the sweep tests: a small Iris sweep and readers of its result files. */

/** 4 lr_shift values x 2 roundings + 1 explicit point, 2 repeats: 18 runs of a few hundred steps. */
export const SMALL_SWEEP = [
  'fxsim: 1',
  'sweep: iris-test',
  'base: study/iris-linear-f16-lr10',
  'steps: 400',
  'repeats: 2',
  'grid:',
  '  training.lr_shift: { range: [6, 12, 2] }',
  '  training.update.rounding: [TRN, RND_CONV]',
  'points:',
  '  - { training.lr_shift: 10, training.update.rounding: STOCH }',
  'set: { training.metrics_every: 100 }',
  'plots: { heatmap: { x: training.update.rounding, y: training.lr_shift, value: test_accuracy } }',
  '',
].join('\n');

export function writeSweep(dir: string, text = SMALL_SWEEP, name = 'sweep.yaml'): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const lines = <T>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);

export const readResults = (dir: string): ResultLine[] => lines<ResultLine>(join(dir, 'results.jsonl'));
export const readCurves = (dir: string): CurveLine[] => lines<CurveLine>(join(dir, 'curves.jsonl'));

/** Results sorted by run, without the timing fields (which differ between two runs of the same thing). */
export const untimed = (rows: ResultLine[]) => [...rows].sort((a, b) => a.run - b.run).map(({ elapsed_ms: _e, us_per_sample: _u, ...r }) => r);

/** Curve lines sorted by run, then step. */
export const sortedCurves = (rows: CurveLine[]) => [...rows].sort((a, b) => a.run - b.run || a.step - b.step);

/** results.csv without its timing columns. */
export function untimedCsv(dir: string): string[][] {
  const [header, ...rows] = readFileSync(join(dir, 'results.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
  const keep = header.map((h, i) => (h === 'elapsed_ms' || h === 'us_per_sample' ? -1 : i)).filter((i) => i >= 0);
  return [header, ...rows].map((r) => keep.map((i) => r[i]));
}
