import type { Argv, CommandModule } from 'yargs';
import { CONFIGS_DIR, SWEEPS_DIR, listConfigs } from '../../config/load.ts';

export const configsCommand: CommandModule<object, object> = {
  command: 'configs',
  describe: 'List the shipped configs (name and description); train or inspect one by its name',
  builder: (y: Argv<object>) =>
    y
      .example('$0 configs', 'the list')
      .example('$0 train study/mnist-f16-lr3', 'train a shipped config by name (.yaml optional)')
      .example('$0 sweep sweeps/mnist-lr-fraction', 'run a shipped sweep by name')
      .epilog(`A config argument that is not an existing file is looked up as configs/<name>[.yaml] in the fxsim package (${CONFIGS_DIR}), whatever the working directory.`),
  handler: () => {
    const list = listConfigs();
    const sweeps = listConfigs(SWEEPS_DIR).map((c) => ({ ...c, name: `sweeps/${c.name}` }));
    const width = Math.max(0, ...[...list, ...sweeps].map((c) => c.name.length));
    const lines = (l: typeof list) => l.map((c) => `${c.name.padEnd(width)}  ${c.description ?? ''}`.trimEnd() + '\n').join('');
    process.stdout.write(lines(list) + (sweeps.length ? `\nsweeps (fxsim sweep <name>):\n${lines(sweeps)}` : ''));
  },
};
