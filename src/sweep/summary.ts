import { formatDuration } from '../io/progress.ts';
import type { ResultLine } from './records.ts';
import type { SweepValue } from './sweep-file.ts';

export interface PointScore {
  point: number;
  params: Record<string, SweepValue>;
  /** Mean over the point's finished repeats. */
  accuracy: number;
  runs: number;
}

/** The best points by mean test accuracy (running accuracy when some run has no test split). */
export function bestPoints(results: readonly ResultLine[], n = 5): { metric: 'test_accuracy' | 'running_accuracy'; best: PointScore[] } {
  const metric = results.length > 0 && results.every((r) => r.test_accuracy !== null) ? 'test_accuracy' : 'running_accuracy';
  const byPoint = new Map<number, PointScore>();
  for (const r of results) {
    const s = byPoint.get(r.point) ?? { point: r.point, params: r.params, accuracy: 0, runs: 0 };
    s.accuracy += r[metric] ?? 0;
    s.runs++;
    byPoint.set(r.point, s);
  }
  const scores = [...byPoint.values()].map((s) => ({ ...s, accuracy: s.accuracy / s.runs }));
  scores.sort((a, b) => b.accuracy - a.accuracy || a.point - b.point);
  return { metric, best: scores.slice(0, n) };
}

const cell = (v: SweepValue | undefined) => (v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A small aligned table: numbers right-aligned, text left. */
function table(header: string[], rows: string[][], numeric: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

/** What `fxsim sweep` prints at the end. */
export function sweepSummary(o: { name: string; out: string; done: number; skipped: number; missing: number; wallMs: number; results: readonly ResultLine[]; paramKeys: readonly string[] }): string {
  const lines = [
    `sweep ${o.name}: ${o.done} run(s) trained, ${o.skipped} skipped (finished before)${o.missing ? `, ${o.missing} not done` : ''}, in ${formatDuration(o.wallMs)}; results in ${o.out}/`,
  ];
  const { metric, best } = bestPoints(o.results);
  if (best.length > 0) {
    lines.push(`best points by ${metric} (mean over their repeats):`);
    const header = ['point', metric, 'runs', ...o.paramKeys];
    const rows = best.map((s) => [String(s.point), s.accuracy.toFixed(4), String(s.runs), ...o.paramKeys.map((k) => cell(s.params[k]))]);
    const numeric = header.map((_, i) => i < 3 || best.every((s) => typeof s.params[o.paramKeys[i - 3]] === 'number'));
    lines.push(...table(header, rows, numeric).map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
