import { mkdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../cli/io.ts';
import { inputError } from '../core/errors.ts';
import { jsonlText, readJsonl, readProblem } from './jsonl.ts';
import { MANIFEST } from './manifest.ts';
import { checkCurveLine, checkResultLine, type CurveLine, type ResultLine, type RunRange } from './records.ts';

/** The files of a sweep result directory. */
export const RESULTS = 'results.jsonl';
export const CURVES = 'curves.jsonl';
export const RESULTS_CSV = 'results.csv';

/** The first line of each run id, and whether there were others. */
function firstPerRun<T extends { run: number }>(rows: readonly T[]): { unique: T[]; duplicates: boolean } {
  const seen = new Set<number>();
  const unique = rows.filter((r) => {
    if (seen.has(r.run)) return false;
    seen.add(r.run);
    return true;
  });
  return { unique, duplicates: unique.length !== rows.length };
}

/** Every line of results.jsonl and curves.jsonl, each checked (records.ts) before anything uses or rewrites them. */
function readChecked(dir: string, range: RunRange) {
  const results = readJsonl(join(dir, RESULTS), (row, where) => checkResultLine(row, where, range));
  const curves = readJsonl(join(dir, CURVES), (row, where) => checkCurveLine(row, where, range));
  return { results, curves };
}

/**
 * Make a result directory consistent after a kill at any moment, and return its finished runs:
 * cut a torn last line off results.jsonl, and drop the curve lines of runs that have no results
 * line (the run was killed before it finished; it runs again, curves and all). A run's results
 * line is written after its curves, so a run with a results line has all of its curves. Both
 * files are read and checked in full first: a bad line is an FxInputError, and nothing changes.
 */
export async function recoverResultDir(dir: string, range: RunRange): Promise<ResultLine[]> {
  const { results, curves } = readChecked(dir, range);
  // two sweeps writing to one directory at once could duplicate a run: keep the first
  const { unique, duplicates } = firstPerRun(results.rows);
  const resultsPath = join(dir, RESULTS);
  if (duplicates) await writeFileAtomic(resultsPath, jsonlText(unique));
  else if (results.torn) truncateSync(resultsPath, results.goodBytes);

  const finished = new Set(unique.map((r) => r.run));
  const kept = curves.rows.filter((c) => finished.has(c.run));
  if (kept.length !== curves.rows.length || curves.torn) await writeFileAtomic(join(dir, CURVES), jsonlText(kept));
  return unique;
}

/** Read a result directory without changing it (a torn last line is ignored): for merging. */
export function readResultDir(dir: string, range: RunRange): { results: ResultLine[]; curves: CurveLine[] } {
  const read = readChecked(dir, range);
  const results = firstPerRun(read.results.rows).unique;
  const finished = new Set(results.map((r) => r.run));
  return { results, curves: read.curves.rows.filter((c) => finished.has(c.run)) };
}

/** What a path is: missing, a directory, something else (a file), or under a file (a part of the path is one). */
function kindOf(path: string): 'missing' | 'dir' | 'other' | 'under-file' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') return 'under-file';
    return inputError(`cannot read: ${readProblem(e)}`, path);
  }
}

/**
 * A result directory to write (fxsim sweep --out, fxsim merge's first argument): missing (it is
 * made later) or a directory whose result files, where present, are files. Checked before any
 * work, so a wrong path fails with one line instead of after training, or half-way through writing.
 */
export function checkOutputDir(dir: string): void {
  const kind = kindOf(dir);
  if (kind === 'other') inputError('exists and is not a directory: give a directory for the results', dir);
  if (kind === 'under-file') inputError('cannot be a directory: a part of the path is a file', dir);
  if (kind === 'missing') return;
  for (const f of [MANIFEST, RESULTS, CURVES, RESULTS_CSV]) {
    if (kindOf(join(dir, f)) === 'dir') inputError('is a directory, not a file: remove it, or use another directory', join(dir, f));
  }
}

/** A result directory to read (an input of fxsim merge): it must be a directory. */
export function checkInputDir(dir: string): void {
  const kind = kindOf(dir);
  if (kind !== 'dir') inputError(`${kind === 'other' ? 'not a directory' : 'no such directory'}: give a fxsim sweep result directory`, dir);
  for (const f of [MANIFEST, RESULTS, CURVES]) {
    if (kindOf(join(dir, f)) === 'dir') inputError('is a directory, not a file', join(dir, f));
  }
}

/** mkdir -p, a failure (a file in the way, no permission) an FxInputError naming the directory. */
export function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    inputError(`cannot create the directory: ${readProblem(e)}`, dir);
  }
}
