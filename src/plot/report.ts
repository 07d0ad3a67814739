import { formatParam } from './labels.ts';
import type { Results } from './types.ts';

export interface ReportChart {
  /** File stem (heatmap, curves...). */
  name: string;
  title: string;
  svg: string;
}

export interface ReportInput {
  results: Results;
  charts: readonly ReportChart[];
  /** The command line that regenerates the report. */
  command: string;
  notes: readonly string[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)}%`);
const fixed = (v: number | null, d: number) => (v === null ? '–' : v.toFixed(d));

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
figure{margin:1em 0;overflow-x:auto}figure svg{max-width:none}
table{border-collapse:collapse;font-size:13px}th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
th{position:sticky;top:0;background:#f6f6f6}td.t,th.t{text-align:left}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto}.muted{color:#666}`;

/**
 * The self-contained report: title and description, every picture's SVG inlined (no external
 * resource: no script, stylesheet or font is fetched), the results table sorted by run (the
 * axes' parameters, running and test accuracy, µs per sample), notes, and the command that
 * regenerates it. Deterministic: no timestamp.
 */
export function reportHtml({ results, charts, command, notes }: ReportInput): string {
  const keys = results.paramKeys;
  const head = ['run', 'point', 'repeat', 'seed', ...keys, 'steps', 'running accuracy', 'test accuracy', 'µs/sample'];
  const body = results.runs.map((r) =>
    [
      String(r.run),
      String(r.point),
      String(r.repeat),
      r.seed === null ? '–' : String(r.seed),
      ...keys.map((k) => (k in r.params ? formatParam(r.params[k]) : '–')),
      r.steps === null ? '–' : String(r.steps),
      pct(r.running_accuracy),
      pct(r.test_accuracy),
      fixed(r.us_per_sample, 2),
    ]
      .map((c) => `<td>${escapeHtml(c)}</td>`)
      .join(''),
  );
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(results.title)}: fxsim plot</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(results.title)}</h1>`,
    ...(results.description ? [`<p class="description">${escapeHtml(results.description)}</p>`] : []),
    `<p class="muted">${results.kind === 'sweep' ? `sweep over ${keys.map(escapeHtml).join(', ') || 'no axis'}` : 'one training run'}: ${results.runs.length} run${results.runs.length === 1 ? '' : 's'}, from ${escapeHtml(results.dir)}</p>`,
    ...charts.flatMap((c) => [`<h2 id="${c.name}">${escapeHtml(c.title)}</h2>`, `<figure>${c.svg.replace(/^<\?xml[^>]*>\s*/, '')}</figure>`]),
    '<h2 id="results">Results</h2>',
    '<table>',
    `<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...body.map((row) => `<tr>${row}</tr>`),
    '</tbody>',
    '</table>',
    ...(notes.length ? ['<h2 id="notes">Notes</h2>', '<ul>', ...notes.map((n) => `<li>${escapeHtml(n)}</li>`), '</ul>'] : []),
    '<h2 id="regenerate">Regenerate</h2>',
    `<pre><code>${escapeHtml(command)}</code></pre>`,
    '</body>',
    '</html>',
    '',
  ];
  return html.join('\n');
}
