import { bandStats, type Band } from './bands.ts';
import type { CurveRow } from './types.ts';

export interface SeriesStep {
  point: number;
  step: number;
  /** Over the repeats of the point that have a value at this step. */
  band: Band;
}

/**
 * Per point and step, the band statistics of `pick(row)` over the point's repeats (rows whose
 * pick is null or not finite are left out). Sorted by `order` (the points' drawing order), then
 * step; rows must come sorted by run (readCurves), so every sum runs in the same order.
 */
export function seriesByStep(rows: readonly CurveRow[], order: readonly number[], pick: (row: CurveRow) => number | null | undefined): SeriesStep[] {
  const groups = new Map<number, Map<number, number[]>>();
  for (const r of rows) {
    const v = pick(r);
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    let steps = groups.get(r.point);
    if (!steps) groups.set(r.point, (steps = new Map()));
    const vs = steps.get(r.step);
    if (vs) vs.push(v);
    else steps.set(r.step, [v]);
  }
  const out: SeriesStep[] = [];
  for (const point of order) {
    const steps = groups.get(point);
    if (!steps) continue;
    for (const step of [...steps.keys()].sort((a, b) => a - b)) out.push({ point, step, band: bandStats(steps.get(step)!) });
  }
  return out;
}
