import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepManifest } from '../../src/sweep/manifest.ts';
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

/** A results line of the shape fxsim sweep writes (made-up numbers), for tests of the readers. */
export function resultLine(run: number, repeats = 1, extra: Record<string, unknown> = {}): ResultLine {
  const point = Math.floor(run / repeats);
  const repeat = run % repeats;
  return {
    sweep: 'made-up', point, repeat, run, seed: 1 + repeat, params: { 'training.lr_shift': 6 + point }, sets: [`training.lr_shift=${6 + point}`, `training.seed=${1 + repeat}`],
    steps: 100, running_accuracy: 0.5, test_accuracy: 0.75, test_samples: 4, elapsed_ms: 10, us_per_sample: 0.1,
    final: { L0: { delta_mean: 1, delta_var: 2, zero_delta_fraction: 0, inactive_neurons: 0, updates_to_zero: 3 } }, events: {}, resolved: {}, ...extra,
  };
}

/** A curves line of the shape fxsim sweep writes (made-up numbers). */
export function curveLine(run: number, step: number, repeats = 1, extra: Record<string, unknown> = {}): CurveLine {
  return { point: Math.floor(run / repeats), repeat: run % repeats, run, step, running_accuracy: 0.5, interval_accuracy: 0.5, layers: {}, ...extra };
}

/** JSON lines of rows (raw text lines pass as they are). */
export const jsonl = (rows: readonly unknown[]): string => rows.map((r) => `${typeof r === 'string' ? r : JSON.stringify(r)}\n`).join('');

/** A manifest.json of the shape fxsim sweep writes (made up), with `change` applied. */
export function manifest(change: Partial<Record<keyof SweepManifest, unknown>>): SweepManifest {
  return {
    fxsim_version: '0.0.0', sweep: 'made-up', description: null, sweep_file: 'made-up.yaml', sweep_sha256: 'a'.repeat(64), base: 'base.yaml', base_sha256: 'b'.repeat(64),
    axes: [{ key: 'training.lr_shift', values: [6, 7] }], points: [], set: {}, steps: 100, repeats: 1, seeds: [1], param_keys: ['training.lr_shift'],
    total_points: 2, total_runs: 2, shard: null, plots: null, ...change,
  } as SweepManifest;
}
