import type { Argv, CommandModule } from 'yargs';
import { formatRunIds, mergeSweeps } from '../../sweep/merge.ts';

export interface MergeArgs {
  out: string;
  dirs: string[];
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <out> <dirs..>',
  describe: 'Join the result directories of sweep shards into one (results sorted by run id); report missing runs',
  builder: (y: Argv<object>) =>
    y
      .positional('out', { type: 'string', demandOption: true, describe: 'the merged result directory (created if needed)' })
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'result directories of `fxsim sweep` (shards) of the same sweep file' })
      .example('$0 merge results/all results/shard-*', 'join the shards of a Slurm array')
      .epilog('Every directory must come from the same sweep file (same sha256 in manifest.json). A run found twice must have the same results (timing aside); it is kept once. Missing runs are listed (exit status 0): `fxsim sweep <file> --out <merged dir>` trains just those.') as unknown as Argv<MergeArgs>,
  handler: async (a) => {
    const m = await mergeSweeps(a.out, a.dirs.map(String));
    const lines = [
      `merged ${m.results.length} of ${m.manifest.total_runs} runs of sweep ${m.manifest.sweep} from ${a.dirs.length} director${a.dirs.length === 1 ? 'y' : 'ies'} into ${m.out}/${m.duplicates ? ` (${m.duplicates} run(s) found twice, kept once)` : ''}`,
      ...(m.missing.length ? [`${m.missing.length} runs missing: ${formatRunIds(m.missing)}`] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
