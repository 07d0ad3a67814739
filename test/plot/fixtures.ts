import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tiny deterministic generator (mulberry32), so fixtures are the same every time. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SweepFixture {
  axes: { key: string; values: (number | string)[] }[];
  repeats: number;
  steps?: number[];
  layers?: string[];
  plots?: unknown;
  description?: string;
  /** Leave these out of the files. */
  noManifest?: boolean;
  noCurves?: boolean;
}

const layerStats = (r: () => number, step: number) => ({
  delta_mean: (r() - 0.5) * 1000 / step,
  delta_var: 1e6 * (1 + r()) / step,
  zero_delta_fraction: r() * 0.2,
  inactive_neurons: Math.floor(r() * 5 + step / 1000),
  updates_to_zero: Math.floor(r() * 100),
});

/**
 * Write a sweep results directory in the `fxsim sweep` format: manifest.json, results.jsonl and
 * curves.jsonl (lines in a scrambled order, as parallel workers would finish). Returns its path.
 * Accuracy rises with F and peaks at a middle lr_shift, so a picture has something to show.
 */
export function writeSweep(f: SweepFixture, dir = mkdtempSync(join(tmpdir(), 'fxsim-plot-'))): string {
  mkdirSync(dir, { recursive: true });
  const r = rng(7);
  const steps = f.steps ?? [1000, 2000, 3000, 4000];
  const layers = f.layers ?? ['L0'];
  // the grid, first axis outermost
  let grid: Record<string, number | string>[] = [{}];
  for (const a of f.axes) grid = grid.flatMap((g) => a.values.map((v) => ({ ...g, [a.key]: v })));
  const results: string[] = [];
  const curves: string[] = [];
  let run = 0;
  const seeds: number[] = [];
  for (let rep = 0; rep < f.repeats; rep++) seeds.push(rep + 1);
  grid.forEach((params, point) => {
    const quality = Object.values(params).reduce<number>((q, v, i) => q + (typeof v === 'number' ? Math.sin(v + i) * 0.1 : 0.05), 0.6);
    for (let repeat = 0; repeat < f.repeats; repeat++, run++) {
      const finalAcc = Math.min(0.99, Math.max(0.05, quality + (r() - 0.5) * 0.05));
      for (const step of steps) {
        const acc = finalAcc * (1 - Math.exp(-step / 1500)) + (r() - 0.5) * 0.02;
        curves.push(JSON.stringify({ point, repeat, run, step, running_accuracy: acc, interval_accuracy: acc + 0.01, layers: Object.fromEntries(layers.map((l) => [l, layerStats(r, step)])) }));
      }
      results.push(JSON.stringify({
        sweep: 'fixture', point, repeat, run, seed: seeds[repeat], params, sets: Object.entries(params).map(([k, v]) => `${k}=${v}`),
        steps: steps[steps.length - 1], running_accuracy: finalAcc, test_accuracy: finalAcc - 0.01, test_samples: 1000,
        elapsed_ms: 100 + run, us_per_sample: 1.5 + run / 100,
        final: Object.fromEntries(layers.map((l) => [l, layerStats(r, 4000)])), events: {}, resolved: {},
      }));
    }
  });
  // parallel workers finish out of order
  const scramble = (lines: string[]) => lines.map((l, i) => [((i * 7919) % 104729), l] as const).sort((a, b) => a[0] - b[0]).map(([, l]) => l);
  if (!f.noManifest) {
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
      sweep: 'fixture', ...(f.description ? { description: f.description } : {}), axes: f.axes, repeats: f.repeats, seeds, total_runs: run,
      ...(f.plots ? { plots: f.plots } : {}), version: '0.1.0',
    }, null, 2));
  }
  writeFileSync(join(dir, 'results.jsonl'), scramble(results).map((l) => `${l}\n`).join(''));
  if (!f.noCurves) writeFileSync(join(dir, 'curves.jsonl'), scramble(curves).map((l) => `${l}\n`).join(''));
  return dir;
}

/** A `fxsim train` output directory: metrics.jsonl (and summary.json unless told otherwise). */
export function writeTrainRun(opts: { summary?: boolean; layers?: string[] } = {}, dir = mkdtempSync(join(tmpdir(), 'fxsim-plot-train-'))): string {
  const r = rng(3);
  const layers = opts.layers ?? ['L0', 'L1'];
  const rows: string[] = [];
  for (let step = 1000; step <= 10000; step += 1000) {
    const acc = 0.9 * (1 - Math.exp(-step / 2000));
    rows.push(JSON.stringify({ step, running_accuracy: acc, interval_accuracy: acc, layers: Object.fromEntries(layers.map((l) => [l, layerStats(r, step)])), events: { 'L0.mac': { overflows: 0, saturations: 0, stochasticDraws: 0 } } }));
  }
  writeFileSync(join(dir, 'metrics.jsonl'), rows.map((l) => `${l}\n`).join(''));
  if (opts.summary !== false) {
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ name: 'mnist-f20-lr10', out: dir, steps: 10000, runningAccuracy: 0.89, testAccuracy: 0.9, testSamples: 10000, elapsedMs: 1000, usPerSample: 2.5, events: {}, files: [] }, null, 2));
  }
  return dir;
}
