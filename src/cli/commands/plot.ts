import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../../core/errors.ts';
import { plotCommandLine } from '../../plot/command.ts';
import { PLOT_FORMATS, type AccuracyKey, type PlotFormat } from '../../plot/types.ts';

export interface PlotArgs {
  dir: string;
  out?: string;
  format?: string[];
  value?: AccuracyKey;
  x?: string;
  y?: string;
  quiet: boolean;
}

/** --format svg,png or --format svg --format png. */
function parseFormats(raw: string[] | undefined): PlotFormat[] | undefined {
  if (raw === undefined) return undefined;
  const fs = raw.flatMap((f) => String(f).split(',')).map((f) => f.trim().toLowerCase()).filter(Boolean);
  for (const f of fs) if (!PLOT_FORMATS.includes(f as PlotFormat)) inputError(`unknown format '${f}' (use ${PLOT_FORMATS.join(', ')})`, '--format');
  if (!fs.length) inputError('no format given (use svg, png or svg,png)', '--format');
  return [...new Set(fs)] as PlotFormat[];
}

export const plotCommand: CommandModule<object, PlotArgs> = {
  command: 'plot <dir>',
  describe: 'Draw a sweep\'s results (or one training run): accuracy heatmap, training curves with 68/95% bands, delta and inactive neurons, and a self-contained report.html',
  builder: (y: Argv<object>) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'a `fxsim sweep` results directory (results.jsonl, manifest.json, curves.jsonl) or a `fxsim train` output directory (metrics.jsonl)' })
      .option('out', { type: 'string', describe: 'output directory (default <dir>/plots)' })
      .option('format', { type: 'string', array: true, nargs: 1, describe: 'picture formats, comma-separated: svg, png (default svg,png); report.html is always written' })
      .option('value', { type: 'string', choices: ['test_accuracy', 'running_accuracy'], describe: 'the heatmap value (default manifest plots.heatmap.value, else test accuracy when the runs have it)' })
      .option('x', { type: 'string', describe: 'heatmap x axis: a sweep axis key (default manifest plots.heatmap.x, else the first axis with more than one value)' })
      .option('y', { type: 'string', describe: 'heatmap y axis (default manifest plots.heatmap.y, else the next axis with more than one value)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .example('$0 plot out/sweeps/study', 'heatmap, curves, delta, inactive (.svg and .png) and report.html in out/sweeps/study/plots')
      .example('$0 plot out/sweeps/study --x params.F --y training.lr_shift --value running_accuracy --format svg', 'choose the map and write SVG only')
      .example('$0 plot out/mnist-f20-lr10', "one training run's curves")
      .epilog('The heatmap is the mean over repeats of each grid point, one heatmap per value of the other varied axes. Curves: the mean over repeats with 68% and 95% normal-approximation intervals of the mean (mean ± z·s/√n); at most 10 points are drawn (manifest plots.curves, else all when they are few, else the best point per value of the heatmap x axis). Same input, same bytes.') as unknown as Argv<PlotArgs>,
  handler: async (a) => {
    const formats = parseFormats(a.format);
    const opts = { out: a.out, formats, value: a.value, x: a.x, y: a.y };
    // loaded here, not at the top: every other command would pay for loading it
    const { plotResults } = await import('../../plot/index.ts');
    const r = await plotResults(a.dir, { ...opts, command: plotCommandLine(a.dir, opts) });
    if (a.quiet) return;
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
    process.stdout.write(`wrote ${r.files.join(', ')} to ${r.out}/\n`);
  },
};
