import type { CsvRow } from './results-csv.ts';

/** One (F, rounding) cell: the learning rate with the best mean accuracy over the seeds. */
export interface RoundingCell {
  mean: number;
  std: number;
  lr: number;
  repeats: number;
}

export interface RoundingFindings {
  value: string;
  modes: string[];
  rows: { F: number; cells: Record<string, RoundingCell> }[];
}

/** Rounding modes compared per fraction width, each at its own best learning rate. */
export function roundingFindings(rows: readonly CsvRow[], opts: { f?: string; lr?: string; mode?: string; value?: string } = {}): RoundingFindings {
  const fKey = opts.f ?? 'params.F', lrKey = opts.lr ?? 'training.lr_shift', modeKey = opts.mode ?? 'training.update.rounding';
  const value = opts.value ?? 'test_accuracy';
  const groups = new Map<string, number[]>();
  const modes: string[] = [];
  const fs = new Set<number>();
  for (const r of rows) {
    const mode = String(r[modeKey]);
    if (!modes.includes(mode)) modes.push(mode);
    fs.add(Number(r[fKey]));
    const k = JSON.stringify([Number(r[fKey]), mode, Number(r[lrKey])]);
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(Number(r[value]));
  }
  const stats = (v: number[]) => {
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1)) : 0;
    return { mean: m, std: sd };
  };
  const out = [...fs].sort((a, b) => a - b).map((F) => {
    const cells: Record<string, RoundingCell> = {};
    for (const mode of modes) {
      let best: RoundingCell | undefined;
      for (const [k, v] of groups) {
        const [f, m, lr] = JSON.parse(k) as [number, string, number];
        if (f !== F || m !== mode) continue;
        const s = stats(v);
        if (!best || s.mean > best.mean || (s.mean === best.mean && lr < best.lr)) best = { ...s, lr, repeats: v.length };
      }
      if (best) cells[mode] = best;
    }
    return { F, cells };
  });
  return { value, modes, rows: out };
}
