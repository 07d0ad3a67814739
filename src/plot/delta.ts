import type { TopLevelSpec } from 'vega-lite';
import { layerPanel, type LayerValue } from './layer-panel.ts';

/**
 * Delta statistics against step, per layer: the mean of delta (top row) and its variance
 * (bottom row, log scale when every value is positive, else linear), each line the mean over a
 * point's repeats. `mean` and `variance` rows are already averaged (seriesByStep).
 */
export function deltaSpec(title: string, subtitle: string[], mean: readonly LayerValue[], variance: readonly LayerValue[], layers: readonly string[], labels: readonly string[]): TopLevelSpec | undefined {
  if (!mean.length && !variance.length) return undefined;
  const log = variance.length > 0 && variance.every((r) => r.value > 0);
  const panels = [
    ...(mean.length ? [layerPanel(mean, layers, labels, 'delta mean', false)] : []),
    ...(variance.length ? [layerPanel(variance, layers, labels, `delta variance${log ? ' (log)' : ''}`, log)] : []),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title: { text: `${title}: delta mean and variance`, subtitle, anchor: 'start' },
    vconcat: panels,
  } as unknown as TopLevelSpec;
}
