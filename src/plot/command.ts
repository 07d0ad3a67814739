/** Quote one argument for a POSIX shell, only when it needs it. */
const quote = (a: string) => (/^[A-Za-z0-9_./=,:@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/** The `fxsim plot` command line for these arguments, as a user would type it. */
export function plotCommandLine(dir: string, opts: { out?: string; formats?: readonly string[]; value?: string; x?: string; y?: string }): string {
  const args = ['fxsim', 'plot', dir];
  if (opts.out !== undefined) args.push('--out', opts.out);
  if (opts.formats !== undefined) args.push('--format', opts.formats.join(','));
  if (opts.value !== undefined) args.push('--value', opts.value);
  if (opts.x !== undefined) args.push('--x', opts.x);
  if (opts.y !== undefined) args.push('--y', opts.y);
  return args.map(quote).join(' ');
}
