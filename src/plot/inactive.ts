import type { TopLevelSpec } from 'vega-lite';
import { layerPanel, type LayerValue } from './layer-panel.ts';

/** Inactive neurons (output zero for every sample of the interval) against step, one panel per layer. */
export function inactiveSpec(title: string, subtitle: string[], rows: readonly LayerValue[], layers: readonly string[], labels: readonly string[]): TopLevelSpec | undefined {
  if (!rows.length) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title: { text: `${title}: inactive neurons`, subtitle, anchor: 'start' },
    ...layerPanel(rows, layers, labels, 'inactive neurons', false),
  } as unknown as TopLevelSpec;
}
