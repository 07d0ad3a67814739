import type { TopLevelSpec } from 'vega-lite';
import { bandStats } from './bands.ts';
import type { HeatmapAxes } from './heatmap-axes.ts';
import { axisTitle, formatParam, shortKeys, variedAxes } from './labels.ts';
import { compareParam } from './order.ts';
import type { AccuracyKey, ParamValue, Results } from './types.ts';

/** Above this many columns or rows a cell is too small to carry its number. */
export const MAX_LABELLED = 24;
/** Facets per row of the wrapped facet grid. */
const FACET_COLUMNS = 4;

const VALUE_TITLE: Record<AccuracyKey, string> = { test_accuracy: 'test accuracy', running_accuracy: 'running accuracy' };

/** The axis' values in manifest order, then any value only the runs have (sorted). */
function domain(results: Results, key: string): ParamValue[] {
  const values = [...(results.axes.find((a) => a.key === key)?.values ?? [])];
  const extra = results.runs.map((r) => r.params[key]).filter((v): v is ParamValue => v !== undefined && !values.includes(v));
  return [...values, ...[...new Set(extra)].sort(compareParam)];
}

/**
 * The accuracy map: `value` (mean over the repeats of each grid point) over axes.x and axes.y,
 * one heatmap per combination of the other varied axes (a wrapped column facet). Cells carry the
 * value in percent when the grid has at most MAX_LABELLED columns and rows; the color scale is
 * viridis fixed to [0, 1]. Runs that set a parameter no axis has (extra points of a sweep) are
 * left out. Undefined when axes.x is undefined or no run has the value.
 */
export function heatmapSpec(results: Results, axes: HeatmapAxes, value: AccuracyKey): TopLevelSpec | undefined {
  const { x, y, facets } = axes;
  if (x === undefined) return undefined;
  const short = shortKeys(facets);
  const xs = domain(results, x);
  const ys = y === undefined ? [] : domain(results, y);
  const facetDomains = facets.map((k) => domain(results, k));
  // group the runs by cell; runs are sorted by run, so every mean sums in the same order
  const cells = new Map<string, { xv: ParamValue; yv: ParamValue; fv: ParamValue[]; values: number[] }>();
  const axisKeys = new Set(results.axes.map((a) => a.key));
  for (const r of results.runs) {
    // an extra point that sets a key no axis has is another configuration: not on the map
    if (Object.keys(r.params).some((k) => !axisKeys.has(k))) continue;
    const v = r[value];
    if (v === null || !Number.isFinite(v)) continue;
    const xv = r.params[x];
    const yv = y === undefined ? null : r.params[y];
    const fv = facets.map((k) => r.params[k] ?? null);
    if (xv === undefined || yv === undefined) continue;
    const id = JSON.stringify([xv, yv, fv]);
    const cell = cells.get(id) ?? { xv, yv, fv, values: [] };
    cell.values.push(v);
    cells.set(id, cell);
  }
  if (!cells.size) return undefined;
  const facetLabel = (fv: ParamValue[]) => facets.map((k, i) => `${short.get(k)}=${formatParam(fv[i])}`).join(', ');
  const facetOrder = (a: ParamValue[], b: ParamValue[]) => {
    for (let i = 0; i < facets.length; i++) {
      const d = facetDomains[i].indexOf(a[i]) - facetDomains[i].indexOf(b[i]);
      if (d) return d;
    }
    return 0;
  };
  const index = (vs: ParamValue[], v: ParamValue) => vs.indexOf(v);
  const sorted = [...cells.values()].sort((a, b) => facetOrder(a.fv, b.fv) || index(ys, a.yv) - index(ys, b.yv) || index(xs, a.xv) - index(xs, b.xv));
  const rows = sorted.map((c) => {
    const { mean, n } = bandStats(c.values);
    return { x: formatParam(c.xv), y: formatParam(c.yv), facet: facetLabel(c.fv), value: mean, label: String(Math.round(100 * mean)), n };
  });
  const ns = rows.map((r) => r.n);
  const nMin = Math.min(...ns);
  const nMax = Math.max(...ns);
  const repeats = nMin === nMax ? `${nMax} repeat${nMax === 1 ? '' : 's'}` : `${nMin}-${nMax} repeats`;
  const labelled = xs.length <= MAX_LABELLED && ys.length <= MAX_LABELLED;
  const constants = results.axes.filter((a) => !variedAxes(results).includes(a) && a.values.length === 1);
  const facetValues = [...new Set(sorted.map((c) => JSON.stringify(c.fv)))].map((s) => facetLabel(JSON.parse(s) as ParamValue[]));

  // wide enough for the longest x label (RND_CONV), estimated as Vega does without a canvas
  const xLabel = Math.max(...xs.map((v) => formatParam(v).length));
  const inner = {
    width: { step: labelled ? Math.min(96, Math.max(34, 8 + 7 * xLabel)) : 12 },
    height: y === undefined ? 24 : { step: labelled ? 24 : 12 },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: xs.map(formatParam), title: axisTitle(x, 'x'), axis: { labelAngle: 0 } },
      ...(y === undefined ? {} : { y: { field: 'y', type: 'ordinal', sort: ys.map(formatParam), title: axisTitle(y, 'y') } }),
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            scale: { scheme: 'viridis', domain: [0, 1], clamp: true },
            title: VALUE_TITLE[value],
            legend: { format: '.0%' },
          },
        },
      },
      ...(labelled
        ? [
            {
              mark: { type: 'text', fontSize: 10 },
              encoding: {
                text: { field: 'label', type: 'nominal' },
                color: { condition: { test: 'datum.value < 0.5', value: 'white' }, value: 'black' },
              },
            },
          ]
        : []),
    ],
  };
  const title = {
    text: `${results.title}: ${VALUE_TITLE[value]}${labelled ? ' (%)' : ''}, mean of ${repeats}`,
    subtitle: [
      `x = ${x}${y === undefined ? '' : `, y = ${y}`}${facets.length ? `; one map per ${facets.join(', ')}` : ''}`,
      ...(constants.length ? [`fixed: ${constants.map((a) => `${a.key} = ${formatParam(a.values[0])}`).join(', ')}`] : []),
    ],
    anchor: 'start',
  };
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white', title, data: { values: rows } };
  if (!facets.length) return { ...base, ...inner } as unknown as TopLevelSpec;
  return {
    ...base,
    facet: { field: 'facet', type: 'ordinal', sort: facetValues, title: null, header: { labelFontSize: 12 } },
    // balanced rows: 6 maps in 2 rows of 3, not 4 + 2
    columns: Math.ceil(facetValues.length / Math.ceil(facetValues.length / FACET_COLUMNS)),
    spec: inner,
  } as unknown as TopLevelSpec;
}
