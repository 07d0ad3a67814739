import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { runSweep } from '../../sweep/run-sweep.ts';
import { parseShard, shardRuns } from '../../sweep/shard.ts';
import { sweepSummary } from '../../sweep/summary.ts';
import { intOption } from '../int-option.ts';

export interface SweepArgs {
  file: string;
  workers?: string;
  out?: string;
  shard?: string;
  quiet: boolean;
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep <file>',
  describe: 'Train every point of a sweep file (a grid of --set values over a base config) in parallel; resumable, shardable',
  builder: (y: Argv<object>) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'sweep file (YAML): base config, grid, points, repeats; or a shipped sweep by name (sweeps/mnist-lr-fraction)' })
      .option('workers', { type: 'string', describe: `worker threads (default: the available parallelism, ${availableParallelism()} here)` })
      .option('out', { type: 'string', describe: 'result directory (default out/sweeps/<sweep name>, with .shard-i-of-N for a shard)' })
      .option('shard', { type: 'string', describe: 'run only shard i of N (1-based): the runs with run % N == i - 1; join shards with fxsim merge' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .example('$0 sweep sweeps/mnist-lr-fraction', 'a shipped sweep by name (fxsim configs lists them): every run, on every core')
      .example('$0 sweep S.yaml --shard 3/8 --workers 4 --out results/shard-3', 'one shard of eight (a Slurm array task), then: fxsim merge results/all results/shard-*')
      .epilog('Writes to the result directory, as runs finish: curves.jsonl (every metrics row of every run), results.jsonl (one line per finished run, after its curves), results.csv (a table sorted by run, rewritten every few seconds) and manifest.json (the axes, seeds and plot hints, written at the start). Killed at any moment, the same command resumes: runs already in results.jsonl are not trained again. Every point\'s config is loaded before the first run, so a bad value fails at once.') as unknown as Argv<SweepArgs>,
  handler: async (a) => {
    const shard = a.shard === undefined ? undefined : parseShard(String(a.shard));
    const o = await runSweep({ file: a.file, workers: intOption('workers', a.workers, 1), out: a.out, shard, quiet: a.quiet });
    const missing = shardRuns(o.plan.totalRuns, shard).length - o.results.length;
    process.stdout.write(sweepSummary({
      name: o.plan.sweep.name, out: o.out, done: o.done, skipped: o.skipped, missing, wallMs: o.wallMs, results: o.results, paramKeys: o.plan.paramKeys,
    }));
  },
};
