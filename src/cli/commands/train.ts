import type { Argv, CommandModule } from 'yargs';
import { fastPaths } from '../../core/exact.ts';
import { fusedKernel } from '../../train/fused/kernel.ts';
import { runTraining } from '../../train/run.ts';
import { intOption } from '../int-option.ts';

export interface TrainArgs {
  config: string;
  set: string[];
  steps?: string;
  seed?: string;
  out?: string;
  quiet: boolean;
  json: boolean;
  reference: boolean;
  fused: boolean;
}

const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(100 * x).toFixed(2)}%`);

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train <config>',
  describe: 'Train through the configured integer datapath; write metrics, weights (.npy) and the resolved config',
  builder: (y: Argv<object>) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: 'datapath config with training and dataset sections: a YAML file, or a shipped config by name (study/mnist-f20-lr10; see fxsim configs)' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'override a config key, repeatable: --set training.lr_shift=8' })
      .option('steps', { type: 'string', describe: 'training samples (overrides training.steps)' })
      .option('seed', { type: 'string', describe: 'numpy RandomState seed for sample order and initial weights (overrides training.seed)' })
      .option('out', { type: 'string', describe: 'output directory (default out/<config name>)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('reference', { type: 'boolean', default: false, describe: 'run every unit on the BigInt reference path (slow; the bits are the same)' })
      .option('fused', { type: 'boolean', default: true, describe: 'one-layer plans train in the fused WebAssembly kernel; --no-fused runs the units one by one (same bits)' })
      .example('$0 train configs/study/mnist-f20-lr10.yaml', "the study's run: MNIST 784-10, F=20, lr 2^-10, 100k samples")
      .example('$0 train configs/study/mnist-f20-lr10.yaml --steps 20000 --set training.lr_shift=8 --out out/lr8', 'a shorter run at a higher learning rate')
      .epilog('Writes to the output directory: metrics.jsonl and metrics.csv (every training.metrics_every steps: running and interval accuracy, per-layer delta mean/variance, zero-delta fraction, inactive neurons, updates quantized to zero, every unit\'s event counters), <layer>.weights.npy (and .bias.npy), config.resolved.yaml (every default filled in and the seed recorded: training it again repeats the run bit for bit) and summary.json. Progress goes to stderr: a bar on a terminal, a line every 10 s otherwise, only a final line when CI is set.') as unknown as Argv<TrainArgs>,
  handler: async (a) => {
    if (a.reference) fastPaths.enabled = false;
    if (!a.fused) fusedKernel.enabled = false;
    const s = await runTraining({ config: a.config, sets: a.set.map(String), steps: intOption('steps', a.steps, 1), seed: intOption('seed', a.seed, 0, 0xffffffff), out: a.out, quiet: a.quiet });
    if (a.json) {
      process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return;
    }
    const events = Object.entries(s.events)
      .filter(([, c]) => c.overflows || c.saturations || c.stochasticDraws)
      .map(([u, c]) => `  ${u}: ${c.overflows} overflows, ${c.saturations} saturations${c.stochasticDraws ? `, ${c.stochasticDraws} stochastic draws` : ''}`);
    process.stdout.write([
      `${s.name}: ${s.steps} steps in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.usPerSample.toFixed(2)} µs/sample, ${s.backend === 'fused' ? 'fused int64 kernel' : `units one by one${s.backendNote ? `: the fused kernel does not take ${s.backendNote}` : ''}`})`,
      `  running accuracy (last window): ${pct(s.runningAccuracy)}`,
      `  test accuracy: ${s.testAccuracy === undefined ? 'n/a (no test split)' : `${pct(s.testAccuracy)} on ${s.testSamples} samples`}`,
      events.length ? `events:\n${events.join('\n')}` : '  no overflow, saturation or stochastic event',
      `wrote ${s.files.join(', ')} to ${s.out}/`,
      '',
    ].join('\n'));
  },
};
