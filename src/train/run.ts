import { renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { checkOutFile, makeOutDir, writeFileAtomic } from '../cli/io.ts';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { configError } from '../core/errors.ts';
import { formatName } from '../core/format.ts';
import { checkClasses } from '../data/classes.ts';
import { loadDataset } from '../data/load.ts';
import type { DatasetSpec } from '../data/spec.ts';
import type { Dataset } from '../data/types.ts';
import { MetricsWriter } from '../io/metrics.ts';
import { encodeNpy } from '../io/npy.ts';
import { createProgress } from '../io/progress.ts';
import { sampleSources } from './data.ts';
import type { TrainPlan } from './plan.ts';
import { initialState, train, type MetricsRow, type TrainResult } from './trainer.ts';

export interface RunOptions {
  config: string;
  sets?: string[];
  steps?: number;
  seed?: number;
  /** Output directory; default out/<config name>. */
  out?: string;
  /** Where progress goes (default stderr); `quiet` silences it. */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
  quiet?: boolean;
}

/** What a run prints and writes to summary.json: the training result without the state. */
export type RunSummary = Omit<TrainResult, 'state' | 'lastMetrics'> & { name: string; out: string; files: string[] };

/** Data file paths in a resolved config, rewritten relative to the directory it is written to. */
function relocate(resolved: LoadedConfig['resolved'], fromDir: string, toDir: string): LoadedConfig['resolved'] {
  const ds = resolved.dataset as Record<string, unknown> | undefined;
  if (!ds) return resolved;
  const moved = { ...ds };
  for (const key of ['images', 'labels', 'test_images', 'test_labels', 'path', 'test_path']) {
    if (typeof moved[key] === 'string') moved[key] = relative(toDir, resolve(fromDir, moved[key] as string));
  }
  return { ...resolved, dataset: moved };
}

/** Quantized datasets a samples cache keeps (the most recently used); the raw datasets are all kept. */
const SAMPLES_KEPT = 2;
const rawDatasets = new WeakMap<Map<string, PreparedSamples>, Map<string, Dataset>>();

/** Quantized samples and the class count of a dataset, as prepareTraining caches them. */
export interface PreparedSamples { data: ReturnType<typeof sampleSources>; classes: number; ds: Dataset }

/**
 * Everything a training run needs, validated before anything is written. `samplesCache` keeps
 * the quantized dataset between runs (a sweep worker: MNIST costs ~1 s to load and quantize).
 */
export function prepareTraining(opts: Pick<RunOptions, 'config' | 'sets' | 'steps' | 'seed'>, samplesCache?: Map<string, PreparedSamples>): { loaded: LoadedConfig; plan: TrainPlan; data: ReturnType<typeof sampleSources> } {
  const sets = [...(opts.sets ?? [])];
  // --steps / --seed are config overrides, so the resolved config records them
  if (opts.steps !== undefined) sets.push(`training.steps=${opts.steps}`);
  if (opts.seed !== undefined) sets.push(`training.seed=${opts.seed}`);
  const loaded = loadConfig(opts.config, sets);
  const t = loaded.config.training;
  if (!t) configError('this config has no training section: fxsim train needs one (lr_shift at least)', ['training']);
  const spec = loaded.config.dataset as DatasetSpec | undefined;
  if (!spec) configError('this config has no dataset section: fxsim train needs one (e.g. dataset: { name: mnist })', ['dataset']);
  const plan = loaded.plan!; // built with the config (t exists)
  const { input, model } = loaded.datapath;
  const key = JSON.stringify([spec, dirname(loaded.path), formatName(input.format), input.rounding, model.inputs]);
  let samples = samplesCache?.get(key);
  if (samples) {
    samplesCache!.delete(key); // most recently used last
    samplesCache!.set(key, samples);
  } else {
    const dsKey = JSON.stringify([spec, dirname(loaded.path)]);
    const datasets = samplesCache && (rawDatasets.get(samplesCache) ?? rawDatasets.set(samplesCache, new Map()).get(samplesCache)!);
    const ds = datasets?.get(dsKey) ?? loadDataset(spec, dirname(loaded.path));
    datasets?.set(dsKey, ds);
    samples = { data: sampleSources(ds, input.format, input.rounding, model.inputs), classes: ds.classes, ds };
    if (samplesCache) {
      samplesCache.set(key, samples);
      // a sweep over fraction bits quantizes the dataset once per F: keep only the latest few
      for (const old of samplesCache.keys()) if (samplesCache.size > SAMPLES_KEPT) samplesCache.delete(old);
    }
  }
  const { data, ds } = samples;
  // names the first label beyond the outputs, and where it is in the data
  checkClasses(ds, loaded.datapath.layers[loaded.datapath.layers.length - 1].size);
  return { loaded, plan, data };
}

/**
 * `fxsim train`: train, stream metrics, then write the weights (.npy), the resolved config and a
 * summary. Metrics stream into `.partial` files renamed at the end; the rest is written
 * atomically, so an interrupted run never leaves a file that looks complete.
 */
export async function runTraining(opts: RunOptions): Promise<RunSummary> {
  const { loaded, plan, data } = prepareTraining(opts);
  const name = loaded.datapath.name;
  const out = opts.out ?? join('out', name);
  // the initial weights before anything is written: an init that does not fit is a config error
  let initial: ReturnType<typeof initialState>;
  try {
    initial = initialState(plan, data.train.count);
  } catch (e) {
    throw loaded.locate(e);
  }
  makeOutDir(out);
  // every file this run will write, checked before training so a run never fails at the end
  const outputs = ['metrics.partial.jsonl', 'metrics.partial.csv', 'metrics.jsonl', 'metrics.csv', 'config.resolved.yaml', 'summary.json',
    ...plan.datapath.layers.flatMap((l) => [`${l.name}.weights.npy`, `${l.name}.bias.npy`])];
  for (const f of outputs) checkOutFile(join(out, f));
  const metrics = MetricsWriter.open(out, { stem: 'metrics.partial' });
  const progress = opts.quiet ? undefined : createProgress({ total: plan.steps, label: `train ${name}`, unit: 'samples', stream: opts.progress ?? process.stderr });
  let result: TrainResult;
  try {
    result = train(plan, data, {
      onMetrics: (row: MetricsRow) => metrics.write(row as unknown as Parameters<MetricsWriter['write']>[0]),
      onProgress: progress && ((done, acc) => progress.update(done, () => ({ acc: acc.toFixed(3) }))),
    }, initial);
  } catch (e) {
    metrics.close();
    rmSync(metrics.jsonlPath, { force: true });
    rmSync(metrics.csvPath, { force: true });
    throw e;
  } finally {
    progress?.stop();
  }
  metrics.close();
  renameSync(metrics.jsonlPath, join(out, 'metrics.jsonl'));
  renameSync(metrics.csvPath, join(out, 'metrics.csv'));

  const files = ['metrics.jsonl', 'metrics.csv'];
  for (const [li, layer] of plan.datapath.layers.entries()) {
    const st = result.state[li];
    const wFile = `${layer.name}.weights.npy`;
    await writeFileAtomic(join(out, wFile), encodeNpy(st.w, [layer.size, layer.fanIn], layer.weights.format));
    files.push(wFile);
    if (st.b && layer.bias) {
      const bFile = `${layer.name}.bias.npy`;
      await writeFileAtomic(join(out, bFile), encodeNpy(st.b, [layer.size], layer.bias.format));
      files.push(bFile);
    }
  }
  await writeFileAtomic(join(out, 'config.resolved.yaml'), `# fxsim train ${opts.config}: every default filled in; \`fxsim train\` on this file repeats the run bit for bit\n${stringify(relocate(loaded.resolved, dirname(loaded.path), out), { lineWidth: 0 })}`);
  files.push('config.resolved.yaml');
  const summary: RunSummary = {
    name, out, steps: result.steps, runningAccuracy: result.runningAccuracy, testAccuracy: result.testAccuracy, testSamples: result.testSamples,
    elapsedMs: result.elapsedMs, usPerSample: result.usPerSample, backend: result.backend, backendNote: result.backendNote, events: result.events, files: [...files, 'summary.json'],
  };
  await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
