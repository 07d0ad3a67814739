import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lrFractionFindings } from '../../src/findings/lr-fraction.ts';

const row = (F: number, lr: number, acc: number) => ({ 'params.F': F, 'training.lr_shift': lr, test_accuracy: acc });

describe('lrFractionFindings', () => {
  it('reads per F the best lr, the near-best band, the band that trains, and the minimum F per target', () => {
    const rows = [
      row(8, 4, 0.1), row(8, 5, 0.1), row(8, 6, 0.1),
      row(12, 4, 0.2), row(12, 5, 0.6), row(12, 6, 0.55),
      row(16, 4, 0.2), row(16, 5, 0.9), row(16, 6, 0.905),
    ];
    const f = lrFractionFindings(rows, [0.5, 0.9, 0.95]);
    expect(f.rows).toEqual([
      { F: 8, best: 0.1, bestLr: 4, nearBest: [4, 6], training: null },
      { F: 12, best: 0.6, bestLr: 5, nearBest: [5, 5], training: [5, 6] },
      { F: 16, best: 0.905, bestLr: 6, nearBest: [5, 6], training: [5, 6] },
    ]);
    expect(f.minimum).toEqual([
      { target: 0.5, F: 12, lr: 5, accuracy: 0.6 },
      { target: 0.9, F: 16, lr: 6, accuracy: 0.905 },
      { target: 0.95, F: null, lr: null, accuracy: null },
    ]);
  });
  it('averages repeats of a point before comparing', () => {
    const f = lrFractionFindings([row(10, 3, 0.5), row(10, 3, 0.7), row(10, 4, 0.61)], [0.6]);
    expect(f.rows[0]).toMatchObject({ best: 0.61, bestLr: 4 });
  });
  it('the minimum F for a target is the smallest F whose best reaches it (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (cells, target) => {
      const f = lrFractionFindings(cells.map(([F, lr, a]) => row(F, lr, a)), [target]);
      const m = f.minimum[0];
      const reaching = f.rows.filter((r) => r.best >= target).map((r) => r.F);
      expect(m.F).toBe(reaching.length ? Math.min(...reaching) : null);
      for (const r of f.rows) expect(r.nearBest[0] <= r.bestLr && r.bestLr <= r.nearBest[1]).toBe(true);
    }));
  });
});
