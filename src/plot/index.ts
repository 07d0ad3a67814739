import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../cli/io.ts';
import { inputError } from '../core/errors.ts';
import { plotCommandLine } from './command.ts';
import { curvesSpec } from './curves.ts';
import { deltaSpec } from './delta.ts';
import { chooseHeatmapAxes } from './heatmap-axes.ts';
import { heatmapSpec } from './heatmap.ts';
import { inactiveSpec } from './inactive.ts';
import { pointLabels } from './labels.ts';
import type { LayerValue } from './layer-panel.ts';
import { compareNatural } from './order.ts';
import { readCurves } from './read-curves.ts';
import { readResults } from './read-results.ts';
import { reportHtml, type ReportChart } from './report.ts';
import { selectCurvePoints } from './select.ts';
import { seriesByStep } from './series.ts';
import { ACCURACY_KEYS, PLOT_FORMATS, type AccuracyKey, type CurveRow, type LayerStats, type PlotFormat } from './types.ts';

export interface PlotOptions {
  /** Output directory; default `<dir>/plots`. */
  out?: string;
  /** Picture files to write (report.html is always written); default svg and png. */
  formats?: readonly PlotFormat[];
  /** The heatmap's value; default manifest plots.heatmap.value, else test accuracy when the runs have it. */
  value?: AccuracyKey;
  /** Heatmap axes (sweep axis keys); default manifest plots.heatmap, else the first two varied axes. */
  x?: string;
  y?: string;
  /** The command line shown in report.html; default rebuilt from the options. */
  command?: string;
}

export interface PlotOutcome {
  out: string;
  /** Files written, in order (names inside `out`). */
  files: string[];
  /** What was skipped or chosen, one line each (also in report.html). */
  notes: string[];
}

/**
 * `fxsim plot`: read a sweep's results directory (or one training run's output), draw heatmap,
 * curves, delta and inactive (SVG and/or PNG) and report.html into `out`. Everything is rendered
 * in memory first, then each file is written atomically. Same input, same bytes.
 */
export async function plotResults(dir: string, opts: PlotOptions = {}): Promise<PlotOutcome> {
  const formats = opts.formats ?? PLOT_FORMATS;
  for (const f of formats) if (!PLOT_FORMATS.includes(f)) inputError(`unknown format '${f}' (use ${PLOT_FORMATS.join(', ')})`, '--format');
  if (opts.value !== undefined && !ACCURACY_KEYS.includes(opts.value)) inputError(`unknown value '${opts.value}' (use ${ACCURACY_KEYS.join(' or ')})`, '--value');
  const results = await readResults(dir);
  const notes = [...results.notes];
  const axes = chooseHeatmapAxes(results, opts);
  const hasTest = results.runs.some((r) => r.test_accuracy !== null);
  const value: AccuracyKey = opts.value ?? results.hints.heatmap?.value ?? (hasTest ? 'test_accuracy' : 'running_accuracy');
  if (!opts.value && !results.hints.heatmap?.value && !hasTest) notes.push('no run has a test accuracy: the heatmap shows running accuracy');

  const specs: { name: string; title: string; spec: TopLevelSpec }[] = [];
  const heat = heatmapSpec(results, axes, value);
  if (heat) specs.push({ name: 'heatmap', title: 'Accuracy map', spec: heat });
  else notes.push(axes.x === undefined ? 'heatmap: skipped (no axis has more than one value)' : `heatmap: skipped (no run has a ${value.replace('_', ' ')})`);

  // the curve subset, then only its rows
  const selection = selectCurvePoints(results, value, axes.x);
  if (results.kind === 'sweep') notes.push(`curves: ${selection.rule}`);
  const curves = await readCurves(results, new Set(selection.points));
  notes.push(...curves.notes);
  const labels = pointLabels(results, selection.points);
  const rows: readonly CurveRow[] = curves.rows;
  if (!rows.length && results.curvesFile) notes.push(`${results.curvesFile}: no metrics rows for the drawn points; no curves`);

  const accuracy = seriesByStep(rows, selection.points, (r) => r.running_accuracy);
  const repeats = Math.max(0, ...accuracy.map((s) => s.band.n));
  const subtitle = [
    ...(results.kind === 'sweep' ? [selection.rule] : []),
    repeats > 1 ? 'mean of the repeats; bands: 68% and 95% CI of the mean' : repeats === 1 && results.kind === 'sweep' ? 'one repeat per point: no bands' : '',
  ].filter(Boolean);
  const curvesChart = curvesSpec(results.title, subtitle, accuracy, labels);
  if (curvesChart) specs.push({ name: 'curves', title: 'Training curves', spec: curvesChart });

  const layers = [...new Set(rows.flatMap((r) => Object.keys(r.layers)))].sort(compareNatural);
  const labelList = [...labels.values()];
  const perLayer = (stat: keyof LayerStats): LayerValue[] =>
    layers.flatMap((layer) => seriesByStep(rows, selection.points, (r) => r.layers[layer]?.[stat]).map((s) => ({ series: labels.get(s.point)!, layer, step: s.step, value: s.band.mean })));
  const lineSubtitle = [...(results.kind === 'sweep' ? [selection.rule] : []), ...(repeats > 1 ? ['lines: mean of the repeats'] : [])];
  const variance = perLayer('delta_var');
  if (variance.length && !variance.every((r) => r.value > 0)) notes.push('delta: the variance has values <= 0, so its scale is linear');
  const delta = deltaSpec(results.title, lineSubtitle, perLayer('delta_mean'), variance, layers, labelList);
  if (delta) specs.push({ name: 'delta', title: 'Delta mean and variance', spec: delta });
  const inactive = inactiveSpec(results.title, lineSubtitle, perLayer('inactive_neurons'), layers, labelList);
  if (inactive) specs.push({ name: 'inactive', title: 'Inactive neurons', spec: inactive });

  // render everything, then write; Vega loads only now (~0.4 s), after the input is known good
  const { specToSvg, svgToPng } = await import('./render.ts');
  const charts: ReportChart[] = [];
  const files: [string, string | Uint8Array][] = [];
  for (const s of specs) {
    const svg = await specToSvg(s.spec, s.name);
    charts.push({ name: s.name, title: s.title, svg });
    if (formats.includes('svg')) files.push([`${s.name}.svg`, svg]);
    if (formats.includes('png')) files.push([`${s.name}.png`, svgToPng(svg)]);
  }
  const command = opts.command ?? plotCommandLine(dir, opts);
  files.push(['report.html', reportHtml({ results, charts, command, notes })]);
  const out = opts.out ?? join(dir, 'plots');
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    inputError(`cannot create the output directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, out);
  }
  for (const [name, data] of files) await writeFileAtomic(join(out, name), data);
  return { out, files: files.map(([n]) => n), notes };
}
