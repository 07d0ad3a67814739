import type { SweepFile, SweepPath, SweepValue } from './sweep-file.ts';

/** One point of a sweep: the values of its keys, in key order (grid keys first, outermost first). */
export interface SweepPoint {
  /** 0-based, in expansion order: the grid's cartesian product, then the explicit points. */
  index: number;
  params: Record<string, SweepValue>;
  /** Where in the sweep file each value came from, to locate an error in it. */
  paths: Record<string, SweepPath>;
}

/** Every point: the grid (first key outermost, last key fastest), then `points` in file order. */
export function expandPoints(sweep: Pick<SweepFile, 'axes' | 'points'>): SweepPoint[] {
  const out: SweepPoint[] = [];
  const { axes } = sweep;
  if (axes.length > 0) {
    const sizes = axes.map((a) => a.values.length);
    const total = sizes.reduce((n, s) => n * s, 1);
    for (let i = 0; i < total; i++) {
      const params: Record<string, SweepValue> = {};
      const paths: Record<string, SweepPath> = {};
      // mixed-radix digits of i, the last axis varying fastest
      let rest = i;
      for (let a = axes.length - 1; a >= 0; a--) {
        const v = rest % sizes[a];
        rest = Math.floor(rest / sizes[a]);
        params[axes[a].key] = axes[a].values[v];
        paths[axes[a].key] = axes[a].paths[v];
      }
      // keys in axis order, not the reverse order they were filled in
      out.push({ index: i, params: Object.fromEntries(axes.map((a) => [a.key, params[a.key]])), paths });
    }
  }
  sweep.points.forEach((p, j) => {
    out.push({ index: out.length, params: { ...p }, paths: Object.fromEntries(Object.keys(p).map((k) => [k, ['points', j, k]])) });
  });
  return out;
}

/** Runs are numbered point-major: run = point * repeats + repeat. */
export const runId = (point: number, repeat: number, repeats: number): number => point * repeats + repeat;

export const runPoint = (run: number, repeats: number): { point: number; repeat: number } => ({ point: Math.floor(run / repeats), repeat: run % repeats });

/** Every key the points set, in order of first appearance: the params columns of results.csv. */
export function paramKeys(points: readonly SweepPoint[]): string[] {
  const keys = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.params)) keys.add(k);
  return [...keys];
}
