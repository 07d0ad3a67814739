import { describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { chooseHeatmapAxes } from '../../src/plot/heatmap-axes.ts';
import { pointLabels } from '../../src/plot/labels.ts';
import { MAX_CURVES, selectCurvePoints } from '../../src/plot/select.ts';
import type { Axis, PlotHints, Results, RunRecord } from '../../src/plot/types.ts';

/** Results over a grid (first axis outermost), `repeats` runs per point, accuracy from `acc`. */
function grid(axes: Axis[], repeats: number, acc: (params: Record<string, number | string>) => number, hints: PlotHints = {}): Results {
  let points: Record<string, number | string>[] = [{}];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => ({ ...p, [a.key]: v as number | string })));
  const runs: RunRecord[] = [];
  points.forEach((params, point) => {
    for (let repeat = 0; repeat < repeats; repeat++) {
      runs.push({ run: runs.length, point, repeat, seed: repeat + 1, params, steps: 100, running_accuracy: acc(params) - 0.01, test_accuracy: acc(params), us_per_sample: 1 });
    }
  });
  return { kind: 'sweep', dir: 'd', title: 't', axes, paramKeys: axes.map((a) => a.key), runs, hints, notes: [] };
}

const F = { key: 'params.F', values: [4, 8, 12, 16, 20, 24] };
const LR = { key: 'training.lr_shift', values: [3, 6, 8, 10] };
const MODE = { key: 'rounding', values: ['TRN', 'RND'] };
const ONE = { key: 'training.steps', values: [1000] };

describe('chooseHeatmapAxes', () => {
  it('the first two axes with more than one value; the other varied ones are facets', () => {
    const r = grid([ONE, F, LR, MODE], 1, () => 0.5);
    expect(chooseHeatmapAxes(r)).toEqual({ x: 'params.F', y: 'training.lr_shift', facets: ['rounding'] });
  });

  it('--x/--y first, then manifest plots.heatmap', () => {
    const r = grid([F, LR, MODE], 1, () => 0.5, { heatmap: { x: 'training.lr_shift', y: 'rounding' } });
    expect(chooseHeatmapAxes(r)).toEqual({ x: 'training.lr_shift', y: 'rounding', facets: ['params.F'] });
    expect(chooseHeatmapAxes(r, { x: 'params.F' })).toEqual({ x: 'params.F', y: 'rounding', facets: ['training.lr_shift'] });
    // --y takes the hint's x: x falls back to the first other varied axis
    expect(chooseHeatmapAxes(r, { y: 'training.lr_shift' })).toEqual({ x: 'params.F', y: 'training.lr_shift', facets: ['rounding'] });
  });

  it('one varied axis: one row; none: no heatmap', () => {
    expect(chooseHeatmapAxes(grid([F, ONE], 1, () => 0.5))).toEqual({ x: 'params.F', y: undefined, facets: [] });
    expect(chooseHeatmapAxes(grid([ONE], 1, () => 0.5))).toEqual({ x: undefined, y: undefined, facets: [] });
  });

  it('an unknown or repeated key is an FxInputError naming the flag', () => {
    const r = grid([F, LR], 1, () => 0.5);
    expect(() => chooseHeatmapAxes(r, { x: 'F' })).toThrow(new FxInputError("unknown axis 'F' (the axes are params.F, training.lr_shift)", '--x'));
    expect(() => chooseHeatmapAxes(r, { y: 'lr' })).toThrow(/^--y: unknown axis 'lr'/);
    expect(() => chooseHeatmapAxes(r, { x: 'params.F', y: 'params.F' })).toThrow(/^--y: --x and --y name the same axis/);
  });
});

describe('selectCurvePoints', () => {
  it('every point when there are at most MAX_CURVES', () => {
    const r = grid([{ key: 'a', values: [1, 2, 3] }, { key: 'b', values: [1, 2, 3] }], 2, () => 0.5);
    expect(selectCurvePoints(r, 'test_accuracy')).toEqual({ points: [0, 1, 2, 3, 4, 5, 6, 7, 8], rule: 'all 9 points' });
  });

  it('else the best point per value of the heatmap x axis, in the axis order', () => {
    // best lr per F: lr 8 for F < 16, lr 3 above
    const acc = (p: Record<string, number | string>) => (Number(p['params.F']) < 16 ? (p['training.lr_shift'] === 8 ? 0.9 : 0.5) : p['training.lr_shift'] === 3 ? 0.8 : 0.4);
    const r = grid([F, LR], 3, acc);
    const s = selectCurvePoints(r, 'test_accuracy', 'params.F');
    const params = (p: number) => r.runs.find((x) => x.point === p)!.params;
    expect(s.points.map(params)).toEqual([
      { 'params.F': 4, 'training.lr_shift': 8 }, { 'params.F': 8, 'training.lr_shift': 8 }, { 'params.F': 12, 'training.lr_shift': 8 },
      { 'params.F': 16, 'training.lr_shift': 3 }, { 'params.F': 20, 'training.lr_shift': 3 }, { 'params.F': 24, 'training.lr_shift': 3 },
    ]);
    expect(s.rule).toBe('best point per params.F, by test accuracy: 6 of 24 points');
    // by the other axis
    expect(selectCurvePoints(r, 'test_accuracy', 'training.lr_shift').points).toHaveLength(4);
  });

  it('ties go to the lower point; an axis with too many values keeps the MAX_CURVES best', () => {
    const many = { key: 'x', values: [...Array(15).keys()] };
    const r = grid([many, { key: 'y', values: [0, 1] }], 1, (p) => Number(p.x) / 100);
    const s = selectCurvePoints(r, 'test_accuracy', 'x');
    expect(s.points).toHaveLength(MAX_CURVES);
    // x = 5..14 are the best; y ties: the lower point (y = 0)
    expect(s.points.map((p) => r.runs[p].params)).toEqual([...Array(10).keys()].map((i) => ({ x: i + 5, y: 0 })));
    expect(s.rule).toBe('best point per x (10 best of 15 values), by test accuracy: 10 of 30 points');
  });

  it('manifest plots.curves: indices and parameter objects, in the order given; plots.curves.by', () => {
    const r = grid([F, LR], 1, () => 0.5, { curves: { points: [5, { 'params.F': 24 }, 5, 99] } });
    const s = selectCurvePoints(r, 'test_accuracy');
    expect(s.points).toEqual([5, 20, 21, 22, 23]);
    expect(s.rule).toBe('5 points listed in manifest plots.curves');
    const by = grid([F, LR], 1, (p) => Number(p['training.lr_shift']), { curves: { by: 'training.lr_shift' } });
    expect(selectCurvePoints(by, 'test_accuracy', 'params.F').points).toHaveLength(4);
  });

  it('running accuracy where no repeat has the value', () => {
    const r = grid([F, LR], 1, (p) => Number(p['params.F']));
    for (const x of r.runs) x.test_accuracy = null;
    const s = selectCurvePoints(r, 'test_accuracy', 'training.lr_shift');
    expect(s.points.map((p) => r.runs[p].params['params.F'])).toEqual([24, 24, 24, 24]);
  });
});

describe('pointLabels', () => {
  it('the parameters that differ, short keys; the title when nothing differs', () => {
    const r = grid([F, LR, ONE], 1, () => 0.5);
    expect(pointLabels(r, [0, 5])).toEqual(new Map([[0, 'F=4, lr_shift=3'], [5, 'F=8, lr_shift=6']]));
    expect(pointLabels(grid([ONE], 1, () => 0.5), [0])).toEqual(new Map([[0, 't']]));
  });

  it('colliding short keys stay long; identical labels get the point', () => {
    const r = grid([{ key: 'a.F', values: [1, 2] }, { key: 'b.F', values: [3] }, { key: 'c.F', values: [5, 6] }], 1, () => 0.5);
    expect(pointLabels(r, [0])).toEqual(new Map([[0, 'a.F=1, c.F=5']]));
    r.runs[1].params = r.runs[0].params;
    expect(pointLabels(r, [0, 1])).toEqual(new Map([[0, 'a.F=1, c.F=5 (point 0)'], [1, 'a.F=1, c.F=5 (point 1)']]));
  });
});
