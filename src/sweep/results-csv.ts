import { csvCell, type MetricValue } from '../io/metrics.ts';
import { byRun, LAYER_METRICS, type ResultLine } from './records.ts';

/**
 * results.csv: one row per run, sorted by run id (so the same runs give the same table whatever
 * the worker count or completion order). Columns: point, repeat, run, seed, one per params key,
 * steps, accuracies, timing, then `<layer>.<metric>` of the final metrics.
 */
export function resultsCsv(results: readonly ResultLine[], paramKeys: readonly string[]): string {
  const rows = [...results].sort(byRun);
  const layers: string[] = [];
  for (const r of rows) for (const l of Object.keys(r.final)) if (!layers.includes(l)) layers.push(l);
  const header = [
    'point', 'repeat', 'run', 'seed', ...paramKeys, 'steps', 'running_accuracy', 'test_accuracy', 'test_samples', 'us_per_sample', 'elapsed_ms',
    ...layers.flatMap((l) => LAYER_METRICS.map((m) => `${l}.${m}`)),
  ];
  const line = (cells: MetricValue[]) => `${cells.map(csvCell).join(',')}\n`;
  return line(header) + rows.map((r) => line([
    r.point, r.repeat, r.run, r.seed,
    ...paramKeys.map((k) => r.params[k] as MetricValue),
    r.steps, r.running_accuracy, r.test_accuracy, r.test_samples, r.us_per_sample, r.elapsed_ms,
    ...layers.flatMap((l) => LAYER_METRICS.map((m) => r.final[l]?.[m])),
  ])).join('');
}
