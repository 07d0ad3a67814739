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
