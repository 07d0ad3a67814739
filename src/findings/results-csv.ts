import { readFileSync } from 'node:fs';
import { inputError } from '../core/errors.ts';

/** One run of a sweep as results.csv has it: numbers where the cell is a number. */
export type CsvRow = Record<string, number | string>;

/**
 * Read a sweep's results.csv (fxsim sweep writes it sorted by run). Only the plain CSV that
 * file uses: a header line, comma-separated cells, double quotes around cells with commas.
 */
export function readResultsCsv(path: string): CsvRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return inputError(`cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, path);
  }
  const lines = text.split('\n').filter((l) => l !== '');
  if (!lines.length) inputError('empty file: expected a header line and one line per run', path);
  const header = splitCsv(lines[0]);
  return lines.slice(1).map((line, i) => {
    const cells = splitCsv(line);
    if (cells.length !== header.length) inputError(`${cells.length} cells, the header has ${header.length}`, `${path}:${i + 2}`);
    return Object.fromEntries(header.map((h, j) => [h, cells[j] !== '' && Number.isFinite(Number(cells[j])) ? Number(cells[j]) : cells[j]]));
  });
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
