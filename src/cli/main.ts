import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { FxInputError } from '../core/errors.ts';
import { commands } from './commands/index.ts';
import { ExitStatus } from './io.ts';

/**
 * The fxsim command line. Error policy, here and nowhere else:
 * - FxInputError (bad user input) or a usage error (unknown flag, missing option...):
 *   one line `fxsim: <message>` on stderr, exit status 2, no stack trace;
 * - ExitStatus: the command has printed its result; exit with its status (`check`: 1 on a mismatch);
 * - anything else is a bug: `fxsim: internal error: <message>` and the stack, exit status 3.
 */

/** A command-line usage problem reported by yargs. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_INPUT = 2;
export const EXIT_INTERNAL = 3;

export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Negative numbers as yargs-parser recognises them; others starting with '-' it reads as flags. */
const YARGS_NEGATIVE = /^-([0-9]+(\.[0-9]+)?|\.[0-9]+)$/;
const NEGATIVE_DECIMAL = /^-(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * yargs-parser takes `-1e-3` or `-2.` for a group of short flags. A leading space keeps such an
 * argument a value (commands trim their values); arguments after `--` are left alone.
 */
export function protectNegativeNumbers(args: readonly string[]): string[] {
  const out: string[] = [];
  let rest = false;
  for (const a of args) {
    if (a === '--') rest = true;
    out.push(!rest && NEGATIVE_DECIMAL.test(a) && !YARGS_NEGATIVE.test(a) ? ' ' + a : a);
  }
  return out;
}

export function buildCli(args: readonly string[]) {
  return yargs(protectNegativeNumbers(args))
    .scriptName('fxsim')
    .usage('$0 <command> [options]\n\nBit-exact simulator of fixed-width integer NN datapaths (SystemC sc_fixed / Vitis HLS ap_fixed semantics).')
    .command(commands)
    .demandCommand(1, 'no command given')
    .recommendCommands()
    .strict()
    .parserConfiguration({ 'parse-positional-numbers': false })
    .version(readVersion())
    .help()
    .alias('h', 'help')
    .example("$0 quantize --to 'fixed<8,4>' 3.14159     # 3.125", '')
    .example('$0 <command> --help                     # options and examples of one command', '')
    .epilog('Exit status: 0 ok, 2 bad input or usage (one line on stderr), 3 internal error.')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err && err.name !== 'YError') throw err;
      const text = msg || err?.message || 'usage error';
      // recommendCommands replaces the whole message with its suggestion
      if (/^Did you mean/.test(text)) throw new UsageError(`unknown command '${args.find((a) => !a.startsWith('-'))}'. ${text}`);
      throw new UsageError(text);
    });
}

/** Names and aliases of every command (`command` may be a string or an array, plus `aliases`). */
const COMMAND_NAMES = new Set(
  commands.flatMap((c) => [c.command ?? [], c.aliases ?? []].flat().map((spec) => String(spec).trim().split(/\s+/)[0])),
);

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** Print an error per the policy above; returns the exit status. */
export function reportError(e: unknown, stderr: { write(s: string): unknown } = process.stderr): number {
  if (e instanceof FxInputError) {
    stderr.write(`fxsim: ${oneLine(e.message)}\n`);
    return EXIT_INPUT;
  }
  if (e instanceof UsageError) {
    stderr.write(`fxsim: ${oneLine(e.message)} (see --help)\n`);
    return EXIT_INPUT;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  stderr.write(`fxsim: internal error: ${oneLine(err.message)}\n${err.stack ?? ''}\n`);
  return EXIT_INTERNAL;
}

/** Run the CLI on arguments (without node and script); resolves to the exit status. */
export async function main(args: readonly string[], stderr: { write(s: string): unknown } = process.stderr): Promise<number> {
  try {
    const argv = await buildCli(args).parseAsync();
    // yargs runs nothing (and complains about nothing) for `fxsim -- x`
    if (!argv.help && !argv.version && !COMMAND_NAMES.has(String(argv._[0]))) throw new UsageError(`unknown command '${argv._[0]}'`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof ExitStatus) return e.code;
    return reportError(e, stderr);
  }
}

/** The process entry: run, let stdout/stderr drain, exit with the status. */
export async function run(): Promise<never> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // a closed pipe (`fxsim ... | head`) is not an error of ours
    if (e.code === 'EPIPE') process.exit(EXIT_OK);
    process.exit(reportError(e));
  });
  const code = await main(hideBin(process.argv));
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) await run();
