import { inputError } from '../core/errors.ts';
import { checkCurveLine } from '../sweep/records.ts';
import { readJsonl } from './jsonl.ts';
import { LAYER_STATS, type CurveRow, type LayerStats, type Results } from './types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function num(o: Obj, key: string, where: string, required: boolean): number | null {
  const v = o[key];
  if ((v === undefined || v === null) && !required) return null;
  if (typeof v !== 'number' || (required && !Number.isFinite(v))) inputError(`'${key}' must be a number${v === undefined ? ' (missing)' : `, not ${JSON.stringify(v)}`}`, where);
  return v;
}

function layersOf(o: Obj, where: string): Record<string, LayerStats> {
  const layers = o.layers ?? {};
  if (!isObj(layers)) inputError("'layers' must be an object of per-layer statistics", where);
  const out: Record<string, LayerStats> = {};
  for (const [name, l] of Object.entries(layers)) {
    if (!isObj(l)) inputError(`'layers.${name}' must be an object`, where);
    out[name] = Object.fromEntries(LAYER_STATS.map((k) => [k, num(l, k, `${where}: layers.${name}`, false)])) as unknown as LayerStats;
  }
  return out;
}

export interface CurvesRead {
  /** Sorted by run, then step. */
  rows: CurveRow[];
  notes: string[];
}

/**
 * The metrics rows of the finished runs (those in results.runs) at `points` (all points when
 * undefined): curves.jsonl of a sweep,
 * or metrics.jsonl of a training run (one run: point 0, repeat 0, run 0). Rows are sorted by run
 * and step, so the pictures do not depend on the order parallel runs finished in.
 */
export async function readCurves(results: Results, points?: ReadonlySet<number>): Promise<CurvesRead> {
  const file = results.curvesFile;
  if (!file) return { rows: [], notes: [] };
  const rows: CurveRow[] = [];
  const train = results.kind === 'train';
  // a running sweep writes a run's curves before its results line: only finished runs count
  const finished = new Set(results.runs.map((r) => r.run));
  const read = await readJsonl(file, (o, line) => {
    const where = `${file}:${line}`;
    // a sweep's curves.jsonl: every line checked as fxsim sweep and merge check it
    if (!train) checkCurveLine(o, where, results.runRange);
    const point = train ? 0 : num(o, 'point', where, true)!;
    if (points && !points.has(point)) return;
    const run = train ? 0 : num(o, 'run', where, true)!;
    if (!finished.has(run)) return;
    rows.push({
      point,
      repeat: train ? 0 : num(o, 'repeat', where, true)!,
      run,
      step: num(o, 'step', where, true)!,
      running_accuracy: num(o, 'running_accuracy', where, false),
      interval_accuracy: num(o, 'interval_accuracy', where, false),
      layers: layersOf(o, where),
    });
  });
  rows.sort((a, b) => a.run - b.run || a.step - b.step);
  // a run written twice: keep the first line of each (run, step), as for results
  const unique = rows.filter((r, i) => i === 0 || rows[i - 1].run !== r.run || rows[i - 1].step !== r.step);
  return { rows: unique, notes: read.tornLine ? [`${file}:${read.tornLine}: skipped a torn last line (still being written?)`] : [] };
}
