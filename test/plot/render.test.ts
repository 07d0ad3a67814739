import { Resvg } from '@resvg/resvg-js';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plotResults } from '../../src/plot/index.ts';
import { specToSvg, svgToPng } from '../../src/plot/render.ts';
import { writeSweep, writeTrainRun } from './fixtures.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Well-formed SVG: resvg parses it strictly (and throws on broken XML). */
function expectSvg(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const r = new Resvg(svg);
  expect(r.width).toBeGreaterThan(100);
}

/** The text of every <text> element (each line of a multi-line one). */
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].flatMap((m) => (m[1].includes('<tspan') ? [...m[1].matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => t[1]) : [m[1]]));

const AXES = [{ key: 'params.F', values: [8, 12, 16] }, { key: 'training.lr_shift', values: [6, 10] }];

describe('the pictures of a sweep', () => {
  const dir = writeSweep({ axes: [...AXES, { key: 'training.update.rounding', values: ['TRN', 'RND'] }], repeats: 3, layers: ['L0', 'L1'] });
  const out = join(dir, 'plots');
  const run = plotResults(dir);

  it('writes every file (svg, png, report) into <dir>/plots', async () => {
    const r = await run;
    expect(r.out).toBe(out);
    const names = ['heatmap', 'curves', 'delta', 'inactive'];
    expect(r.files).toEqual([...names.flatMap((n) => [`${n}.svg`, `${n}.png`]), 'report.html']);
    expect(readdirSync(out).sort()).toEqual([...r.files].sort()); // no temporary file left
    for (const n of names) {
      expectSvg(readFileSync(join(out, `${n}.svg`), 'utf8'));
      expect(readFileSync(join(out, `${n}.png`)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    }
    expect(r.notes).toEqual(['curves: best point per params.F, by test accuracy: 3 of 12 points']);
  });

  it('heatmap: a labelled cell per grid point, one map per rounding mode, the fixed [0, 1] scale', async () => {
    await run;
    const svg = readFileSync(join(out, 'heatmap.svg'), 'utf8');
    // one rect mark and one text mark per facet
    expect(svg.match(/aria-roledescription="rect mark container"/g)).toHaveLength(2);
    expect(svg.match(/aria-roledescription="text mark container"/g)).toHaveLength(2);
    const t = texts(svg);
    expect(t).toContain('fraction bits F');
    expect(t).toContain('learning rate 2^-y');
    expect(t).toContain('rounding=TRN');
    expect(t).toContain('rounding=RND');
    expect(t).toContain('test accuracy');
    expect(t).toEqual(expect.arrayContaining(['0%', '100%'])); // the legend: the scale is fixed to [0, 1]
    // 2 facets x 3 F x 2 lr cells, each with its percentage (two digits)
    const cellLabels = [...svg.matchAll(/role-mark[^"]*"[^>]*aria-roledescription="text mark container"[\s\S]*?<\/g>/g)].flatMap((m) => texts(m[0]));
    expect(cellLabels).toHaveLength(12);
    for (const l of cellLabels) expect(l).toMatch(/^\d{1,3}$/);
    // ids are scoped to the picture (Vega numbers them process-wide)
    expect(svg).toContain('id="heatmap-0"');
    expect(svg).not.toMatch(/id="(gradient|clip)_?\d/);
  });

  it('curves: bands over the 3 repeats, a line and a legend entry per point', async () => {
    await run;
    const svg = readFileSync(join(out, 'curves.svg'), 'utf8');
    expect(svg).toContain('aria-roledescription="area mark container"');
    expect(svg).toContain('aria-roledescription="line mark container"');
    const t = texts(svg);
    expect(t).toContain('running accuracy');
    expect(t).toContain('step (training samples)');
    const legend = t.filter((x) => /^F=\d+, lr_shift=\d+, rounding=(TRN|RND)$/.test(x));
    expect(legend.map((x) => x.split(',')[0])).toEqual(['F=8', 'F=12', 'F=16']);
    expect(t).toContain('best point per params.F, by test accuracy: 3 of 12 points');
    expect(t).toContain('mean of the repeats; bands: 68% and 95% CI of the mean');
  });

  it('delta: mean and log-scaled variance, one panel per layer; inactive: one panel per layer', async () => {
    await run;
    const delta = texts(readFileSync(join(out, 'delta.svg'), 'utf8'));
    expect(delta).toEqual(expect.arrayContaining(['delta mean', 'delta variance (log)', 'layer L0', 'layer L1']));
    const inactive = texts(readFileSync(join(out, 'inactive.svg'), 'utf8'));
    expect(inactive).toEqual(expect.arrayContaining(['inactive neurons', 'layer L0', 'layer L1']));
  });

  it('same input, same bytes: twice, and with the lines in another order', async () => {
    const first = await run;
    const again = await plotResults(dir, { out: join(dir, 'again'), command: 'fxsim plot x' });
    for (const f of first.files.filter((f) => f !== 'report.html')) expect(readFileSync(join(dir, 'again', f)).equals(readFileSync(join(out, f))), f).toBe(true);
    // reverse every JSONL file: parallel workers finish in any order
    for (const f of ['results.jsonl', 'curves.jsonl']) {
      const lines = readFileSync(join(dir, f), 'utf8').trim().split('\n').reverse();
      writeFileSync(join(dir, f), lines.map((l) => `${l}\n`).join(''));
    }
    const reversed = await plotResults(dir, { out: join(dir, 'reversed'), command: 'fxsim plot x' });
    expect(reversed.files).toEqual(again.files);
    for (const f of again.files) expect(readFileSync(join(dir, 'reversed', f)).equals(readFileSync(join(dir, 'again', f))), f).toBe(true);
  });
});

describe('smaller cases', () => {
  it('heatmap cell values are the mean over repeats, in percent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxsim-plot-cells-'));
    const runs = [
      [0, { F: 8, lr_shift: 6 }, 0.9], [1, { F: 8, lr_shift: 6 }, 0.92], [2, { F: 12, lr_shift: 6 }, 0.5], [3, { F: 12, lr_shift: 6 }, 0.56],
      [4, { F: 8, lr_shift: 10 }, 0.1], [5, { F: 8, lr_shift: 10 }, 0.2], [6, { F: 12, lr_shift: 10 }, 1], [7, { F: 12, lr_shift: 10 }, 1],
    ] as const;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ sweep: 'cells', axes: [{ key: 'F', values: [8, 12] }, { key: 'lr_shift', values: [6, 10] }], repeats: 2 }));
    writeFileSync(join(dir, 'results.jsonl'), runs.map(([run, params, acc]) => `${JSON.stringify({ run, point: run >> 1, repeat: run & 1, seed: 1 + (run & 1), params, steps: 10, running_accuracy: acc, test_accuracy: acc, test_samples: 10, elapsed_ms: 1, us_per_sample: 1, final: {} })}\n`).join(''));
    const r = await plotResults(dir, { formats: ['svg'] });
    // no curves.jsonl: the heatmap alone
    expect(r.files).toEqual(['heatmap.svg', 'report.html']);
    const svg = readFileSync(join(dir, 'plots', 'heatmap.svg'), 'utf8');
    const t = texts(svg);
    for (const label of ['91', '53', '15', '100']) expect(t).toContain(label);
    expect(t).toContain('cells: test accuracy (%), mean of 2 repeats');
    expect(t).toContain('learning rate 2^-y');
  });

  it('a training run: curves without bands, no heatmap', async () => {
    const dir = writeTrainRun();
    const r = await plotResults(dir, { formats: ['svg'] });
    expect(r.files).toEqual(['curves.svg', 'delta.svg', 'inactive.svg', 'report.html']);
    expect(r.notes).toEqual(['heatmap: skipped (no axis has more than one value)']);
    const svg = readFileSync(join(dir, 'plots', 'curves.svg'), 'utf8');
    expectSvg(svg);
    expect(svg).not.toContain('area mark container');
    expect(svg).toContain('line mark container');
    expect(texts(svg)).toContain('mnist-f20-lr10: running accuracy');
  });

  it('one repeat: lines, no bands; a zero delta variance: a linear scale', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const lines = readFileSync(join(dir, 'curves.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    lines[0].layers.L0.delta_var = 0;
    writeFileSync(join(dir, 'curves.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const r = await plotResults(dir, { formats: ['svg'], value: 'running_accuracy', x: 'training.lr_shift' });
    expect(r.notes).toContain('delta: the variance has values <= 0, so its scale is linear');
    const curves = readFileSync(join(dir, 'plots', 'curves.svg'), 'utf8');
    expect(curves).not.toContain('area mark container');
    expect(texts(curves)).toContain('one repeat per point: no bands');
    expect(texts(readFileSync(join(dir, 'plots', 'delta.svg'), 'utf8'))).toContain('delta variance');
    const heat = texts(readFileSync(join(dir, 'plots', 'heatmap.svg'), 'utf8'));
    expect(heat).toContain('running accuracy');
    expect(heat).toContain('learning rate 2^-x');
  });

  it('specToSvg / svgToPng directly', async () => {
    const spec = { data: { values: [{ a: 1, b: 2 }, { a: 2, b: 1 }] }, mark: 'line', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } } as const;
    const a = await specToSvg(spec as never, 'p');
    const b = await specToSvg(spec as never, 'p');
    expect(a).toBe(b);
    expectSvg(a);
    const png = svgToPng(a);
    expect(Buffer.from(png).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(Buffer.from(svgToPng(b)).equals(Buffer.from(png))).toBe(true);
  });
});
