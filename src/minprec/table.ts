import { formatDuration } from '../io/progress.ts';
import type { MinprecResult, SearchReport } from './run-minprec.ts';

/** What `fxsim minprec` prints: the result table, the widths table (--widths) and notes. */

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(2)}%`);

/** Aligned columns separated by ` | `; `right` columns are right-aligned. */
export function pipeTable(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(fmt)];
}

/** The cells min | best lr | accuracy at min | min-1 best accuracy | runs trained | time of one search. */
function cells(r: SearchReport): string[] {
  const runs = `${r.runs} of ${r.grid}`;
  const time = formatDuration(r.wall_ms);
  if (!r.reached) {
    return [`not reached up to ${r.range[1]}`, r.top.best_lr === null ? 'n/a' : String(r.top.best_lr), `${pct(r.top.accuracy)} (at ${r.top.value})`, 'n/a', runs, time];
  }
  const below = !r.below ? 'not tried *' : r.below.accuracy === null ? 'does not train' : `${pct(r.below.accuracy)} (lr ${r.below.best_lr})`;
  return [r.at_low ? `${r.min} *` : String(r.min), String(r.best_lr), pct(r.accuracy), below, runs, time];
}

function notes(r: SearchReport, rounding: string, lines: string[]): void {
  if (r.reached && r.at_low) lines.push(`* ${rounding}: ${r.param} = ${r.min} is the bottom of the range: ${r.param} = ${r.min! - 1} was not tried (widen the range to see it fail)`);
  if (r.unloaded) lines.push(`${rounding}: ${r.param} = ${r.unloaded.values.join(', ')} did not load or train (counted as not reaching): ${r.unloaded.reason}`);
}

export function minprecTable(res: MinprecResult): string {
  const F = res.param;
  const metric = res.metric === 'test' ? 'test accuracy' : 'running accuracy';
  const rows = res.rows.map((row) => [row.rounding, ...cells(row.precision)]);
  const range = res.rows[0]?.precision.range ?? [0, 0];
  const lines = [
    `minprec ${res.name}: smallest params.${F} in ${range[0]}..${range[1]} whose ${metric} reaches ${pct(res.target)} within ${res.steps} steps, lr_shift searched in ${res.lr[0]}..${res.lr[1]} at each`,
    ...pipeTable(['rounding', `min ${F}`, 'best lr', 'accuracy at min', `${F}-1 best accuracy`, 'runs trained', 'time'], rows, [false, true, true, true, false, true, true]),
  ];
  const extra: string[] = [];
  for (const row of res.rows) notes(row.precision, row.rounding, extra);

  const wRows: string[][] = [];
  for (const row of res.rows) {
    const w = row.widths;
    if (!w) continue;
    if (w.note) extra.push(`--widths, ${row.rounding}: ${w.note}`);
    for (const r of [w.W, w.A]) {
      if (!r) continue;
      wRows.push([row.rounding, r.param, Object.entries(r.fixed).map(([k, v]) => `${k}=${v}`).join(' '), ...cells(r)]);
      notes(r, row.rounding, extra);
    }
  }
  if (wRows.length) {
    lines.push('', `widths at the minimum ${F} (W weight register, A accumulator; searched one after the other, lr_shift re-searched at each):`);
    lines.push(...pipeTable(['rounding', 'width', 'fixed', 'min', 'best lr', 'accuracy at min', 'min-1 best accuracy', 'runs trained', 'time'], wRows, [false, false, false, true, true, true, false, true, true]));
  }
  lines.push(...extra);
  const share = res.grid > 0 ? ` (${((100 * res.runs) / res.grid).toFixed(0)}%)` : '';
  lines.push(`${res.runs} run(s) trained of a full grid of ${res.grid}${share}, in ${formatDuration(res.wall_ms)} on ${res.workers} thread(s)${res.rows.length > 1 ? '; the rounding modes search at the same time: time is when each row was known' : ''}`);
  return `${lines.join('\n')}\n`;
}
