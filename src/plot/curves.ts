import type { TopLevelSpec } from 'vega-lite';
import { seriesColor } from './palette.ts';
import type { SeriesStep } from './series.ts';

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * Training curves: running accuracy against step, one line per drawn point (the mean over its
 * repeats) with its 68% and 95% bands (bands.ts) shaded behind it; with one repeat, the line
 * alone. `labels` maps each point to its legend label, in legend order. Bands are clipped to
 * [0, 1]. Undefined when there is nothing to draw.
 */
export function curvesSpec(title: string, subtitle: string[], steps: readonly SeriesStep[], labels: ReadonlyMap<number, string>): TopLevelSpec | undefined {
  if (!steps.length) return undefined;
  const rows = steps.map(({ point, step, band }) => ({
    series: labels.get(point)!,
    step,
    mean: band.mean,
    lo68: clamp01(band.lo68),
    hi68: clamp01(band.hi68),
    lo95: clamp01(band.lo95),
    hi95: clamp01(band.hi95),
    n: band.n,
  }));
  const color = seriesColor([...labels.values()].filter((l) => rows.some((r) => r.series === l)));
  const bands = rows.some((r) => r.n > 1);
  const x = { field: 'step', type: 'quantitative', title: 'step (training samples)', axis: { format: '~s' } };
  const y = (field: string) => ({ field, type: 'quantitative', title: 'running accuracy', scale: { zero: false }, axis: { format: '.0%' } });
  const area = (lo: string, hi: string, opacity: number) => ({
    mark: { type: 'area', opacity },
    encoding: { x, y: y(lo), y2: { field: hi }, color },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title: { text: `${title}: running accuracy`, subtitle, anchor: 'start' },
    data: { values: rows },
    width: 600,
    height: 300,
    layer: [
      ...(bands ? [area('lo95', 'hi95', 0.15), area('lo68', 'hi68', 0.3)] : []),
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: y('mean'), color } },
    ],
  } as unknown as TopLevelSpec;
}
