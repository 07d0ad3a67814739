import type { Argv, CommandModule } from 'yargs';
import { configJsonSchemaText } from '../../config/json-schema.ts';
import { writeFileAtomic } from '../io.ts';

export interface SchemaArgs {
  out?: string;
}

export const schemaCommand: CommandModule<object, SchemaArgs> = {
  command: 'schema',
  describe: 'Print the JSON Schema of config files (for editor completion and checking)',
  builder: (y: Argv<object>) =>
    y
      .option('out', { type: 'string', describe: 'write it to this file (atomically) instead of stdout' })
      .example('$0 schema --out configs/fxsim.schema.json', 'regenerate the committed schema')
      .epilog('Configs opt in with a first line `# yaml-language-server: $schema=<relative path to fxsim.schema.json>` (VS Code YAML extension).'),
  handler: async (a) => {
    const text = configJsonSchemaText();
    if (a.out !== undefined) await writeFileAtomic(a.out, text);
    else process.stdout.write(text);
  },
};
