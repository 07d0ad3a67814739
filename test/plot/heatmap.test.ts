import { describe, expect, it } from 'vitest';
import { chooseHeatmapAxes } from '../../src/plot/heatmap-axes.ts';
import { heatmapSpec, MAX_LABELLED } from '../../src/plot/heatmap.ts';
import type { Axis, Results, RunRecord } from '../../src/plot/types.ts';

type Row = { x: string; y: string; facet: string; value: number; label: string; n: number };
// the spec is plain JSON: look inside without the Vega-Lite types
const json = (s: unknown) => s as { data: { values: Row[] }; facet?: { sort: string[] }; columns?: number; spec?: Record<string, unknown>; encoding?: Record<string, unknown>; layer?: unknown[]; title: { text: string; subtitle: string[] } };

function results(axes: Axis[], runs: Partial<RunRecord>[]): Results {
  const full = runs.map((r, i): RunRecord => ({ run: i, point: i, repeat: 0, seed: 1, params: {}, steps: 1, running_accuracy: null, test_accuracy: null, us_per_sample: null, ...r }));
  return { kind: 'sweep', dir: 'd', title: 's', axes, paramKeys: axes.map((a) => a.key), runs: full, hints: {}, notes: [] };
}

const LR = { key: 'training.lr_shift', values: [8, 10] };
const MODE = { key: 'training.update.rounding', values: ['TRN', 'RND_CONV'] };

describe('heatmapSpec', () => {
  it('string axes; an extra point on the axes adds its column, one with another key stays off the map', () => {
    const r = results([LR, MODE], [
      { params: { 'training.lr_shift': 8, 'training.update.rounding': 'TRN' }, test_accuracy: 0.8 },
      { params: { 'training.lr_shift': 8, 'training.update.rounding': 'RND_CONV' }, test_accuracy: 0.7 },
      { params: { 'training.lr_shift': 10, 'training.update.rounding': 'TRN' }, test_accuracy: 0.6 },
      { params: { 'training.lr_shift': 10, 'training.update.rounding': 'RND_CONV' }, test_accuracy: null },
      { params: { 'training.lr_shift': 10, 'training.update.rounding': 'STOCH' }, test_accuracy: 0.5 },
      { params: { 'training.lr_shift': 10, 'training.update.rounding': 'TRN', 'training.init.std': 100 }, test_accuracy: 0.1 },
    ]);
    const axes = chooseHeatmapAxes(r, { x: 'training.update.rounding' });
    expect(axes).toEqual({ x: 'training.update.rounding', y: 'training.lr_shift', facets: [] });
    const spec = json(heatmapSpec(r, axes, 'test_accuracy'));
    // rows in y then x order; the null cell is left out (blank on the map)
    expect(spec.data.values.map((c) => [c.x, c.y, c.label])).toEqual([['TRN', '8', '80'], ['RND_CONV', '8', '70'], ['TRN', '10', '60'], ['STOCH', '10', '50']]);
    expect((spec.encoding as { x: { sort: string[] } }).x.sort).toEqual(['TRN', 'RND_CONV', 'STOCH']);
    expect(spec.title.subtitle).toEqual(['x = training.update.rounding, y = training.lr_shift']);
    expect(heatmapSpec(r, axes, 'running_accuracy')).toBeUndefined(); // no run has it
  });

  it('facets: one map per combination of the other varied axes, in axis order, balanced rows', () => {
    const F = { key: 'F', values: [8, 12] };
    const A = { key: 'a', values: [1, 2, 3] };
    const B = { key: 'b', values: ['u', 'v'] };
    const runs: Partial<RunRecord>[] = [];
    for (const b of B.values) for (const a of A.values) for (const f of F.values) for (const lr of LR.values) runs.push({ params: { F: f, 'training.lr_shift': lr, a, b }, test_accuracy: 0.5 });
    const r = results([F, LR, A, B], runs.reverse());
    const spec = json(heatmapSpec(r, chooseHeatmapAxes(r), 'test_accuracy'));
    expect(spec.facet!.sort).toEqual(['a=1, b=u', 'a=1, b=v', 'a=2, b=u', 'a=2, b=v', 'a=3, b=u', 'a=3, b=v']);
    expect(spec.columns).toBe(3);
    expect(spec.data.values).toHaveLength(24);
    expect(spec.title.subtitle).toEqual(['x = F, y = training.lr_shift; one map per a, b']);
  });

  it('one varied axis: one row; a constant axis in the subtitle; big grids lose their labels', () => {
    const many = { key: 'F', values: Array.from({ length: MAX_LABELLED + 1 }, (_, i) => i) };
    const r = results([many, { key: 'seedless', values: [1] }], many.values.map((f) => ({ params: { F: f, seedless: 1 }, running_accuracy: f / 30 })));
    const axes = chooseHeatmapAxes(r);
    expect(axes.y).toBeUndefined();
    const spec = json(heatmapSpec(r, axes, 'running_accuracy'));
    expect(spec.encoding).not.toHaveProperty('y');
    expect(spec.layer).toHaveLength(1); // the rects, no text
    expect(spec.title.text).toBe('s: running accuracy, mean of 1 repeat');
    expect(spec.title.subtitle).toEqual(['x = F', 'fixed: seedless = 1']);
  });
});
