import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { closeConfigNames, errorAt, listConfigs, parseYaml, readText, validate, type Source } from '../config/load.ts';
import { FxInputError } from '../core/errors.ts';
import { parseHints } from '../plot/read-results.ts';
import type { ParamValue } from '../plot/types.ts';

/**
 * A sweep file: a base training config and the `--set` overrides of every point.
 *
 *   fxsim: 1
 *   sweep: iris-lr                       # name: the default output directory out/sweeps/<name>
 *   base: ../configs/study/iris-linear-f16-lr10.yaml   # relative to this file, or a shipped config name
 *   steps: 2000                          # training.steps of every point
 *   seed: 1                              # base seed (default: the base config's training.seed)
 *   repeats: 3                           # repeat r trains with seed + r
 *   grid:                                # cartesian product, first key outermost
 *     training.lr_shift: { range: [4, 12, 2] }
 *     training.update.rounding: [TRN, RND_CONV]
 *   points: [{ training.lr_shift: 10 }]  # extra points, after the grid
 *   set: { training.metrics_every: 100 } # fixed overrides of every point
 *   plots: { ... }                       # hints for the plotter, passed through to manifest.json
 *
 * Every problem is one FxInputError line `file:line:col: key.path: message`.
 */

/** A value a key may take: what `--set key=value` can express. */
export type SweepValue = number | string | boolean | SweepValue[] | { [k: string]: SweepValue };

/** `training.lr_shift`, `layers.0.units.1.by`: a dotted config key as --set takes it (checked after zod, to point at the key). */
const SET_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const setKey = z.string();
const value: z.ZodType<SweepValue> = z.lazy(() => z.union([z.number(), z.string(), z.boolean(), z.array(value), z.record(z.string(), value)]));
const range = z.strictObject({
  range: z.array(z.number().int()).min(2).max(3)
    .meta({ description: '[first, last] or [first, last, step]: integers from first to last inclusive' }),
});
const axis = z.union([z.array(value).min(1), range]);

export const sweepFileSchema = z.strictObject({
  fxsim: z.literal(1).optional(),
  sweep: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a sweep name is a directory name: letters, digits, _ . - (not starting with . _ -)'),
  description: z.string().optional(),
  base: z.string().min(1),
  steps: z.number().int().min(1).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  repeats: z.number().int().min(1).max(10000).optional(),
  grid: z.record(setKey, axis).optional(),
  points: z.array(z.record(setKey, value)).optional(),
  set: z.record(setKey, value).optional(),
  plots: z.record(z.string(), z.unknown()).optional(),
});

/** Where in the sweep file a value came from: a key path for errorAt. */
export type SweepPath = (string | number)[];

export interface SweepAxis {
  key: string;
  values: SweepValue[];
  /** Key path of each value in the file (a range: the range itself). */
  paths: SweepPath[];
}

export interface SweepFile {
  name: string;
  description?: string;
  /** The file as given, its text and the sha256 of the text (a changed file is a different sweep). */
  file: string;
  text: string;
  sha256: string;
  /** `base` as written, and the config file it resolved to. */
  base: string;
  basePath: string;
  steps?: number;
  seed?: number;
  repeats: number;
  axes: SweepAxis[];
  points: Record<string, SweepValue>[];
  set: Record<string, SweepValue>;
  plots?: Record<string, unknown>;
  /** The parsed file, to locate errors found later (a point whose config does not load). */
  source: Source;
}

/** More points than this is a mistake (a range step forgotten), not a sweep. */
export const MAX_POINTS = 1_000_000;

/** What a path is, for `base`: a file, a directory, or nothing usable. */
const kindOf = (p: string): 'file' | 'dir' | 'none' => {
  try {
    const st = statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'none';
  } catch {
    return 'none';
  }
};

/** `base`: a file relative to the sweep file's directory, else a shipped config by name. */
function resolveBase(src: Source, base: string): string {
  const local = resolve(dirname(src.file), base);
  const kind = kindOf(local);
  if (kind === 'file') return local;
  const shipped = listConfigs();
  const name = base.replace(/\\/g, '/').replace(/^(\.\/)?configs\//, '').replace(/\.ya?ml$/, '');
  const found = !isAbsolute(base) && shipped.find((c) => c.name === name);
  if (found) return found.path;
  // (a shipped config of that name wins: `base: study` could name both)
  if (kind === 'dir') throw errorAt(src, ['base'], `'${base}' is a directory (${local}), not a config file: name a .yaml file in it`);
  const close = closeConfigNames(base, shipped.map((c) => c.name));
  throw errorAt(src, ['base'], `cannot find base config '${base}': no such file next to the sweep file, nor a shipped config of that name${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
}

function rangeValues(src: Source, path: SweepPath, r: number[]): number[] {
  const [first, last] = r;
  const step = r[2] ?? (last >= first ? 1 : -1);
  if (step === 0) throw errorAt(src, path, 'a range step of 0 never ends');
  if ((last - first) * step < 0) throw errorAt(src, path, `step ${step} goes away from ${last}: from ${first} count ${last > first ? 'up' : 'down'} (a positive step for first <= last)`);
  const n = Math.floor((last - first) / step) + 1;
  if (n > MAX_POINTS) throw errorAt(src, path, `${n} values: more than ${MAX_POINTS}`);
  return Array.from({ length: n }, (_, i) => first + i * step);
}

/** Read, validate and resolve a sweep file. Throws FxInputError (one located line) on any problem. */
export function loadSweepFile(file: string): SweepFile {
  const text = readText(file, 'sweep file');
  const src = parseYaml(text, file);
  const raw = validate(sweepFileSchema, src);
  const keyMaps: [SweepPath, object | undefined][] = [[['grid'], raw.grid], [['set'], raw.set], ...(raw.points ?? []).map((p, i): [SweepPath, object] => [['points', i], p])];
  for (const [path, map] of keyMaps) {
    const bad = Object.keys(map ?? {}).find((k) => !SET_KEY.test(k));
    if (bad !== undefined) throw errorAt(src, [...path, bad], `'${bad}' is not a config key: expected dotted names such as training.lr_shift`, 'key');
  }
  const gridKeys = Object.keys(raw.grid ?? {});
  if (raw.grid && gridKeys.length === 0) throw errorAt(src, ['grid'], 'an empty grid: give at least one key and its values (or leave grid out and list points)');
  if (!raw.grid && !raw.points?.length) throw errorAt(src, [], 'nothing to run: give a grid, points, or both');
  const axes = gridKeys.map((key): SweepAxis => {
    const a = raw.grid![key];
    if (Array.isArray(a)) return { key, values: a, paths: a.map((_, i) => ['grid', key, i]) };
    const path = ['grid', key, 'range'];
    const values = rangeValues(src, path, a.range);
    return { key, values, paths: values.map(() => path) };
  });
  // a value listed twice would run the same point twice; a `set` key that is also swept would be
  // overridden by every point: both are mistakes, not requests
  for (const a of axes) {
    const seen = new Map<string, number>();
    a.values.forEach((v, i) => {
      const k = JSON.stringify(v);
      if (seen.has(k)) throw errorAt(src, a.paths[i], `${k} is already value ${seen.get(k)} of ${a.key}: each point would run twice (use repeats for that)`);
      seen.set(k, i);
    });
  }
  const swept = Object.keys(raw.set ?? {}).find((k) => gridKeys.includes(k));
  if (swept !== undefined) throw errorAt(src, ['set', swept], `'${swept}' is also a grid key, whose values override this one at every point: set it in one place`, 'key');
  const gridPoints = axes.reduce((n, a) => n * a.values.length, 1);
  if (gridPoints > MAX_POINTS) throw errorAt(src, ['grid'], `the grid has ${gridPoints} points: more than ${MAX_POINTS}`);
  // the plotter's hints, checked now rather than after the runs (fxsim plot reads them back)
  if (raw.plots !== undefined) {
    try {
      parseHints({ plots: raw.plots }, axes.map((a) => ({ key: a.key, values: a.values as ParamValue[] })), 'plots');
    } catch (e) {
      if (e instanceof FxInputError) throw errorAt(src, ['plots'], e.message.replace(/^plots: (plots\.)?/, ''));
      throw e;
    }
  }
  const repeats = raw.repeats ?? 1;
  if (raw.seed !== undefined && raw.seed + repeats - 1 > 0xffffffff) throw errorAt(src, ['repeats'], `seeds ${raw.seed}..${raw.seed + repeats - 1} go past 4294967295`);
  return {
    name: raw.sweep,
    ...(raw.description !== undefined && { description: raw.description }),
    file,
    text,
    sha256: createHash('sha256').update(text).digest('hex'),
    base: raw.base,
    basePath: resolveBase(src, raw.base),
    ...(raw.steps !== undefined && { steps: raw.steps }),
    ...(raw.seed !== undefined && { seed: raw.seed }),
    repeats,
    axes,
    points: raw.points ?? [],
    set: raw.set ?? {},
    ...(raw.plots !== undefined && { plots: raw.plots }),
    source: src,
  };
}
