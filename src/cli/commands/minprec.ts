import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../../core/errors.ts';
import { parseRange, runMinprec, type MinprecMetric } from '../../minprec/run-minprec.ts';
import { minprecTable } from '../../minprec/table.ts';
import { checkOutFile, writeFileAtomic } from '../io.ts';
import { intOption } from '../int-option.ts';

export interface MinprecArgs {
  config: string;
  target: string;
  steps?: string;
  seed?: string;
  param: string;
  range: string;
  lr?: string;
  over?: string | string[];
  'rounding-key': string[];
  widths: boolean;
  'w-range'?: string;
  'a-range'?: string;
  metric?: string;
  set: string[];
  workers?: string;
  json: boolean;
  out?: string;
  quiet: boolean;
}

const one = (v: string | string[] | undefined, flag: string): string | undefined => {
  if (Array.isArray(v)) inputError('given more than once', flag);
  return v === undefined ? undefined : String(v);
};

export const minprecCommand: CommandModule<object, MinprecArgs> = {
  command: 'minprec <config>',
  describe: 'Find by search the minimum fraction bits (a config param) that train to a target accuracy, per rounding mode, re-tuning the lr at each',
  builder: (y: Argv<object>) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: 'a training config with params (e.g. params: { F: 16 } used as ${F}): a YAML file or a shipped name (study/iris-linear-f16-lr10)' })
      .option('target', { type: 'string', demandOption: true, describe: 'accuracy to reach, in (0, 1]' })
      .option('steps', { type: 'string', describe: 'training samples per run (overrides training.steps)' })
      .option('seed', { type: 'string', describe: 'seed of every run (overrides training.seed)' })
      .option('param', { type: 'string', default: 'F', describe: 'the config param that is the precision: params.<name>' })
      .option('range', { type: 'string', default: '0..32', describe: 'precision values searched, LO..HI (a value whose config does not load does not reach; a negative LO needs the = form: --range=-5..-1)' })
      .option('lr', { type: 'string', describe: "training.lr_shift searched at each precision, LO..HI (default the config's lr_shift ± 6; a negative LO needs the = form: --lr=-5..2)" })
      .option('over', { type: 'string', describe: 'rounding modes, one result row each: TRN,RND_CONV,STOCH (default: the config as it is)' })
      .option('rounding-key', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'config key a rounding mode is set through, repeatable (default training.update.rounding; params.R when the config has it)' })
      .option('widths', { type: 'boolean', default: false, describe: 'then minimize params W (weight width) and A (accumulator width) at the minimum precision' })
      .option('w-range', { type: 'string', describe: "--widths: W values searched, LO..HI (default 1..the config's W)" })
      .option('a-range', { type: 'string', describe: "--widths: A values searched, LO..HI (default 1..the config's A)" })
      .option('metric', { type: 'string', describe: 'test or running accuracy (default test when the config has a test split)' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'override a config key in every run, repeatable: --set training.window=500' })
      .option('workers', { type: 'string', describe: `worker threads (default: the available parallelism, ${availableParallelism()} here)` })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' })
      .option('out', { type: 'string', describe: 'also write the JSON result to this file' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .example('$0 minprec study/iris-linear-f16-lr10 --target 0.6 --steps 1500 --range 0..12 --lr 6..12', 'the smallest F reaching 60% test accuracy in 1500 steps')
      .example('$0 minprec study/mnist-f20-lr10 --target 0.85 --steps 20000 --over TRN,RND_CONV,STOCH', 'one row per rounding mode of the weight update')
      .example('$0 minprec minprec/iris-linear-fwa --target 0.6 --steps 1500 --widths', 'then the smallest weight and accumulator widths at that F')
      .epilog('Search, not grid: at each precision probed, lr_shift is searched (every other value, then the neighbours of the best); a precision reaches the target if some lr does. The precision is bisected assuming more bits never hurt once the lr is re-tuned, then confirmed: the minimum reaches the target and minimum - 1 does not, both trained. Prints the runs trained against the full grid.') as unknown as Argv<MinprecArgs>,
  handler: async (a) => {
    if (a.out !== undefined) checkOutFile(a.out);
    const metric = a.metric === undefined ? undefined : String(a.metric).trim();
    if (metric !== undefined && metric !== 'test' && metric !== 'running') inputError(`expected test or running`, `--metric ${metric}`);
    const over = a.over === undefined ? undefined : [a.over].flat().map(String);
    const wRange = one(a['w-range'], '--w-range');
    const aRange = one(a['a-range'], '--a-range');
    const lr = one(a.lr, '--lr');
    const range = one(a.range, '--range')!;
    const targetText = String(one(a.target, '--target')).trim();
    const target = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(targetText) ? Number(targetText) : NaN;
    if (!(target > 0 && target <= 1)) inputError('must be a number in (0, 1], e.g. 0.9', `--target ${targetText}`);
    const res = await runMinprec({
      config: a.config,
      target,
      param: String(one(a.param, '--param')).trim(),
      range: parseRange(range, '--range'),
      ...(lr !== undefined && { lr: parseRange(lr, '--lr') }),
      ...(over && { over }),
      roundingKeys: a['rounding-key'].map(String),
      widths: a.widths,
      ...(wRange !== undefined && { wRange: parseRange(wRange, '--w-range') }),
      ...(aRange !== undefined && { aRange: parseRange(aRange, '--a-range') }),
      ...(metric && { metric: metric as MinprecMetric }),
      steps: intOption('steps', a.steps, 1),
      seed: intOption('seed', a.seed, 0, 0xffffffff),
      sets: a.set.map(String),
      workers: intOption('workers', a.workers, 1),
      quiet: a.quiet,
    });
    const json = `${JSON.stringify(res, null, 2)}\n`;
    if (a.out) await writeFileAtomic(a.out, json);
    process.stdout.write(a.json ? json : minprecTable(res));
  },
};
