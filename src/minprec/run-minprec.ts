import { availableParallelism } from 'node:os';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { FxInputError, inputError } from '../core/errors.ts';
import { findQuantMode, QUANT_MODE_NAMES } from '../core/modes.ts';
import { createProgress, type ProgressStream } from '../io/progress.ts';
import { inProcessExecutor, poolExecutor, type RunExecutor } from '../sweep/executor.ts';
import type { RunOutcome } from '../sweep/train-run.ts';
import { coarseLrs, searchMinimum, type Accuracy, type Evaluate, type LrRange, type MinimumResult } from './search.ts';

/** `fxsim minprec`: the smallest precision that trains to a target accuracy, found by search. */

export type MinprecMetric = 'test' | 'running';

export interface MinprecOptions {
  /** The config: a file or a shipped config's name. */
  config: string;
  /** Target accuracy, in (0, 1]. */
  target: number;
  /** The config parameter that moves precision (default F). */
  param?: string;
  /** The precision range, inclusive (default 0..32). */
  range?: [number, number];
  /** training.lr_shift range, inclusive (default the config's lr_shift ± 6). */
  lr?: [number, number];
  /** Rounding modes, one result row each (default: one row, the config as it is). */
  over?: string[];
  /** Keys a rounding mode is set through (default training.update.rounding); params.R when the config has it. */
  roundingKeys?: string[];
  /** Also minimize params W (weight width) and A (accumulator width) at the minimum precision. */
  widths?: boolean;
  /** Their ranges (default 1..the config's value). */
  wRange?: [number, number];
  aRange?: [number, number];
  /** Accuracy compared to the target (default test when the config has a test split, else running). */
  metric?: MinprecMetric;
  steps?: number;
  seed?: number;
  /** `--set key=value`, applied to every run. */
  sets?: string[];
  /** Worker threads (default os.availableParallelism()); 1 trains in this thread. */
  workers?: number;
  quiet?: boolean;
  /** Where progress goes (default stderr). */
  progress?: ProgressStream;
}

/** One searched parameter's result, as printed and written to JSON. */
export interface SearchReport {
  param: string;
  range: [number, number];
  reached: boolean;
  min: number | null;
  at_low: boolean;
  best_lr: number | null;
  accuracy: number | null;
  /** min - 1, its best lr and accuracy (it does not reach the target). */
  below: { value: number; best_lr: number | null; accuracy: number | null } | null;
  /** When not reached: the best the top of the range gave. */
  top: { value: number; best_lr: number | null; accuracy: number | null };
  runs: number;
  grid: number;
  /** Values probed where no run loaded or trained (they count as not reaching), and the first reason. */
  unloaded: { values: number[]; reason: string } | null;
  /** Every value probed: its best lr, accuracy and every lr tried (complete: the lr search ran to the end, else it stopped at the first lr reaching the target). */
  probes: { value: number; reached: boolean; complete: boolean; best_lr: number | null; accuracy: number | null; lrs: { lr: number; accuracy: number | null }[] }[];
  /** Wall time of this search (the rounding modes search at the same time, sharing the threads). */
  wall_ms: number;
  /** The other params fixed during this search (widths: the precision found first). */
  fixed: Record<string, number>;
}

export interface MinprecRow {
  /** The rounding mode, or `<mode> (config)` for the config as it is. */
  rounding: string;
  precision: SearchReport;
  /** --widths: W and A at the minimum precision, or why not. */
  widths?: { W?: SearchReport; A?: SearchReport; note?: string };
}

export interface MinprecResult {
  /** The config argument, and the file it resolved to. */
  config: string;
  config_file: string;
  name: string;
  param: string;
  target: number;
  metric: MinprecMetric;
  steps: number;
  seed: number | null;
  lr: [number, number];
  sets: string[];
  /** How a rounding mode is set: the --set keys, or params.R. */
  rounding_via: string[];
  rows: MinprecRow[];
  /** Runs trained in all (each distinct run once), and the full grids' size. */
  runs: number;
  grid: number;
  workers: number;
  wall_ms: number;
}

const DEFAULT_ROUNDING_KEY = 'training.update.rounding';

/** `LO..HI` (integers, LO <= HI) or a one-line error naming the option. */
export function parseRange(text: string, option: string): [number, number] {
  const m = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/.exec(text);
  if (!m) inputError(`expected LO..HI with integers, e.g. 0..32`, `${option} ${text}`);
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (lo > hi) inputError(`LO must be <= HI`, `${option} ${text}`);
  return [lo, hi];
}

/** Rounding mode names (a list, or comma-separated) to their canonical names, or a one-line error. */
export function parseModes(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    const m = findQuantMode(name) ?? inputError(`unknown rounding mode '${name}' (one of ${QUANT_MODE_NAMES.join(', ')})`, `--over ${list.join(',')}`);
    if (!out.includes(m)) out.push(m);
  }
  if (out.length === 0) inputError('no rounding mode given', '--over');
  return out;
}

/** The value at a dotted key path of a plain object. */
function valueAt(obj: unknown, key: string): unknown {
  let v = obj;
  for (const seg of key.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

const numericParam = (loaded: LoadedConfig, name: string): number | undefined => {
  const v = (loaded.config.params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'number' ? v : undefined;
};

interface Mode {
  label: string;
  sets: string[];
}

/** Load a run's config as a worker would (config + training plan): null when it loads, else why not (checked here: cheap, and nothing is sent to a worker). */
function loadProblem(config: string, sets: string[]): string | null {
  try {
    loadConfig(config, sets); // builds (and so checks) the training plan too
    return null;
  } catch (e) {
    if (e instanceof FxInputError) return e.message;
    throw e;
  }
}

/**
 * Run the searches: one per rounding mode (concurrently, sharing the executor), each the
 * bisection of searchMinimum with the lr search at every probed value, then --widths.
 */
export async function runMinprec(opts: MinprecOptions): Promise<MinprecResult> {
  const t0 = performance.now();
  const { target } = opts;
  if (!(Number.isFinite(target) && target > 0 && target <= 1)) inputError('must be in (0, 1], e.g. 0.9', `--target ${target}`);
  if (opts.workers !== undefined && !(Number.isInteger(opts.workers) && opts.workers >= 1)) inputError('expected a whole number >= 1', `--workers ${opts.workers}`);
  if (opts.steps !== undefined && !(Number.isInteger(opts.steps) && opts.steps >= 1)) inputError('expected a whole number >= 1', `--steps ${opts.steps}`);
  if (opts.seed !== undefined && !Number.isInteger(opts.seed)) inputError('expected an integer', `--seed ${opts.seed}`);
  const param = opts.param ?? 'F';
  const [lo, hi] = opts.range ?? [0, 32];
  const modes0 = opts.over ? parseModes(opts.over) : undefined;

  const sets = [...(opts.sets ?? []).map(String)];
  if (opts.steps !== undefined) sets.push(`training.steps=${opts.steps}`);
  if (opts.seed !== undefined) sets.push(`training.seed=${opts.seed}`);
  const loaded = loadConfig(opts.config, sets);
  const training = loaded.config.training;
  if (!training) inputError('this config has no training section: fxsim minprec trains it (lr_shift at least)', loaded.path);
  if (!loaded.config.dataset) inputError('this config has no dataset section: fxsim minprec trains it (e.g. dataset: { name: iris })', loaded.path);
  const params = (loaded.config.params ?? {}) as Record<string, unknown>;
  if (numericParam(loaded, param) === undefined) {
    const has = Object.keys(params);
    inputError(`${has.length ? `the config's params (${has.join(', ')}) have no number '${param}'` : 'the config has no params section'}: fxsim minprec moves precision through params.${param} (--param NAME), used as \${${param}} in the formats; configs/study/mnist-f20-lr10.yaml and configs/study/iris-linear-f16-lr10.yaml declare params: { F: ... }`, loaded.path);
  }
  const lrShift = training.lr_shift;
  const [lrLo, lrHi] = opts.lr ?? [lrShift - 6, lrShift + 6];
  const lrRange: LrRange = { lo: lrLo, hi: lrHi, center: lrShift };

  // how a rounding mode is set: params.R when the config has it, else the rounding keys
  const viaR = 'R' in params;
  const keys = opts.roundingKeys && opts.roundingKeys.length > 0 ? opts.roundingKeys.map(String) : [DEFAULT_ROUNDING_KEY];
  const roundingVia = viaR ? ['params.R'] : keys;
  let modes: Mode[];
  if (modes0) {
    modes = modes0.map((m) => ({ label: m, sets: viaR ? [`params.R=${m}`] : keys.map((k) => `${k}=${m}`) }));
    // a bad rounding key fails here, once, before anything trains
    for (const m of modes) {
      try {
        loadConfig(opts.config, [...sets, ...m.sets]);
      } catch (e) {
        if (e instanceof FxInputError) throw new FxInputError(e.message, `--over ${m.label}${viaR ? '' : ` through --rounding-key ${keys.join(', ')}`}`);
        throw e;
      }
    }
  } else {
    const v = viaR ? params.R : valueAt(loaded.resolved, keys[0]) ?? valueAt(loaded.config, keys[0]);
    modes = [{ label: `${typeof v === 'string' ? v : 'as is'} (config)`, sets: [] }];
  }

  let widthNote: string | undefined;
  const wParams = opts.widths ? (['W', 'A'] as const).filter((p) => p !== param && numericParam(loaded, p) !== undefined) : [];
  if (opts.widths && wParams.length === 0) widthNote = `the config does not expose its widths: --widths needs params W (weight register width) and/or A (accumulator width), as in configs/minprec/iris-linear-fwa.yaml`;
  const widthRange = (p: 'W' | 'A'): [number, number] => (p === 'W' ? opts.wRange : opts.aRange) ?? [1, numericParam(loaded, p)!];

  const lrCount = lrHi - lrLo + 1;
  const grid = modes.length * ((hi - lo + 1) * lrCount + wParams.reduce((s, p) => s + (widthRange(p)[1] - widthRange(p)[0] + 1) * lrCount, 0));
  const parallel = coarseLrs(lrRange).length * modes.length;
  const threads = Math.max(1, Math.min(opts.workers ?? availableParallelism(), parallel));
  const executor: RunExecutor = threads === 1 ? inProcessExecutor() : poolExecutor(threads);
  if (!opts.quiet) {
    (opts.progress ?? process.stderr).write(`minprec ${loaded.datapath.name}: params.${param} in ${lo}..${hi}, lr_shift ${lrLo}..${lrHi}, target ${target}, ${modes.length} rounding mode(s), on ${threads} thread(s)\n`);
  }
  const progress = opts.quiet ? undefined : createProgress({ total: grid, label: `minprec ${loaded.datapath.name} (of the full grid)`, unit: 'runs', stream: opts.progress });

  // every distinct run trains once: keyed by its --set list
  const memo = new Map<string, Promise<{ accuracy: Accuracy; reason?: string }>>();
  let metric = opts.metric;
  let trained = 0;
  let nextRun = 0;
  let failed: unknown;
  let firstRunError: FxInputError | undefined;
  const runOne = (runSets: string[]) => {
    const key = JSON.stringify(runSets);
    let p = memo.get(key);
    if (!p) {
      p = (async () => {
        if (failed) throw failed;
        const problem = loadProblem(opts.config, runSets);
        if (problem !== null) return { accuracy: null, reason: problem };
        const o: RunOutcome = await executor.run({ run: nextRun++, config: opts.config, sets: runSets });
        if (failed) throw failed;
        if (!o.ok) {
          const what = `run --set ${runSets.slice(sets.length).join(' --set ')}`;
          // an input error of one run (the initial weights do not fit a narrow register...) is a
          // precision that does not train; if no run trains at all, the first one is reported
          if (o.input) {
            firstRunError ??= new FxInputError(`${what}: ${o.message}`, loaded.path);
            return { accuracy: null, reason: o.message };
          }
          throw (failed = Object.assign(new Error(`${what}: ${o.message}`), { stack: o.stack }));
        }
        if (metric === undefined) metric = o.testAccuracy !== undefined ? 'test' : 'running';
        if (metric === 'test' && o.testAccuracy === undefined) {
          throw (failed = new FxInputError('--metric test: the config has no test split (a dataset test_fraction or test files); use --metric running', loaded.path));
        }
        trained++;
        progress?.update(trained);
        return { accuracy: metric === 'test' ? o.testAccuracy! : o.runningAccuracy };
      })();
      memo.set(key, p);
    }
    return p;
  };

  /** One bisection over `name` with `fixed` params, as a report. */
  const search = async (mode: Mode, name: string, range: [number, number], fixed: Record<string, number>): Promise<SearchReport> => {
    const started = performance.now();
    const reasons = new Map<number, string>();
    const evaluate: Evaluate = async (x, lrs) => {
      const outs = await Promise.all(lrs.map((lr) => {
        // a param at the config's own value is left out: the same run keys the same whatever the search
        const moved = Object.entries({ ...fixed, [name]: x }).filter(([k, v]) => numericParam(loaded, k) !== v);
        const runSets = [...sets, ...mode.sets, ...moved.map(([k, v]) => `params.${k}=${v}`), `training.lr_shift=${lr}`];
        return runOne(runSets);
      }));
      outs.forEach((o) => o.reason !== undefined && !reasons.has(x) && reasons.set(x, o.reason));
      return outs.map((o) => o.accuracy);
    };
    const r: MinimumResult = await searchMinimum(evaluate, { lo: range[0], hi: range[1], lr: lrRange, target });
    const unloadedValues = r.probes.filter((p) => p.trials.every((t) => t.accuracy === null)).map((p) => p.x);
    const firstReason = unloadedValues.length ? reasons.get(unloadedValues[0]) : undefined;
    return {
      param: name, range, reached: r.reached, min: r.min, at_low: r.atLow,
      best_lr: r.atMin?.bestLr ?? null, accuracy: r.atMin?.accuracy ?? null,
      below: r.below && { value: r.below.x, best_lr: r.below.bestLr, accuracy: r.below.accuracy },
      top: { value: r.top.x, best_lr: r.top.bestLr, accuracy: r.top.accuracy },
      runs: r.runs, grid: r.grid,
      unloaded: unloadedValues.length ? { values: unloadedValues, reason: firstReason ?? '' } : null,
      probes: r.probes.map((p) => ({ value: p.x, reached: p.reached, complete: p.complete, best_lr: p.bestLr, accuracy: p.accuracy, lrs: p.trials.map((t) => ({ lr: t.lr, accuracy: t.accuracy })) })),
      wall_ms: performance.now() - started, fixed,
    };
  };

  const row = async (mode: Mode): Promise<MinprecRow> => {
    const precision = await search(mode, param, [lo, hi], {});
    const out: MinprecRow = { rounding: mode.label, precision };
    if (!opts.widths) return out;
    if (widthNote) return { ...out, widths: { note: widthNote } };
    if (precision.min === null) return { ...out, widths: { note: `params.${param} never reached the target: no width search` } };
    const widths: NonNullable<MinprecRow['widths']> = {};
    const fixed: Record<string, number> = { [param]: precision.min };
    // W first, then A with W at its minimum: the three minima train together
    for (const p of wParams) {
      const rep = await search(mode, p, widthRange(p), { ...fixed });
      widths[p] = rep;
      if (rep.min !== null) fixed[p] = rep.min;
    }
    return { ...out, widths };
  };

  let rows: MinprecRow[];
  try {
    rows = await Promise.all(modes.map((m) => row(m).catch((e: unknown) => {
      failed ??= e;
      throw failed;
    })));
  } finally {
    progress?.stop();
    await executor.close();
  }
  if (trained === 0 && firstRunError) throw firstRunError;
  return {
    config: opts.config, config_file: loaded.path, name: loaded.datapath.name, param, target, metric: metric ?? opts.metric ?? 'running',
    steps: loaded.config.training!.steps, seed: loaded.config.training!.seed ?? null, lr: [lrLo, lrHi], sets: opts.sets ?? [],
    rounding_via: roundingVia, rows, runs: trained, grid, workers: threads, wall_ms: performance.now() - t0,
  };
}
