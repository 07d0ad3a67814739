import type { Argv, CommandModule } from 'yargs';
import { stringify } from 'yaml';
import { formatInspectTable, inspectDatapath, inspectJson } from '../../config/inspect.ts';
import { loadConfig } from '../../config/load.ts';
import { inputError } from '../../core/errors.ts';

export interface InspectArgs {
  config: string;
  set: string[];
  json: boolean;
  resolved: boolean;
}

const EPILOG = [
  'For every unit: its input and output formats as fixed<W,I> and (signed,W,F), its modes, the exact worst-case range of its result before the narrowing into its output register (BigInt, from the formats and the declared input range, propagated unit by unit; a WRAP overflow upstream widens it to the whole register), the width that range needs, and verdicts: where overflow can happen and what the mode then does, where rounding is inexact. For a MAC the width is that of an accumulator that cannot overflow at the configured fan-in: fan-in x max|w*x| (+ bias).',
  '--set dotted.key=value (repeatable) overrides a config value before validation; the value is YAML (8, fixed<32,12>, [0, 1]); numeric segments index lists; model.* keys edit the model file content when model names a file.',
].join('\n\n');

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: 'inspect <config>',
  describe: 'Show a datapath config: formats, modes, worst-case ranges, accumulator widths, overflow and rounding verdicts',
  builder: (y: Argv<object>) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: 'datapath config: a YAML file, or a shipped config by name (study/mnist-f20-lr10; see fxsim configs)' })
      .option('set', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'override a config key, repeatable: --set layers.0.units.1.by=16' })
      .option('json', { type: 'boolean', default: false, describe: 'print the same data as JSON' })
      .option('resolved', { type: 'boolean', default: false, describe: 'print the fully resolved config (every default filled in) as YAML' })
      .example('$0 inspect configs/study/mnist-f20-lr10.yaml', '')
      .example("$0 inspect configs/inference/int8-int32-sat.yaml --set layers.0.units.0.acc='fixed<24,11>'", 'what if the accumulator were 24 bits?')
      .epilog(EPILOG) as unknown as Argv<InspectArgs>,
  handler: (a) => {
    if (a.json && a.resolved) inputError('--json and --resolved cannot be combined');
    const loaded = loadConfig(a.config, a.set.map(String));
    if (a.resolved) {
      process.stdout.write(stringify(loaded.resolved, { lineWidth: 0 }));
      return;
    }
    const report = inspectDatapath(loaded.datapath);
    process.stdout.write(a.json ? inspectJson(report) : formatInspectTable(report));
  },
};
