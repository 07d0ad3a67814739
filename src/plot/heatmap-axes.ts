import { inputError } from '../core/errors.ts';
import { variedAxes } from './labels.ts';
import type { Results } from './types.ts';

export interface HeatmapAxes {
  /** undefined: nothing varies (a training run, a one-point sweep): no heatmap. */
  x?: string;
  /** undefined: one row. */
  y?: string;
  /** The other varied axes: one heatmap per combination of their values. */
  facets: string[];
}

/**
 * The heatmap's axes: --x / --y when given, else manifest `plots.heatmap`, else the first two
 * axes with more than one value. An unknown --x / --y key is an FxInputError naming the flag.
 */
export function chooseHeatmapAxes(results: Results, opts: { x?: string; y?: string } = {}): HeatmapAxes {
  const keys = results.axes.map((a) => a.key);
  for (const flag of ['x', 'y'] as const) {
    const k = opts[flag];
    if (k !== undefined && !keys.includes(k)) {
      inputError(`unknown axis '${k}' (${keys.length ? `the axes are ${keys.join(', ')}` : `${results.dir} is a training run: it has no axes`})`, `--${flag}`);
    }
  }
  if (opts.x !== undefined && opts.x === opts.y) inputError(`--x and --y name the same axis '${opts.x}'`, '--y');
  const varied = variedAxes(results).map((a) => a.key);
  const hint = results.hints.heatmap ?? {};
  const x = opts.x ?? (hint.x !== undefined && hint.x !== opts.y ? hint.x : undefined) ?? varied.find((k) => k !== opts.y);
  const y = opts.y ?? (hint.y !== undefined && hint.y !== x ? hint.y : undefined) ?? varied.find((k) => k !== x);
  return { x, y, facets: varied.filter((k) => k !== x && k !== y) };
}
