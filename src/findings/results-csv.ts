import { readFileSync } from 'node:fs';
import { inputError } from '../core/errors.ts';
import { readProblem } from '../sweep/jsonl.ts';
import { numberProblem, RESULT_NUMBERS } from '../sweep/records.ts';

/** One run of a sweep as results.csv has it: numbers where the cell is a number. */
export type CsvRow = Record<string, number | string>;

/** A cell as an error shows it: short, and only printable characters (the file may be binary). */
const shownCell = (cell: string) => (cell === '' ? 'an empty cell' : `'${(cell.length > 40 ? `${cell.slice(0, 37)}...` : cell).replace(/[^\x20-\x7e]/g, '?')}'`);

/**
 * Read a sweep's results.csv (fxsim sweep writes it sorted by run). Only the plain CSV that
 * file uses: a header line, comma-separated cells, double quotes around cells with commas.
 * The header must have the columns fxsim sweep writes, and their cells the numbers it writes
 * there (the same checks as a results.jsonl line: records.ts); `numeric` names more columns
 * whose cells must be numbers (the parameters a reader computes with). Every problem is an
 * FxInputError at `file:line`: a run is never dropped or misread silently.
 */
export function readResultsCsv(path: string, numeric: readonly string[] = []): CsvRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return inputError(`cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : readProblem(e)}`, path);
  }
  const lines = text.split(/\r?\n/);
  if (!lines.some((l) => l !== '')) inputError('empty file: expected a header line and one line per run', path);
  const header = splitCsv(lines[0]);
  const fixed = Object.keys(RESULT_NUMBERS);
  const absent = fixed.find((c) => !header.includes(c));
  if (absent !== undefined) inputError(`not a results.csv header: no column '${absent}' (fxsim sweep writes ${fixed.slice(0, 4).join(',')},<params>,${fixed.slice(4).join(',')},<layer metrics>)`, `${path}:1`);
  const rows: CsvRow[] = [];
  lines.forEach((line, i) => {
    if (i === 0 || line === '') return;
    const where = `${path}:${i + 1}`;
    const cells = splitCsv(line);
    if (cells.length !== header.length) inputError(`${cells.length} cells, the header has ${header.length}`, where);
    const row: CsvRow = Object.fromEntries(header.map((h, j) => [h, cells[j] !== '' && Number.isFinite(Number(cells[j])) ? Number(cells[j]) : cells[j]]));
    for (const [column, kind] of [...Object.entries(RESULT_NUMBERS), ...numeric.map((c) => [c, 'number'] as const)]) {
      if (!(column in row) || (row[column] === '' && kind === 'accuracy?')) continue; // (an empty test accuracy: no test split)
      const problem = numberProblem(row[column], kind, 'an empty cell');
      if (problem) inputError(`column ${column}: ${problem} (got ${shownCell(String(row[column]))})`, where);
    }
    rows.push(row);
  });
  return rows;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}
