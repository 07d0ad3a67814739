import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../cli/io.ts';
import { jsonlText, readJsonl } from './jsonl.ts';
import type { CurveLine, ResultLine } from './records.ts';

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

/**
 * Make a result directory consistent after a kill at any moment, and return its finished runs:
 * cut a torn last line off results.jsonl, and drop the curve lines of runs that have no results
 * line (the run was killed before it finished; it runs again, curves and all). A run's results
 * line is written after its curves, so a run with a results line has all of its curves.
 */
export async function recoverResultDir(dir: string): Promise<ResultLine[]> {
  const resultsPath = join(dir, RESULTS);
  const results = readJsonl<ResultLine>(resultsPath);
  // two sweeps writing to one directory at once could duplicate a run: keep the first
  const { unique, duplicates } = firstPerRun(results.rows);
  if (duplicates) await writeFileAtomic(resultsPath, jsonlText(unique));
  else if (results.torn) truncateSync(resultsPath, results.goodBytes);

  const curvesPath = join(dir, CURVES);
  const curves = readJsonl<CurveLine>(curvesPath);
  const finished = new Set(unique.map((r) => r.run));
  const kept = curves.rows.filter((c) => finished.has(c.run));
  if (kept.length !== curves.rows.length || curves.torn) await writeFileAtomic(curvesPath, jsonlText(kept));
  return unique;
}

/** Read a result directory without changing it (a torn last line is ignored): for merging. */
export function readResultDir(dir: string): { results: ResultLine[]; curves: CurveLine[] } {
  const results = firstPerRun(readJsonl<ResultLine>(join(dir, RESULTS)).rows).unique;
  const finished = new Set(results.map((r) => r.run));
  const curves = readJsonl<CurveLine>(join(dir, CURVES)).rows.filter((c) => finished.has(c.run));
  return { results, curves };
}
