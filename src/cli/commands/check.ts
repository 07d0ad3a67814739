import type { Argv, CommandModule } from 'yargs';
import { checkGolden, formatCheckReport } from '../../golden/check.ts';
import { junitXml } from '../../golden/junit.ts';
import { checkOutFile, ExitStatus, writeFileAtomic } from '../io.ts';
import { intOption } from '../int-option.ts';

export interface CheckArgs {
  golden: string;
  dut: string;
  junit?: string;
  'max-report': string;
  only: string[];
}

const EPILOG = [
  'DUT_DIR holds the design\'s dumps named as in the golden manifest: <tensor>.hex ($readmemh, one word per element, row-major; // comments allowed) and/or <tensor>.npy (any integer dtype, raw values; limb layout beyond 64 bits). Both are checked when both exist. Tensors are compared in execution order, bit for bit.',
  'Exit status: 0 every tensor matches; 1 a mismatch or a missing tensor (the first divergence: tensor, element, expected and actual as raw hex and real value, the differing bits; then per-file mismatch counts, missing and extra files); 2 unreadable input (a bad hex digit, a wrong word count, a word wider than the format, a corrupt npy, a golden file whose sha256 is not the manifest\'s), naming the file and line.',
  '--only PATTERN (repeatable) restricts the check to matching tensor names: a prefix (s0000.L0), a glob (\'t*.L0.train.*\') or /regex/; other tensors are neither compared nor missing.',
].join('\n\n');

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <golden> <dut>',
  describe: 'Compare a design\'s dumps (hex or npy) with a golden-vector set, bit for bit',
  builder: (y: Argv<object>) =>
    y
      .positional('golden', { type: 'string', demandOption: true, describe: 'golden directory written by fxsim golden (with manifest.json)' })
      .positional('dut', { type: 'string', demandOption: true, describe: 'directory of the design\'s dumps' })
      .option('junit', { type: 'string', describe: 'also write a JUnit XML report to this file' })
      .option('max-report', { type: 'string', default: '20', describe: 'at most this many lines per list in the report' })
      .option('only', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'check only tensors matching: a prefix, a glob or /regex/ (repeatable)' })
      .example('$0 check golden/slice-stoch sim_out', '')
      .example("$0 check golden/study-f20 dut --only 't*.L0.train.*' --junit check.xml", 'the training stages only, with a JUnit report')
      .epilog(EPILOG) as unknown as Argv<CheckArgs>,
  handler: async (a) => {
    const max = intOption('max-report', a['max-report'], 1)!;
    if (a.junit !== undefined) checkOutFile(a.junit);
    const r = checkGolden(a.golden, a.dut, { only: a.only.map(String) });
    if (a.junit) await writeFileAtomic(a.junit, junitXml(r));
    process.stdout.write(formatCheckReport(r, max));
    if (!r.ok) throw new ExitStatus(1);
  },
};
