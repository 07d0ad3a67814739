import type { LrFractionFindings } from './lr-fraction.ts';
import type { RoundingFindings } from './rounding.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const range = (r: [number, number] | null) => (r ? (r[0] === r[1] ? `${r[0]}` : `${r[0]}..${r[1]}`) : '—');

/** The per-F table and the minimum-F list, as the README's Findings section shows them. */
export function lrFractionMarkdown(f: LrFractionFindings): string {
  const lines = [
    `| F | best ${f.value.replace('_', ' ')} | at lr_shift | lr_shift within 1 point of the best | lowest..highest lr_shift reaching 50% |`,
    '|---|---|---|---|---|',
    ...f.rows.map((r) => `| ${r.F} | ${pct(r.best)} | ${r.bestLr} | ${range(r.nearBest)} | ${range(r.training)} |`),
    '',
    ...f.minimum.map((m) => (m.F === null ? `- ${pct(m.target)}: not reached at any F swept` : `- ${pct(m.target)}: F = ${m.F} (lr_shift ${m.lr}, ${pct(m.accuracy!)})`)),
  ];
  return lines.join('\n');
}

/** F rows x rounding columns: mean ± standard deviation over the seeds at each one's best lr. */
export function roundingMarkdown(f: RoundingFindings): string {
  const lines = [
    `| F | ${f.modes.join(' | ')} |`,
    `|---|${f.modes.map(() => '---').join('|')}|`,
    ...f.rows.map((r) => `| ${r.F} | ${f.modes.map((m) => {
      const c = r.cells[m];
      return c ? `${pct(c.mean)} ± ${(100 * c.std).toFixed(1)} (lr ${c.lr})` : '—';
    }).join(' | ')} |`),
  ];
  return lines.join('\n');
}
