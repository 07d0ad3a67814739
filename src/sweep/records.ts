import { inputError } from '../core/errors.ts';
import type { EventCounters } from '../core/events.ts';
import type { LayerMetrics } from '../train/trainer.ts';
import type { SweepValue } from './sweep-file.ts';

/** One line of results.jsonl: a finished run. */
export interface ResultLine {
  sweep: string;
  point: number;
  repeat: number;
  run: number;
  seed: number;
  /** The point's grid/points keys and values. */
  params: Record<string, SweepValue>;
  /** Every --set the run applied to the base config, seed last: `fxsim train <base> --set ...` repeats it. */
  sets: string[];
  steps: number;
  running_accuracy: number;
  test_accuracy: number | null;
  test_samples: number;
  elapsed_ms: number;
  us_per_sample: number;
  /** The last metrics row's per-layer statistics (the last metrics_every interval). */
  final: Record<string, LayerMetrics>;
  events: Record<string, EventCounters>;
  /** The run's config with every default filled in. */
  resolved: unknown;
}

/** One line of curves.jsonl: a metrics row of a run. */
export interface CurveLine {
  point: number;
  repeat: number;
  run: number;
  step: number;
  running_accuracy: number;
  interval_accuracy: number;
  layers: Record<string, LayerMetrics>;
}

/** The fields of a results line that depend on the machine, not on the run. */
export const TIMING_FIELDS = ['elapsed_ms', 'us_per_sample'] as const;

/** A results line without its timing: equal for the same run whatever machine or worker count. */
export function withoutTiming(r: ResultLine): Omit<ResultLine, (typeof TIMING_FIELDS)[number]> {
  const { elapsed_ms: _e, us_per_sample: _u, ...rest } = r;
  return rest;
}

export const byRun = (a: { run: number }, b: { run: number }): number => a.run - b.run;

// ---------------------------------------------------------------------------------------------
// Checking records read back: results.jsonl and curves.jsonl are files a user can edit (or
// damage), and every reader (sweep resume, merge, plot) relies on the same fields; findings
// relies on the same columns of results.csv.

/** `count`: a whole number >= 0; `accuracy`: a number in [0, 1]; `?`: null (an empty CSV cell) allowed too. */
export type NumberKind = 'count' | 'number' | 'accuracy' | 'accuracy?';

/** The numbers of a results line, and the columns of results.csv that hold them. */
export const RESULT_NUMBERS: Readonly<Record<string, NumberKind>> = {
  point: 'count', repeat: 'count', run: 'count', seed: 'count', steps: 'count',
  running_accuracy: 'accuracy', test_accuracy: 'accuracy?', test_samples: 'count', us_per_sample: 'number', elapsed_ms: 'number',
};

const CURVE_NUMBERS: Readonly<Record<string, NumberKind>> = {
  point: 'count', repeat: 'count', run: 'count', step: 'count', running_accuracy: 'accuracy?', interval_accuracy: 'accuracy?',
};

/** The per-layer metrics of a metrics row (results.csv has a column of each per layer). */
export const LAYER_METRICS: readonly (keyof LayerMetrics)[] = ['delta_mean', 'delta_var', 'zero_delta_fraction', 'inactive_neurons', 'updates_to_zero'];

/**
 * What is wrong with `v` as a number of this kind, or undefined. The caller lets through what
 * stands for "none" where the kind allows it (JSON null, an empty CSV cell), and names it as `none`.
 */
export function numberProblem(v: unknown, kind: NumberKind, none = 'null'): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return kind === 'accuracy?' ? `expected a number or ${none}` : 'expected a number';
  if (kind === 'count' && !(Number.isSafeInteger(v) && v >= 0)) return 'expected a whole number >= 0';
  if ((kind === 'accuracy' || kind === 'accuracy?') && !(v >= 0 && v <= 1)) return 'expected an accuracy in [0, 1]';
  return undefined;
}

/** Which runs a result directory may hold: its manifest's total_runs and repeats (run = point * repeats + repeat). */
export interface RunRange {
  totalRuns: number;
  repeats: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A value as an error shows it: short (a damaged file can hold anything). */
export const shown = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};
const got = (v: unknown) => (v === undefined ? 'missing' : `got ${shown(v)}`);

function checkNumbers(o: Obj, fields: Readonly<Record<string, NumberKind>>, where: string): void {
  for (const [key, kind] of Object.entries(fields)) {
    const v = o[key];
    if (v === null && kind === 'accuracy?') continue;
    const problem = numberProblem(v, kind);
    if (problem) inputError(`${key}: ${problem} (${got(v)})`, where);
  }
}

/** run in 0..totalRuns-1, and point and repeat the ones its number says. */
function checkRunId(o: { run: number; point: number; repeat: number }, range: RunRange | undefined, where: string): void {
  if (!range) return;
  if (o.run >= range.totalRuns) inputError(`run: ${o.run} is not a run of this sweep (0..${range.totalRuns - 1})`, where);
  if (o.point * range.repeats + o.repeat !== o.run || o.repeat >= range.repeats) {
    inputError(`point ${o.point}, repeat ${o.repeat} is not run ${o.run} (run = point * ${range.repeats} + repeat, with ${range.repeats} repeat(s))`, where);
  }
}

/** `layers` or `final`: per-layer objects whose metrics are numbers (null: NaN when written). */
function checkLayers(v: unknown, key: string, where: string): void {
  if (!isObj(v)) inputError(`${key}: expected an object of per-layer metrics (${got(v)})`, where);
  for (const [layer, m] of Object.entries(v)) {
    if (!isObj(m)) inputError(`${key}.${layer}: expected an object of metrics (${got(m)})`, where);
    for (const k of LAYER_METRICS) {
      if (m[k] !== undefined && m[k] !== null && typeof m[k] !== 'number') inputError(`${key}.${layer}.${k}: expected a number or null (${got(m[k])})`, where);
    }
  }
}

/**
 * A results.jsonl line as every reader relies on it: an object with the numbers of RESULT_NUMBERS,
 * params and final objects, and (with `range`) a run of this sweep. Anything else is an
 * FxInputError at `where` (`file:line`).
 */
export function checkResultLine(v: unknown, where: string, range?: RunRange): ResultLine {
  if (!isObj(v)) return inputError(`expected a JSON object (a finished run), got ${Array.isArray(v) ? 'a list' : shown(v)}`, where);
  checkNumbers(v, RESULT_NUMBERS, where);
  if (!isObj(v.params)) inputError(`params: expected an object of the point's values (${got(v.params)})`, where);
  checkLayers(v.final, 'final', where);
  const r = v as unknown as ResultLine;
  checkRunId(r, range, where);
  return r;
}

/** A curves.jsonl line, checked as checkResultLine checks a results line. */
export function checkCurveLine(v: unknown, where: string, range?: RunRange): CurveLine {
  if (!isObj(v)) return inputError(`expected a JSON object (a metrics row), got ${Array.isArray(v) ? 'a list' : shown(v)}`, where);
  checkNumbers(v, CURVE_NUMBERS, where);
  checkLayers(v.layers, 'layers', where);
  const c = v as unknown as CurveLine;
  checkRunId(c, range, where);
  return c;
}
