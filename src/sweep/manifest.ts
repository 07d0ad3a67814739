import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.ts';
import { readProblem } from './jsonl.ts';
import type { SweepPlan } from './plan.ts';
import { shown } from './records.ts';
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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with a parsed manifest.json, checking the fields that sweep and merge rely on; undefined when nothing. */
function manifestProblem(m: unknown): string | undefined {
  if (!isObj(m)) return `expected a JSON object, got ${Array.isArray(m) ? 'a list' : shown(m)}`;
  const missing = (key: string) => (m[key] === undefined ? `no '${key}'` : undefined);
  for (const key of ['sweep', 'sweep_sha256']) if (typeof m[key] !== 'string') return missing(key) ?? `'${key}' must be a string, not ${shown(m[key])}`;
  // directories started before base_sha256 was recorded have none
  if (m.base_sha256 !== undefined && typeof m.base_sha256 !== 'string') return `'base_sha256' must be a string, not ${shown(m.base_sha256)}`;
  for (const [key, min] of [['total_runs', 0], ['repeats', 1]] as const) {
    const v = m[key];
    if (!(Number.isSafeInteger(v) && (v as number) >= min)) return missing(key) ?? `'${key}' must be a whole number >= ${min}, not ${shown(v)}`;
  }
  if (!Array.isArray(m.param_keys) || !m.param_keys.every((k) => typeof k === 'string')) return missing('param_keys') ?? `'param_keys' must be a list of strings`;
  const s = m.shard;
  if (s !== undefined && s !== null && !(isObj(s) && Number.isSafeInteger(s.index) && Number.isSafeInteger(s.count))) return `'shard' must be null or { index, count }, not ${shown(s)}`;
  return undefined;
}

/** The manifest of a result directory, or undefined when it has none. */
export function readManifest(dir: string): SweepManifest | undefined {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return inputError(`cannot read: ${readProblem(e)}`, path);
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return inputError(`not a sweep manifest: not JSON (${(e as Error).message.split('\n')[0]})`, path);
  }
  const problem = manifestProblem(m);
  if (problem) inputError(`not a sweep manifest: ${problem}`, path);
  return m as SweepManifest;
}

export const manifestText = (m: SweepManifest): string => `${JSON.stringify(m, null, 2)}\n`;
