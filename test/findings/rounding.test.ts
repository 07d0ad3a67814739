import { describe, expect, it } from 'vitest';
import { roundingFindings } from '../../src/findings/rounding.ts';
import { roundingMarkdown } from '../../src/findings/markdown.ts';

const row = (F: number, mode: string, lr: number, acc: number) => ({ 'params.F': F, 'training.update.rounding': mode, 'training.lr_shift': lr, test_accuracy: acc });

describe('roundingFindings', () => {
  it('per F and mode: the lr with the best mean over seeds, with the standard deviation', () => {
    const f = roundingFindings([
      row(8, 'TRN', 6, 0.5), row(8, 'TRN', 6, 0.7), row(8, 'TRN', 9, 0.55), row(8, 'TRN', 9, 0.55),
      row(8, 'STOCH', 6, 0.8), row(8, 'STOCH', 6, 0.8),
    ]);
    expect(f.modes).toEqual(['TRN', 'STOCH']);
    expect(f.rows[0].cells.TRN).toMatchObject({ lr: 6, repeats: 2 });
    expect(f.rows[0].cells.TRN.mean).toBeCloseTo(0.6, 12);
    expect(f.rows[0].cells.TRN.std).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(f.rows[0].cells.STOCH).toMatchObject({ mean: 0.8, std: 0, lr: 6 });
    expect(roundingMarkdown(f)).toBe('| F | TRN | STOCH |\n|---|---|---|\n| 8 | 60.0% ± 14.1 (lr 6) | 80.0% ± 0.0 (lr 6) |');
  });
});
