/** The color encoding every curve picture shares: one color per drawn point, in legend order. */
export function seriesColor(labels: readonly string[]) {
  return {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: labels,
    scale: { domain: labels, scheme: labels.length <= 10 ? 'category10' : 'tableau20' },
    legend: labels.length > 1 ? { orient: 'bottom', direction: 'vertical', labelLimit: 400, symbolType: 'stroke', symbolStrokeWidth: 2, symbolOpacity: 1 } : null,
  };
}
