import { seriesColor } from './palette.ts';

export interface LayerValue {
  series: string;
  layer: string;
  step: number;
  value: number;
}

/**
 * One row of small multiples: `yTitle` against step, one panel per layer (in `layers` order),
 * one line per series, each panel with its own y scale; `log` makes the y scale logarithmic
 * (every value must then be positive). A Vega-Lite facet spec, to stand alone or in a vconcat.
 */
export function layerPanel(rows: readonly LayerValue[], layers: readonly string[], labels: readonly string[], yTitle: string, log: boolean) {
  return {
    data: { values: rows },
    facet: { column: { field: 'layer', type: 'nominal', sort: layers, title: null, header: { labelFontSize: 12, labelExpr: "'layer ' + datum.value" } } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 300,
      height: 180,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step (training samples)', axis: { format: '~s' } },
        y: { field: 'value', type: 'quantitative', title: yTitle, scale: log ? { type: 'log' } : { zero: false } },
        color: seriesColor(labels),
      },
    },
  };
}
