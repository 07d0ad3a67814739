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
 * Load a run's config as the worker will (base + sets) and build its training plan: every check
 * a run makes before it needs the data. A training-plan error has a key path but no file: it is
 * located in the base config.
 */
function loadPoint(basePath: string, sets: string[]): LoadedConfig {
  return loadConfig(basePath, sets); // builds (and so checks, with locations) the training plan too
}

/**
 * The --set that made a point fail to load with `e`: the one the error names (a --set value, or
 * a `${...}` that used it); else the first whose addition makes the base config fail (an error
 * found elsewhere: a range that no longer fits the format a parameter changed). Undefined when
 * the base config fails on its own.
 */
function culprit(basePath: string, sets: readonly string[], e: FxInputError): string | undefined {
  const where = e.where ?? '';
  // (the point's own values are last: looked at first)
  const named = [...sets].reverse().find((t) => where === `--set ${t}` || where.includes(`--set ${t})`) || where.includes(`--set ${t}, `));
  if (named !== undefined) return named;
  for (let k = 0; k <= sets.length; k++) {
    try {
      loadPoint(basePath, sets.slice(0, k));
    } catch (again) {
      if (!(again instanceof FxInputError)) throw again;
      return k === 0 ? undefined : sets[k - 1];
    }
  }
  return undefined;
}

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
      loaded = loadPoint(sweep.basePath, sets);
    } catch (e) {
      if (!(e instanceof FxInputError)) throw e;
      const set = culprit(sweep.basePath, sets, e);
      if (set === undefined) throw e;
      // the loader's message names the --set when it found the value itself; else say which one
      const named = e.message.includes(`--set ${set}`) ? e.message : `--set ${set}: ${e.message}`;
      throw errorAt(src, origin.get(set)!, `point ${point.index}: ${named}`);
    }
    if (!loaded.config.training) throw errorAt(src, ['base'], `${sweep.base} has no training section: a sweep trains every point (lr_shift at least)`);
    if (!loaded.config.dataset) throw errorAt(src, ['base'], `${sweep.base} has no dataset section: a sweep trains every point (e.g. dataset: { name: iris })`);
    const seed = loaded.config.training.seed;
    if (seed + sweep.repeats - 1 > 0xffffffff) throw errorAt(src, ['repeats'], `point ${point.index}: seeds ${seed}..${seed + sweep.repeats - 1} go past 4294967295`);
    return { ...point, sets, seed };
  });
  return { sweep, points, repeats: sweep.repeats, totalRuns: points.length * sweep.repeats, paramKeys: paramKeys(points) };
}
