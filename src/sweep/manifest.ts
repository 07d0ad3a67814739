import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.ts';
import type { SweepPlan } from './plan.ts';
import { shardRuns, type Shard } from './shard.ts';
import type { SweepValue } from './sweep-file.ts';

export const MANIFEST = 'manifest.json';

/** manifest.json of a sweep result directory: what was swept, so that results can be read and plotted alone. */
export interface SweepManifest {
  fxsim_version: string;
  sweep: string;
  description: string | null;
  sweep_file: string;
  /** sha256 of the sweep file's text: resuming and merging require the same. */
  sweep_sha256: string;
  base: string;
  /** sha256 of the base config file's text: resuming refuses a changed base (its runs would differ). */
  base_sha256: string;
  axes: { key: string; values: SweepValue[] }[];
  /** The explicit extra points, after the grid's. */
  points: Record<string, SweepValue>[];
  set: Record<string, SweepValue>;
  steps: number | null;
  repeats: number;
  /** Every training.seed the runs use, ascending. */
  seeds: number[];
  /** Every key the points set: the params columns of results.csv. */
  param_keys: string[];
  total_points: number;
  total_runs: number;
  /** This directory's shard (null: every run), and how many runs it has. */
  shard: (Shard & { runs: number }) | null;
  plots: Record<string, unknown> | null;
}

/** fxsim's version, from package.json (not through the CLI module: that would be an import cycle). */
function fxsimVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export function buildManifest(plan: SweepPlan, shard: Shard | undefined): SweepManifest {
  const s = plan.sweep;
  const seeds = new Set<number>();
  for (const p of plan.points) for (let r = 0; r < plan.repeats; r++) seeds.add(p.seed + r);
  return {
    fxsim_version: fxsimVersion(),
    sweep: s.name,
    description: s.description ?? null,
    sweep_file: s.file,
    sweep_sha256: s.sha256,
    base: s.base,
    base_sha256: createHash('sha256').update(readFileSync(s.basePath)).digest('hex'),
    axes: s.axes.map((a) => ({ key: a.key, values: a.values })),
    points: s.points,
    set: s.set,
    steps: s.steps ?? null,
    repeats: plan.repeats,
    seeds: [...seeds].sort((a, b) => a - b),
    param_keys: plan.paramKeys,
    total_points: plan.points.length,
    total_runs: plan.totalRuns,
    shard: shard ? { ...shard, runs: shardRuns(plan.totalRuns, shard).length } : null,
    plots: s.plots ?? null,
  };
}

/** The manifest of a result directory, or undefined when it has none. */
export function readManifest(dir: string): SweepManifest | undefined {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const m = JSON.parse(text) as SweepManifest;
    if (typeof m?.sweep_sha256 !== 'string' || typeof m.total_runs !== 'number') throw new Error('not a sweep manifest');
    return m;
  } catch (e) {
    return inputError(`not a sweep manifest: ${(e as Error).message}`, path);
  }
}

export const manifestText = (m: SweepManifest): string => `${JSON.stringify(m, null, 2)}\n`;
