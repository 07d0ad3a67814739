import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../cli/io.ts';
import { inputError } from '../core/errors.ts';
import { jsonlText, jsonText } from './jsonl.ts';
import { MANIFEST, manifestText, readManifest, type SweepManifest } from './manifest.ts';
import { byRun, withoutTiming, type CurveLine, type ResultLine } from './records.ts';
import { checkInputDir, checkOutputDir, CURVES, makeDir, readResultDir, RESULTS, RESULTS_CSV } from './result-dir.ts';
import { resultsCsv } from './results-csv.ts';

export interface MergeOutcome {
  out: string;
  manifest: SweepManifest;
  results: ResultLine[];
  /** Runs found in more than one directory with the same results (timing aside): kept once. */
  duplicates: number;
  /** Run ids of the sweep that no directory has, ascending. */
  missing: number[];
}

/**
 * `fxsim merge`: join the result directories of shards (or of interrupted runs) of one sweep file
 * into `out`: results and curves sorted by run id, results.csv, and a manifest with no shard. A run
 * in two directories must have the same results there (timing aside). The inputs are read in full
 * before anything is written, so `out` may be one of them.
 */
export async function mergeSweeps(out: string, dirs: readonly string[]): Promise<MergeOutcome> {
  if (dirs.length === 0) inputError('give at least one sweep result directory to merge');
  checkOutputDir(out);
  const manifests = dirs.map((d) => {
    checkInputDir(d);
    return readManifest(d) ?? inputError(`not a sweep result directory: no ${MANIFEST}`, d);
  });
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (m.sweep_sha256 !== first.sweep_sha256) {
      inputError(`sweep file sha256 ${m.sweep_sha256.slice(0, 12)} differs from ${dirs[0]}'s ${first.sweep_sha256.slice(0, 12)}: results of different sweep files (or of two versions of one) cannot be merged`, join(dirs[i], MANIFEST));
    }
  });
  const existing = dirs.some((d) => resolve(d) === resolve(out)) ? undefined : readManifest(out);
  if (existing && existing.sweep_sha256 !== first.sweep_sha256) inputError(`holds results of another sweep file: merge into a new directory`, join(out, MANIFEST));

  const kept = new Map<number, { line: ResultLine; from: number }>();
  const curvesOf: Map<number, CurveLine[]>[] = [];
  let duplicates = 0;
  const range = { totalRuns: first.total_runs, repeats: first.repeats };
  dirs.forEach((dir, i) => {
    const { results, curves } = readResultDir(dir, range);
    const byRunId = new Map<number, CurveLine[]>();
    for (const c of curves) {
      const list = byRunId.get(c.run) ?? [];
      list.push(c);
      byRunId.set(c.run, list);
    }
    curvesOf.push(byRunId);
    for (const line of results) {
      const had = kept.get(line.run);
      if (!had) kept.set(line.run, { line, from: i });
      else if (jsonText(withoutTiming(had.line)) === jsonText(withoutTiming(line))) duplicates++;
      else inputError(`run ${line.run} is in ${dirs[had.from]} and ${dir} with different results: were they run with different fxsim versions or data?`, join(dir, RESULTS));
    }
  });

  const results = [...kept.values()].map((k) => k.line).sort(byRun);
  const curves = results.flatMap((r) => curvesOf[kept.get(r.run)!.from].get(r.run) ?? []);
  const missing: number[] = [];
  for (let r = 0; r < first.total_runs; r++) if (!kept.has(r)) missing.push(r);
  const manifest: SweepManifest = { ...first, shard: null };

  makeDir(out);
  await writeFileAtomic(join(out, CURVES), jsonlText(curves));
  await writeFileAtomic(join(out, RESULTS), jsonlText(results));
  await writeFileAtomic(join(out, RESULTS_CSV), resultsCsv(results, first.param_keys));
  await writeFileAtomic(join(out, MANIFEST), manifestText(manifest));
  return { out, manifest, results, duplicates, missing };
}

/** `3, 5-9, 12`: run ids as ranges, at most `max` of them. */
export function formatRunIds(ids: readonly number[], max = 20): string {
  const ranges: string[] = [];
  for (let i = 0; i < ids.length;) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    ranges.push(i === j ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return ranges.length > max ? `${ranges.slice(0, max).join(', ')}, ...` : ranges.join(', ');
}
