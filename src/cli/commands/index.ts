import type { CommandModule } from 'yargs';
import { checkCommand } from './check.ts';
import { configsCommand } from './configs.ts';
import { findingsCommand } from './findings.ts';
import { goldenCommand } from './golden.ts';
import { inspectCommand } from './inspect.ts';
import { mergeCommand } from './merge.ts';
import { minprecCommand } from './minprec.ts';
import { plotCommand } from './plot.ts';
import { quantizeCommand } from './quantize.ts';
import { schemaCommand } from './schema.ts';
import { sweepCommand } from './sweep.ts';
import { trainCommand } from './train.ts';

/** Every fxsim command, one module per file in this directory. Add new commands to this list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  quantizeCommand,
  inspectCommand,
  schemaCommand,
  trainCommand,
  configsCommand,
  goldenCommand,
  checkCommand,
  sweepCommand,
  mergeCommand,
  plotCommand,
  minprecCommand,
  findingsCommand,
];
