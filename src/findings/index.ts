import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inputError } from '../core/errors.ts';
import { lrFractionFindings } from './lr-fraction.ts';
import { lrFractionMarkdown, roundingMarkdown } from './markdown.ts';
import { readResultsCsv } from './results-csv.ts';
import { roundingFindings } from './rounding.ts';

export { lrFractionFindings, type FractionRow, type LrFractionFindings } from './lr-fraction.ts';
export { lrFractionMarkdown, roundingMarkdown } from './markdown.ts';
export { readResultsCsv, type CsvRow } from './results-csv.ts';
export { roundingFindings, type RoundingCell, type RoundingFindings } from './rounding.ts';

/** The accuracy targets the minimum-precision lists answer for. */
export const FINDINGS_TARGETS = [0.5, 0.8, 0.85, 0.9];

/**
 * The Findings block for one sweep's results directory: a rounding comparison when the sweep
 * varied training.update.rounding, else the learning rate x fraction bits reading.
 */
export function findingsMarkdown(dir: string): string {
  const csv = join(dir, 'results.csv');
  if (!existsSync(csv)) inputError('no results.csv here: give a fxsim sweep results directory', dir);
  // the columns findings compute with: a cell that is not a number is an error, not a dropped run
  const rows = readResultsCsv(csv, ['params.F', 'training.lr_shift', 'test_accuracy']);
  if (!rows.length) inputError('no runs', csv);
  const cols = Object.keys(rows[0]);
  for (const need of ['params.F', 'training.lr_shift', 'test_accuracy']) {
    if (!cols.includes(need)) inputError(`no column '${need}': findings read a sweep over params.F and training.lr_shift`, csv);
  }
  const body = cols.includes('training.update.rounding') ? roundingMarkdown(roundingFindings(rows)) : lrFractionMarkdown(lrFractionFindings(rows, FINDINGS_TARGETS));
  // blank lines around the body: Markdown renders the table after an HTML comment line that way everywhere
  return `<!-- findings:${basename(dir)} (generated: npx fxsim findings ${dir}) -->\n\n${body}\n\n<!-- /findings:${basename(dir)} -->`;
}
