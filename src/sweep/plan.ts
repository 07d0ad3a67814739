import { parse } from 'yaml';
import { errorAt, loadConfig, type LoadedConfig } from '../config/load.ts';
import { FxInputError } from '../core/errors.ts';
import { expandPoints, paramKeys, type SweepPoint } from './expand.ts';
import type { SweepFile, SweepPath, SweepValue } from './sweep-file.ts';

/** A point ready to run: its `--set` arguments and its seed, its config known to load. */
export interface PlannedPoint extends SweepPoint {
  /** In the order they apply (a later one wins): steps, seed, set, then the point's own keys. */
  sets: string[];
  /** training.seed of repeat 0; repeat r trains with seed + r. */
  seed: number;
}

export interface SweepPlan {
  sweep: SweepFile;
  points: PlannedPoint[];
  repeats: number;
  totalRuns: number;
  /** Every key the points set, in order of first appearance. */
  paramKeys: string[];
}

/** A value as `--set` reads it (YAML): plain when YAML reads it back the same, JSON otherwise. */
export function setValueText(v: SweepValue): string {
  if (typeof v === 'string') {
    let same = false;
    try {
      same = !/[\r\n]/.test(v) && parse(v) === v;
    } catch {
      /* not plain YAML: quote it */
    }
    return same ? v : JSON.stringify(v);
  }
  return JSON.stringify(v);
}

/** The --set arguments of run `repeat` of a point: the point's, then its seed. */
export const runSets = (p: PlannedPoint, repeat: number): string[] => [...p.sets, `training.seed=${p.seed + repeat}`];

/**
 * Expand a sweep into points and load every point's config (base + its sets) before anything
 * runs, so a bad value fails at once: one line locating the value in the sweep file and naming
 * the point and its --set. (Dataset problems show only when a run loads the data.)
 */
export function planSweep(sweep: SweepFile): SweepPlan {
  const src = sweep.source;
  const points = expandPoints(sweep).map((point): PlannedPoint => {
    const sets: string[] = [];
    const origin = new Map<string, SweepPath>();
    const add = (key: string, v: SweepValue, path: SweepPath) => {
      const text = `${key}=${setValueText(v)}`;
      sets.push(text);
      origin.set(text, path);
    };
    if (sweep.steps !== undefined) add('training.steps', sweep.steps, ['steps']);
    if (sweep.seed !== undefined) add('training.seed', sweep.seed, ['seed']);
    for (const [k, v] of Object.entries(sweep.set)) add(k, v, ['set', k]);
    for (const [k, v] of Object.entries(point.params)) add(k, v, point.paths[k]);
    let loaded: LoadedConfig;
    try {
      loaded = loadConfig(sweep.basePath, sets);
    } catch (e) {
      const where = e instanceof FxInputError && e.where?.startsWith('--set ') ? origin.get(e.where.slice('--set '.length)) : undefined;
      if (where) throw errorAt(src, where, `point ${point.index}: ${(e as Error).message}`);
      throw e;
    }
    if (!loaded.config.training) throw errorAt(src, ['base'], `${sweep.base} has no training section: a sweep trains every point (lr_shift at least)`);
    if (!loaded.config.dataset) throw errorAt(src, ['base'], `${sweep.base} has no dataset section: a sweep trains every point (e.g. dataset: { name: iris })`);
    const seed = loaded.config.training.seed;
    if (seed + sweep.repeats - 1 > 0xffffffff) throw errorAt(src, ['repeats'], `point ${point.index}: seeds ${seed}..${seed + sweep.repeats - 1} go past 4294967295`);
    return { ...point, sets, seed };
  });
  return { sweep, points, repeats: sweep.repeats, totalRuns: points.length * sweep.repeats, paramKeys: paramKeys(points) };
}
