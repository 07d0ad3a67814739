import type { CsvRow } from './results-csv.ts';

/** What one fraction width achieved over the learning rates swept. */
export interface FractionRow {
  F: number;
  /** Best accuracy over the learning rates, and the lr_shift giving it (the smallest on a tie). */
  best: number;
  bestLr: number;
  /** The lr_shifts within one point of the best: the width of the good learning-rate band. */
  nearBest: [number, number];
  /** The lr_shifts that train at all: accuracy >= `trains` (default 0.5). */
  training: [number, number] | null;
}

export interface LrFractionFindings {
  value: string;
  rows: FractionRow[];
  /** Per target accuracy, the smallest F some lr_shift reaches it with (null: none does). */
  minimum: { target: number; F: number | null; lr: number | null; accuracy: number | null }[];
}

/**
 * The study's map read as answers: per F the best learning rate and the band of learning rates
 * that train; per target the minimum F. Mean over repeats where a point has several.
 */
export function lrFractionFindings(rows: readonly CsvRow[], targets: readonly number[], opts: { f?: string; lr?: string; value?: string; trains?: number } = {}): LrFractionFindings {
  const fKey = opts.f ?? 'params.F', lrKey = opts.lr ?? 'training.lr_shift', value = opts.value ?? 'test_accuracy';
  const trains = opts.trains ?? 0.5;
  const cells = new Map<number, Map<number, number[]>>();
  for (const r of rows) {
    const F = Number(r[fKey]), lr = Number(r[lrKey]), v = Number(r[value]);
    if (![F, lr, v].every(Number.isFinite)) continue;
    const byLr = cells.get(F) ?? cells.set(F, new Map()).get(F)!;
    (byLr.get(lr) ?? byLr.set(lr, []).get(lr)!).push(v);
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const out: FractionRow[] = [...cells.keys()].sort((a, b) => a - b).map((F) => {
    const byLr = [...cells.get(F)!.entries()].map(([lr, v]) => [lr, mean(v)] as const).sort((a, b) => a[0] - b[0]);
    let [bestLr, best] = byLr[0];
    for (const [lr, v] of byLr) if (v > best) [bestLr, best] = [lr, v];
    const near = byLr.filter(([, v]) => v >= best - 0.01).map(([lr]) => lr);
    const ok = byLr.filter(([, v]) => v >= trains).map(([lr]) => lr);
    return { F, best, bestLr, nearBest: [Math.min(...near), Math.max(...near)], training: ok.length ? [Math.min(...ok), Math.max(...ok)] : null };
  });
  const minimum = targets.map((target) => {
    const hit = out.find((r) => r.best >= target);
    return { target, F: hit?.F ?? null, lr: hit?.bestLr ?? null, accuracy: hit?.best ?? null };
  });
  return { value, rows: out, minimum };
}
