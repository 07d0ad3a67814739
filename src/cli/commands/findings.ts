import type { Argv, CommandModule } from 'yargs';
import { findingsMarkdown } from '../../findings/index.ts';

interface FindingsArgs {
  dirs: string[];
}

export const findingsCommand: CommandModule<object, FindingsArgs> = {
  command: 'findings <dirs..>',
  describe: "Read sweep results (results.csv) as the study's answers: per fraction width the best learning rate, the band that trains, the minimum F per target accuracy; or rounding modes compared. Prints Markdown",
  builder: (y: Argv<object>) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'fxsim sweep results directories' })
      .example('$0 findings out/sweeps/mnist-lr-fraction', "the study's map as a table (the README's Findings are this command's output)")
      .epilog('A sweep over params.F and training.lr_shift gives, per F: the best test accuracy and its lr_shift, the lr_shifts within one point of it and those reaching 50%; then the smallest F reaching 50/80/85/90%. A sweep that also varies training.update.rounding gives, per F and mode, the mean ± standard deviation over the seeds at the mode\'s best lr_shift.') as unknown as Argv<FindingsArgs>,
  handler: (a) => {
    process.stdout.write(`${a.dirs.map(findingsMarkdown).join('\n\n')}\n`);
  },
};
