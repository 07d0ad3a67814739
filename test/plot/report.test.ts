import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plotResults } from '../../src/plot/index.ts';
import { reportHtml } from '../../src/plot/report.ts';
import type { Results } from '../../src/plot/types.ts';
import { writeSweep } from './fixtures.ts';

describe('report.html', () => {
  it('title, description, every SVG inlined, the results table by run, the command; nothing external', async () => {
    const dir = writeSweep({ axes: [{ key: 'params.F', values: [8, 12] }, { key: 'training.lr_shift', values: [6, 10] }], repeats: 2, description: 'F against lr' });
    const r = await plotResults(dir, { formats: ['svg'], x: 'training.lr_shift' });
    const html = readFileSync(join(r.out, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>fixture: fxsim plot</title>');
    expect(html).toContain('<h1>fixture</h1>');
    expect(html).toContain('<p class="description">F against lr</p>');
    for (const name of ['heatmap', 'curves', 'delta', 'inactive']) {
      const svg = readFileSync(join(r.out, `${name}.svg`), 'utf8');
      expect(html).toContain(`<figure>${svg}</figure>`);
    }
    expect(html.match(/<svg /g)).toHaveLength(4);
    // every id in the page is unique (each picture's are scoped)
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // the table: a header with the params, a row per run in run order
    expect(html).toContain('<thead><tr><th>run</th><th>point</th><th>repeat</th><th>seed</th><th>params.F</th><th>training.lr_shift</th><th>steps</th><th>running accuracy</th><th>test accuracy</th><th>µs/sample</th></tr></thead>');
    const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>4000<\/td><td>\d+\.\d\d%<\/td><td>\d+\.\d\d%<\/td><td>\d+\.\d\d<\/td><\/tr>/g)];
    expect(rows.map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows[3].slice(2, 7)).toEqual(['1', '1', '2', '8', '10']);
    expect(html).toContain(`<pre><code>fxsim plot ${dir} --format svg --x training.lr_shift</code></pre>`);
    // self-contained: no script, stylesheet link, image or URL other than the SVG namespaces
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\((?!#)/i);
    expect([...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
  });

  it('escapes text, shows missing values as a dash, lists the notes', () => {
    const results: Results = {
      kind: 'sweep', dir: 'out/<x>', title: 'a & b', description: '<b>bold</b>', axes: [{ key: 'k', values: ['<v>'] }], paramKeys: ['k', 'extra'],
      runs: [{ run: 0, point: 0, repeat: 0, seed: null, params: { k: '<v>' }, steps: null, running_accuracy: 0.5, test_accuracy: null, us_per_sample: null }],
      hints: {}, notes: [],
    };
    const html = reportHtml({ results, charts: [], command: "fxsim plot 'out/<x>'", notes: ['a <note>'] });
    expect(html).toContain('<h1>a &amp; b</h1>');
    expect(html).toContain('<p class="description">&lt;b&gt;bold&lt;/b&gt;</p>');
    expect(html).toContain('<tr><td>0</td><td>0</td><td>0</td><td>–</td><td>&lt;v&gt;</td><td>–</td><td>–</td><td>50.00%</td><td>–</td><td>–</td></tr>');
    expect(html).toContain('<li>a &lt;note&gt;</li>');
    expect(html).toContain('<pre><code>fxsim plot &#39;out/&lt;x&gt;&#39;</code></pre>');
    expect(html).not.toContain('<svg');
  });

  it('is the same bytes for the same input', async () => {
    const dir = writeSweep({ axes: [{ key: 'params.F', values: [8, 12] }], repeats: 1 });
    await plotResults(dir, { formats: [] });
    const first = readFileSync(join(dir, 'plots', 'report.html'));
    writeFileSync(join(dir, 'plots', 'report.html'), 'stale');
    const again = await plotResults(dir, { formats: [] });
    expect(again.files).toEqual(['report.html']);
    expect(readFileSync(join(dir, 'plots', 'report.html')).equals(first)).toBe(true);
  });
});
