/**
 * The data `fxsim plot` reads: a sweep's results directory (manifest.json, results.jsonl,
 * curves.jsonl) or one `fxsim train` output directory (metrics.jsonl, summary.json), in one shape.
 */
import type { RunRange } from '../sweep/records.ts';

/** A parameter value of a sweep axis (a number for F or lr_shift, a string for a rounding mode). */
export type ParamValue = number | string | boolean | null;

/** The accuracy a heatmap shows and the curve subset is ranked by. */
export type AccuracyKey = 'test_accuracy' | 'running_accuracy';
export const ACCURACY_KEYS: readonly AccuracyKey[] = ['test_accuracy', 'running_accuracy'];

/** Picture file formats `fxsim plot` writes (report.html is always written). */
export type PlotFormat = 'svg' | 'png';
export const PLOT_FORMATS: readonly PlotFormat[] = ['svg', 'png'];

/** Per-layer statistics of one metrics row (null where the run wrote NaN or nothing). */
export interface LayerStats {
  delta_mean: number | null;
  delta_var: number | null;
  zero_delta_fraction: number | null;
  inactive_neurons: number | null;
  updates_to_zero: number | null;
}
export const LAYER_STATS: readonly (keyof LayerStats)[] = ['delta_mean', 'delta_var', 'zero_delta_fraction', 'inactive_neurons', 'updates_to_zero'];

/** One finished run: a line of results.jsonl (or a training run's summary.json). */
export interface RunRecord {
  run: number;
  /** The grid point: runs with the same point differ only in repeat and seed. */
  point: number;
  repeat: number;
  seed: number | null;
  params: Record<string, ParamValue>;
  steps: number | null;
  running_accuracy: number | null;
  test_accuracy: number | null;
  us_per_sample: number | null;
}

/** One metrics row of one run: a line of curves.jsonl (or of a training run's metrics.jsonl). */
export interface CurveRow {
  point: number;
  repeat: number;
  run: number;
  step: number;
  running_accuracy: number | null;
  interval_accuracy: number | null;
  layers: Record<string, LayerStats>;
}

/** A sweep axis: a parameter key and the values the sweep takes, in the manifest's order. */
export interface Axis {
  key: string;
  values: ParamValue[];
}

/** manifest.json `plots`: what the sweep's author asks the pictures to show. */
export interface PlotHints {
  heatmap?: { x?: string; y?: string; value?: AccuracyKey };
  curves?: {
    /** Draw the best point per value of this axis (see selectCurvePoints). */
    by?: string;
    /** Draw these points: point indices, or partial parameter objects ({"params.F": 20}). */
    points?: (number | Record<string, ParamValue>)[];
  };
}

export interface Results {
  kind: 'sweep' | 'train';
  dir: string;
  /** The sweep's name, or the training run's name. */
  title: string;
  description?: string;
  axes: Axis[];
  /** Every parameter key of the runs: the axes', then those only extra points set (manifest param_keys). */
  paramKeys: string[];
  /** Sorted by run. */
  runs: RunRecord[];
  /** curves.jsonl or metrics.jsonl; undefined when the directory has none. */
  curvesFile?: string;
  hints: PlotHints;
  /** Things the reader skipped or assumed (a torn last line, a missing manifest). */
  notes: string[];
  /** A sweep's total_runs and repeats, from its manifest: the run ids its files may hold. */
  runRange?: RunRange;
}
