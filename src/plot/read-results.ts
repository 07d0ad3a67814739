import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { inputError } from '../core/errors.ts';
import { checkResultLine, numberProblem, type RunRange } from '../sweep/records.ts';
import { readJsonl } from './jsonl.ts';
import { compareParam } from './order.ts';
import { ACCURACY_KEYS, type AccuracyKey, type Axis, type ParamValue, type PlotHints, type Results, type RunRecord } from './types.ts';
import { fsReason } from '../core/fs-reason.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isParam = (v: unknown): v is ParamValue => v === null || ['number', 'string', 'boolean'].includes(typeof v);
/** A sweep value may be a list or an object (a --set of a whole sub-config): shown as its JSON text. */
const scalar = (v: unknown): ParamValue => (isParam(v) ? v : JSON.stringify(v));

async function readJsonObject(path: string): Promise<Obj> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return inputError(`cannot read: ${fsReason(e) ?? (e as Error).message}`, path);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return inputError(`not valid JSON (${(e as Error).message.split('\n')[0]})`, path);
  }
  if (!isObj(v)) inputError('expected a JSON object', path);
  return v;
}

/** A number field, or null when absent/null; anything else is an error at `where`. */
function optNumber(o: Obj, key: string, where: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number') inputError(`'${key}' must be a number or null, not ${JSON.stringify(v)}`, where);
  return v;
}

/** An accuracy field, or null when absent/null: a number in [0, 1], as a sweep's results must have (records.ts). */
function optAccuracy(o: Obj, key: string, where: string): number | null {
  const v = optNumber(o, key, where);
  if (v !== null && numberProblem(v, 'accuracy')) inputError(`'${key}' must be an accuracy in [0, 1], not ${v}`, where);
  return v;
}

function reqNumber(o: Obj, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) inputError(`'${key}' must be a number${v === undefined ? ' (missing)' : `, not ${JSON.stringify(v)}`}`, where);
  return v;
}

function parseAxes(manifest: Obj, where: string): Axis[] {
  const axes = manifest.axes;
  if (!Array.isArray(axes)) inputError("'axes' must be a list of { key, values }", where);
  return axes.map((a: unknown, i) => {
    if (!isObj(a) || typeof a.key !== 'string' || !a.key) inputError(`axes[${i}].key must be a non-empty string`, where);
    if (!Array.isArray(a.values)) inputError(`axes[${i}].values must be a list`, where);
    return { key: a.key, values: a.values.map(scalar) };
  });
}

/**
 * The `plots` hints of a sweep (its manifest's copy): heatmap { x, y, value } and curves
 * { by, points }, axes among the sweep's. `fxsim sweep` checks them when it reads the sweep file.
 */
export function parseHints(manifest: Obj, axes: Axis[], where: string): PlotHints {
  const plots = manifest.plots;
  if (plots === undefined || plots === null) return {};
  if (!isObj(plots)) inputError("'plots' must be an object", where);
  const kind = Object.keys(plots).find((k) => k !== 'heatmap' && k !== 'curves');
  if (kind !== undefined) inputError(`plots.${kind}: unknown plot (fxsim plot draws heatmap and curves from these hints)`, where);
  const keys = new Set(axes.map((a) => a.key));
  const axisKey = (v: unknown, path: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !keys.has(v)) inputError(`${path}: unknown axis ${JSON.stringify(v)} (the axes are ${[...keys].join(', ') || 'none'})`, where);
    return v;
  };
  const hints: PlotHints = {};
  if (plots.heatmap !== undefined && plots.heatmap !== null) {
    const h = plots.heatmap;
    if (!isObj(h)) inputError("'plots.heatmap' must be an object", where);
    if (h.value !== undefined && !ACCURACY_KEYS.includes(h.value as AccuracyKey)) inputError(`plots.heatmap.value must be ${ACCURACY_KEYS.join(' or ')}`, where);
    hints.heatmap = { x: axisKey(h.x, 'plots.heatmap.x'), y: axisKey(h.y, 'plots.heatmap.y'), value: h.value as AccuracyKey | undefined };
  }
  if (plots.curves !== undefined && plots.curves !== null) {
    // a list of points, or { by, points }
    const c = Array.isArray(plots.curves) ? { points: plots.curves } : plots.curves;
    if (!isObj(c)) inputError("'plots.curves' must be a list of points or { by, points }", where);
    let points: (number | Record<string, ParamValue>)[] | undefined;
    if (c.points !== undefined && c.points !== null) {
      if (!Array.isArray(c.points)) inputError('plots.curves.points must be a list', where);
      points = c.points.map((p: unknown, i) => {
        if (typeof p === 'number' && Number.isInteger(p)) return p;
        if (isObj(p)) return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, scalar(v)]));
        return inputError(`plots.curves.points[${i}] must be a point index or an object of axis values`, where);
      });
    }
    hints.curves = { by: axisKey(c.by, 'plots.curves.by'), points };
  }
  return hints;
}

/** A results.jsonl line, checked as fxsim sweep and merge check it (records.ts), as the plotter keeps it. */
function parseRun(o: Obj, where: string, range: RunRange | undefined): RunRecord {
  const r = checkResultLine(o, where, range);
  return {
    run: r.run,
    point: r.point,
    repeat: r.repeat,
    seed: r.seed,
    params: Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, scalar(v)])),
    steps: r.steps,
    running_accuracy: r.running_accuracy,
    test_accuracy: r.test_accuracy,
    us_per_sample: r.us_per_sample,
  };
}

/** The runs a sweep's manifest says it has, when it says so (a manifest of fxsim sweep does). */
function runRangeOf(manifest: Obj | undefined): RunRange | undefined {
  if (!manifest || !Number.isSafeInteger(manifest.total_runs) || !Number.isSafeInteger(manifest.repeats) || (manifest.repeats as number) < 1) return undefined;
  return { totalRuns: manifest.total_runs as number, repeats: manifest.repeats as number };
}

/** Axes from the runs themselves (no manifest): every params key, its values sorted. */
function axesFromRuns(runs: RunRecord[]): Axis[] {
  const values = new Map<string, ParamValue[]>();
  for (const r of runs) {
    for (const [k, v] of Object.entries(r.params)) {
      const vs = values.get(k) ?? [];
      if (!vs.includes(v)) vs.push(v);
      values.set(k, vs);
    }
  }
  return [...values.keys()].sort().map((key) => ({ key, values: values.get(key)!.sort(compareParam) }));
}

async function readSweep(dir: string): Promise<Results> {
  const notes: string[] = [];
  const manifestPath = join(dir, 'manifest.json');
  const resultsPath = join(dir, 'results.jsonl');
  const manifest = existsSync(manifestPath) ? await readJsonObject(manifestPath) : undefined;
  const runRange = runRangeOf(manifest);
  const byRun = new Map<number, RunRecord>();
  let duplicates = 0;
  const read = await readJsonl(resultsPath, (o, line) => {
    const r = parseRun(o, `${resultsPath}:${line}`, runRange);
    // as fxsim sweep reads its own directory: the first line of a run counts
    if (byRun.has(r.run)) duplicates++;
    else byRun.set(r.run, r);
  });
  if (read.tornLine) notes.push(`${resultsPath}:${read.tornLine}: skipped a torn last line (the sweep is still running?)`);
  if (duplicates) notes.push(`${resultsPath}: ${duplicates} run(s) appear more than once; the first line of each is used`);
  if (!byRun.size) inputError('no complete run yet', resultsPath);
  const runs = [...byRun.values()].sort((a, b) => a.run - b.run);
  let axes: Axis[];
  let hints: PlotHints = {};
  if (manifest) {
    axes = parseAxes(manifest, manifestPath);
    // a sweep of listed points only has no grid axes: every parameter becomes one
    if (!axes.length) axes = axesFromRuns(runs);
    hints = parseHints(manifest, axes, manifestPath);
  } else {
    axes = axesFromRuns(runs);
    notes.push(`${manifestPath}: not found; the axes are taken from the runs' params`);
  }
  const paramKeys = [...axes.map((a) => a.key)];
  const listed = manifest && Array.isArray(manifest.param_keys) ? manifest.param_keys.filter((k): k is string => typeof k === 'string') : [];
  for (const k of [...listed, ...[...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort()]) if (!paramKeys.includes(k)) paramKeys.push(k);
  const curvesPath = join(dir, 'curves.jsonl');
  const curvesFile = existsSync(curvesPath) ? curvesPath : undefined;
  if (!curvesFile) notes.push(`${curvesPath}: not found; no training curves`);
  const name = manifest && typeof manifest.sweep === 'string' ? manifest.sweep : basename(resolve(dir));
  const description = manifest && typeof manifest.description === 'string' ? manifest.description : undefined;
  return { kind: 'sweep', dir, title: name, description, axes, paramKeys, runs, curvesFile, hints, notes, ...(runRange && { runRange }) };
}

async function readTrainRun(dir: string): Promise<Results> {
  const notes: string[] = [];
  let curvesFile = join(dir, 'metrics.jsonl');
  if (!existsSync(curvesFile)) {
    curvesFile = join(dir, 'metrics.partial.jsonl');
    notes.push(`${join(dir, 'metrics.jsonl')}: not found; plotting ${curvesFile} (the run is still going?)`);
  }
  const summaryPath = join(dir, 'summary.json');
  const summary = existsSync(summaryPath) ? await readJsonObject(summaryPath) : undefined;
  const run: RunRecord = { run: 0, point: 0, repeat: 0, seed: null, params: {}, steps: null, running_accuracy: null, test_accuracy: null, us_per_sample: null };
  if (summary) {
    run.steps = optNumber(summary, 'steps', summaryPath);
    run.running_accuracy = optAccuracy(summary, 'runningAccuracy', summaryPath);
    run.test_accuracy = optAccuracy(summary, 'testAccuracy', summaryPath);
    run.us_per_sample = optNumber(summary, 'usPerSample', summaryPath);
  } else {
    notes.push(`${summaryPath}: not found; the accuracy is the last metrics row's`);
    await readJsonl(curvesFile, (o, line) => {
      run.steps = reqNumber(o, 'step', `${curvesFile}:${line}`);
      run.running_accuracy = optAccuracy(o, 'running_accuracy', `${curvesFile}:${line}`);
    });
  }
  const title = summary && typeof summary.name === 'string' ? summary.name : basename(resolve(dir));
  return { kind: 'train', dir, title, axes: [], paramKeys: [], runs: [run], curvesFile, hints: {}, notes };
}

/**
 * Read a results directory: a sweep's (results.jsonl, with manifest.json and curves.jsonl when
 * present) or one `fxsim train` output (metrics.jsonl and summary.json). Every problem is an
 * FxInputError naming the file (and line); a torn last line of a file still being written is
 * skipped with a note. Curves are read separately, for the points drawn (readCurves).
 */
export async function readResults(dir: string): Promise<Results> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    inputError('no such directory', dir);
  }
  if (!isDir) inputError('not a directory (give a sweep results directory or a training output directory)', dir);
  if (existsSync(join(dir, 'results.jsonl'))) return readSweep(dir);
  if (existsSync(join(dir, 'metrics.jsonl')) || existsSync(join(dir, 'metrics.partial.jsonl'))) return readTrainRun(dir);
  return inputError(
    existsSync(join(dir, 'manifest.json')) ? 'not found (the sweep has not finished a run yet?)' : 'not found, and no metrics.jsonl either: not a sweep results directory or a training output directory',
    join(dir, 'results.jsonl'),
  );
}
