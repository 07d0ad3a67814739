import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../cli/io.ts';
import { FxInputError, inputError } from '../core/errors.ts';
import { createProgress, type ProgressStream } from '../io/progress.ts';
import { inProcessExecutor, poolExecutor } from './executor.ts';
import { runPoint } from './expand.ts';
import { JsonlAppender } from './jsonl.ts';
import { buildManifest, MANIFEST, manifestText, readManifest } from './manifest.ts';
import { planSweep, runSets, type SweepPlan } from './plan.ts';
import { byRun, type CurveLine, type ResultLine } from './records.ts';
import { checkOutputDir, CURVES, makeDir, recoverResultDir, RESULTS, RESULTS_CSV } from './result-dir.ts';
import { resultsCsv } from './results-csv.ts';
import { shardName, shardRuns, type Shard } from './shard.ts';
import { resolveSweepPath } from '../config/load.ts';
import { lockResultDir } from './lock.ts';
import { loadSweepFile } from './sweep-file.ts';
import type { RunOutcome } from './train-run.ts';

export interface SweepOptions {
  /** The sweep file. */
  file: string;
  /** Worker threads (default: os.availableParallelism()); 1 trains in this thread. */
  workers?: number;
  /** Result directory (default out/sweeps/<name>, or out/sweeps/<name>.shard-i-of-N). */
  out?: string;
  shard?: Shard;
  /** No progress output. */
  quiet?: boolean;
  /** Where progress goes (default stderr). */
  progress?: ProgressStream;
}

export interface SweepOutcome {
  plan: SweepPlan;
  out: string;
  shard?: Shard;
  /** Runs trained now, and runs already in results.jsonl when the sweep started. */
  done: number;
  skipped: number;
  wallMs: number;
  /** Every finished run of the directory, sorted by run id. */
  results: ResultLine[];
}

/** fsync the streamed files and rewrite results.csv at most this often while runs finish. */
const SYNC_MS = 2000;
const CSV_MS = 5000;

/** Check an existing result directory belongs to this sweep and shard, or start it with a manifest. */
async function claimResultDir(out: string, plan: SweepPlan, shard: Shard | undefined): Promise<void> {
  const manifest = buildManifest(plan, shard);
  const existing = readManifest(out);
  const where = join(out, MANIFEST);
  if (existing) {
    if (existing.sweep_sha256 !== manifest.sweep_sha256) {
      inputError(`holds results of another version of this sweep file (sha256 ${existing.sweep_sha256.slice(0, 12)}, now ${manifest.sweep_sha256.slice(0, 12)}): use a new --out, or delete ${out} to start over`, where);
    }
    // (directories started before base_sha256 was recorded have none: nothing to compare)
    if (existing.base_sha256 && existing.base_sha256 !== manifest.base_sha256) {
      inputError(`holds results of another version of the base config ${plan.sweep.base} (sha256 ${existing.base_sha256.slice(0, 12)}, now ${manifest.base_sha256.slice(0, 12)}): its runs would not match; use a new --out, or delete ${out} to start over`, where);
    }
    const was = existing.shard ? `${existing.shard.index}/${existing.shard.count}` : 'none';
    const now = shard ? `${shard.index}/${shard.count}` : 'none';
    if (was !== now) inputError(`holds results of --shard ${was}, not ${now}: use a new --out`, where);
    return;
  }
  if (existsSync(join(out, RESULTS))) inputError(`${out} has ${RESULTS} but no ${MANIFEST}: not a directory this sweep started; use a new --out`);
  await writeFileAtomic(where, manifestText(manifest));
}

/** The results line of a finished run. */
function resultLine(plan: SweepPlan, o: Extract<RunOutcome, { ok: true }>): ResultLine {
  const { point, repeat } = runPoint(o.run, plan.repeats);
  const p = plan.points[point];
  return {
    sweep: plan.sweep.name, point, repeat, run: o.run, seed: p.seed + repeat, params: p.params, sets: runSets(p, repeat),
    steps: o.steps, running_accuracy: o.runningAccuracy, test_accuracy: o.testAccuracy ?? null, test_samples: o.testSamples,
    elapsed_ms: o.elapsedMs, us_per_sample: o.usPerSample, final: o.final, events: o.events, resolved: o.resolved,
  };
}

/** The headline accuracy of a run: on the test split when there is one, else the running accuracy. */
export const headlineAccuracy = (r: ResultLine): number => r.test_accuracy ?? r.running_accuracy;

/**
 * `fxsim sweep`: train every run of a sweep file (or of one shard of it), in parallel worker
 * threads, appending each finished run to results.jsonl (after its curves to curves.jsonl).
 * Killed at any moment and started again with the same arguments, it trains only the runs that
 * have no results line yet. Every problem with the sweep file or a point's config is found
 * before the first run starts.
 */
export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  const t0 = performance.now();
  const plan = planSweep(loadSweepFile(resolveSweepPath(opts.file)));
  const { shard } = opts;
  const name = plan.sweep.name;
  const out = opts.out ?? join('out', 'sweeps', shard ? `${name}.${shardName(shard)}` : name);
  checkOutputDir(out);
  makeDir(out);
  const unlock = lockResultDir(out);
  try {
    return await runLocked(opts, plan, out, t0);
  } finally {
    unlock();
  }
}

async function runLocked(opts: SweepOptions, plan: SweepPlan, out: string, t0: number): Promise<SweepOutcome> {
  const { shard } = opts;
  const name = plan.sweep.name;
  await claimResultDir(out, plan, shard);

  // every line is checked here, before the first run trains: a bad one stops the sweep with nothing changed
  const finished = await recoverResultDir(out, { totalRuns: plan.totalRuns, repeats: plan.repeats });
  const results = [...finished];
  const have = new Set(finished.map((r) => r.run));
  const todo = shardRuns(plan.totalRuns, shard).filter((r) => !have.has(r));
  const csvPath = join(out, RESULTS_CSV);
  const writeCsv = () => writeFileAtomic(csvPath, resultsCsv(results, plan.paramKeys));

  const threads = Math.max(1, Math.min(opts.workers ?? availableParallelism(), todo.length));
  const executor = threads === 1 ? inProcessExecutor() : poolExecutor(threads);
  const curves = new JsonlAppender(join(out, CURVES));
  const resultsLog = new JsonlAppender(join(out, RESULTS));
  if (!opts.quiet) {
    const before = finished.length ? `, ${finished.length} finished before` : '';
    (opts.progress ?? process.stderr).write(`sweep ${name}: ${todo.length} run(s) to train on ${threads} thread(s)${before}; results in ${out}/\n`);
  }
  const progress = opts.quiet || todo.length === 0 ? undefined : createProgress({ total: todo.length, label: `sweep ${name}`, unit: 'runs', stream: opts.progress });
  let best: number | undefined;
  let lastSync = performance.now();
  let lastCsv = performance.now();
  let csvWrite: Promise<void> | undefined;
  let failure: Extract<RunOutcome, { ok: false }> | undefined;
  let done = 0;

  const record = (o: Extract<RunOutcome, { ok: true }>) => {
    const line = resultLine(plan, o);
    for (const c of o.curves) curves.append({ point: line.point, repeat: line.repeat, run: line.run, ...c } satisfies CurveLine);
    resultsLog.append(line); // after the curves: a results line means its curves are complete
    results.push(line);
    done++;
    best = Math.max(best ?? -Infinity, headlineAccuracy(line));
    progress?.update(done, { best: best.toFixed(3) });
    const now = performance.now();
    if (now - lastSync >= SYNC_MS) {
      curves.sync();
      resultsLog.sync();
      lastSync = now;
    }
    if (now - lastCsv >= CSV_MS && !csvWrite) {
      lastCsv = now;
      csvWrite = writeCsv().finally(() => (csvWrite = undefined));
    }
  };

  // hand runs out in expansion order: neighbouring runs share a dataset, which a worker keeps cached
  let next = 0;
  const lane = async () => {
    while (!failure && next < todo.length) {
      const run = todo[next++];
      const { point, repeat } = runPoint(run, plan.repeats);
      const o = await executor.run({ run, config: plan.sweep.basePath, sets: runSets(plan.points[point], repeat) });
      if (o.ok) record(o);
      else failure ??= o;
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    await executor.close();
    progress?.stop();
    curves.close();
    resultsLog.close();
    await csvWrite;
    await writeCsv();
  }
  if (failure) {
    const { point, repeat } = runPoint(failure.run, plan.repeats);
    const what = `run ${failure.run} (point ${point}, repeat ${repeat}; --set ${runSets(plan.points[point], repeat).join(' --set ')})`;
    if (failure.input) throw new FxInputError(`${what}: ${failure.message}`, plan.sweep.file);
    const err = new Error(`${what}: ${failure.message}`);
    err.stack = failure.stack;
    throw err;
  }
  return { plan, out, ...(shard && { shard }), done, skipped: finished.length, wallMs: performance.now() - t0, results: results.sort(byRun) };
}
