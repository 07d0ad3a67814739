import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { recordGolden } from '../../golden/recorder.ts';
import { writeGolden } from '../../golden/write.ts';
import { intOption } from '../int-option.ts';

export interface GoldenArgs {
  config: string;
  out: string;
  samples?: string;
  steps?: string;
  set: string[];
}

/** The fxsim version recorded in every manifest. */
export function fxsimVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const EPILOG = [
  'Records, on the BigInt reference path and through the very functions fxsim train runs, every value of the datapath for N inference samples (forward only, with the INITIAL weights, from the test split when there is one, else the training split, samples 0..N-1) and for N online training steps (the config\'s sample order and initial weights, as fxsim train starts).',
  'Every tensor is written as <name>.hex ($readmemh: a `// <name> shape=[..] format=fixed<W,I> (signed, W, F)` header, one W-bit two\'s-complement word per line, ceil(W/4) hex digits, row-major) and <name>.npy (int64; W > 64: uint64 limbs, least significant first), then DIR/manifest.json (every tensor with its step, layer, unit, stage, shape, format, files and sha256; the resolved config; the fxsim version).',
  'Names: init.<layer>.w|b; samples, labels (the dataset index and label of every step: inference samples first, then training steps); s<NNNN>|t<NNNN>.rng.before (random-source state words, when some rounding is STOCH); s<NNNN>|t<NNNN>.<layer>.<unit>.in|out, .<mac>.w|b (unit = its name without the layer prefix: mac, shift1, relu); t<NNNN>.<layer>.train.error|deriv|delta|update|w_after|b_update|b_after; t<NNNN>.<layer>.backprop[_shift].in|out for hidden layers; with training.batch > 1, t<NNNN>.<layer>.train.grad|b_grad every step and update / w_after at each batch\'s end.',
  'A config without a training section records inference only (--steps 0); its weights are drawn uniformly over each whole weight register (numpy RandomState seed 1). fxsim check compares a design\'s dumps with the set.',
].join('\n\n');

export const goldenCommand: CommandModule<object, GoldenArgs> = {
  command: 'golden <config>',
  describe: 'Record golden vectors ($readmemh .hex + .npy + manifest.json) of inference samples and training steps',
  builder: (y: Argv<object>) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: 'datapath config with a dataset section: a YAML file, or a shipped config by name' })
      .option('out', { type: 'string', demandOption: true, describe: 'output directory (created if needed)' })
      .option('samples', { type: 'string', describe: 'inference samples (default 2)' })
      .option('steps', { type: 'string', describe: 'training steps (default 2; 0 without a training section)' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'override a config key, repeatable: --set training.lr_shift=8' })
      .example('$0 golden configs/rtl/slice-stoch.yaml --out golden/slice-stoch --samples 4 --steps 0', 'inference vectors for a 16-4 slice with stochastic rounding')
      .example('$0 golden study/mnist-f20-lr10 --out vec --samples 2 --steps 2', 'two inference samples and two training steps of the study')
      .epilog(EPILOG) as unknown as Argv<GoldenArgs>,
  handler: async (a) => {
    const rec = recordGolden({ config: a.config, sets: a.set.map(String), samples: intOption('samples', a.samples, 0), steps: intOption('steps', a.steps, 0) });
    const m = await writeGolden(a.out, rec, fxsimVersion());
    process.stdout.write(
      `${rec.config.name}: ${rec.mode}, ${rec.inference.count} inference samples (${rec.inference.split} split), ${rec.training.count} training steps\n` +
      `wrote ${m.tensors.length} tensors (.hex + .npy each) and manifest.json to ${a.out}/\n`,
    );
  },
};
