import { variedAxes } from './labels.ts';
import { compareParam } from './order.ts';
import type { AccuracyKey, ParamValue, Results } from './types.ts';

/** At most this many curves in one picture, unless the manifest lists the points. */
export const MAX_CURVES = 10;
/** At most this many even when the manifest lists them. */
export const MAX_LISTED_CURVES = 20;

export interface CurveSelection {
  /** Grid points to draw, in drawing (legend) order. */
  points: number[];
  /** How they were chosen, one line for a subtitle and the notes. */
  rule: string;
}

const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

/**
 * Which grid points get a training curve:
 * 1. the points manifest `plots.curves.points` lists (indices, or partial parameter objects
 *    matching every point with those values), in that order, at most MAX_LISTED_CURVES;
 * 2. else every point, when there are at most MAX_CURVES;
 * 3. else the best point per value of one axis (`plots.curves.by`, else `by` (the heatmap's x
 *    axis), else the first varied axis), best meaning the highest mean `value` over its repeats
 *    (running accuracy where no repeat has the value; ties to the lower point index), in the
 *    axis' order; when the axis has more than MAX_CURVES values, the MAX_CURVES best of those.
 */
export function selectCurvePoints(results: Results, value: AccuracyKey, by?: string): CurveSelection {
  const paramsOf = new Map<number, Record<string, ParamValue>>();
  const scores = new Map<number, { v: number[]; run: number[] }>();
  for (const r of results.runs) {
    if (!paramsOf.has(r.point)) paramsOf.set(r.point, r.params);
    const s = scores.get(r.point) ?? { v: [], run: [] };
    if (r[value] !== null) s.v.push(r[value]!);
    if (r.running_accuracy !== null) s.run.push(r.running_accuracy);
    scores.set(r.point, s);
  }
  const all = [...paramsOf.keys()].sort((a, b) => a - b);
  const listed = results.hints.curves?.points;
  if (listed?.length) {
    const chosen: number[] = [];
    for (const p of listed) {
      const matches = typeof p === 'number' ? all.filter((q) => q === p) : all.filter((q) => Object.entries(p).every(([k, v]) => paramsOf.get(q)![k] === v));
      for (const q of matches) if (!chosen.includes(q)) chosen.push(q);
    }
    const points = chosen.slice(0, MAX_LISTED_CURVES);
    return { points, rule: `${points.length} point${points.length === 1 ? '' : 's'} listed in manifest plots.curves${chosen.length > points.length ? ` (the first ${MAX_LISTED_CURVES} of ${chosen.length})` : ''}` };
  }
  if (all.length <= MAX_CURVES) return { points: all, rule: all.length === 1 ? 'the one point' : `all ${all.length} points` };
  const score = (p: number) => {
    const s = scores.get(p)!;
    return meanOf(s.v) ?? meanOf(s.run) ?? -Infinity;
  };
  const axis = results.hints.curves?.by ?? by ?? variedAxes(results)[0]?.key;
  if (axis === undefined) return { points: all.slice(0, MAX_CURVES), rule: `the first ${MAX_CURVES} of ${all.length} points` };
  const order = results.axes.find((a) => a.key === axis)?.values ?? [];
  const best = new Map<string, { v: ParamValue; point: number; score: number }>();
  for (const p of all) {
    const v = paramsOf.get(p)![axis] ?? null;
    const id = JSON.stringify(v);
    const sc = score(p);
    const cur = best.get(id);
    if (!cur || sc > cur.score) best.set(id, { v, point: p, score: sc });
  }
  let picks = [...best.values()];
  const capped = picks.length > MAX_CURVES;
  if (capped) picks = [...picks].sort((a, b) => b.score - a.score || a.point - b.point).slice(0, MAX_CURVES);
  const pos = (v: ParamValue) => {
    const i = order.indexOf(v);
    return i < 0 ? order.length : i;
  };
  picks.sort((a, b) => pos(a.v) - pos(b.v) || compareParam(a.v, b.v));
  return {
    points: picks.map((p) => p.point),
    rule: `best point per ${axis}${capped ? ` (${MAX_CURVES} best of ${best.size} values)` : ''}, by ${value.replace('_', ' ')}: ${picks.length} of ${all.length} points`,
  };
}
