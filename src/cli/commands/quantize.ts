import type { Argv, CommandModule } from 'yargs';
import type { CastModes } from '../../core/cast.ts';
import { inputError } from '../../core/errors.ts';
import { newCounters } from '../../core/events.ts';
import { formatName } from '../../core/format.ts';
import { OVERFLOW_MODE_NAMES, parseOverflowMode, parseQuantMode, QUANT_MODE_NAMES } from '../../core/modes.ts';
import { checkOverflowArgs } from '../../core/overflow.ts';
import { parseFormat, parseFormatSpec } from '../../core/parse-format.ts';
import { DEFAULT_LFSR_WIDTH, makeRandomSource } from '../../core/random.ts';
import { formatCounters, makeQuantizer, quantizeStream, quantizeValues, type QuantizeOptions } from '../quantizer.ts';
import { BufferedWriter } from '../tokens.ts';
import { intOption } from '../int-option.ts';

/** The options of `fxsim quantize` as yargs hands them over. */
export interface QuantizeArgs {
  from?: string;
  to: string;
  rounding?: string;
  overflow?: string;
  nBits?: number | string;
  seed: number | string;
  rng: 'lfsr' | 'xoshiro128ss';
  raw: boolean;
  hex: boolean;
  counters: boolean;
  values?: string[];
}

/**
 * Turn the command line into quantizer options. Modes written in --to's spelling
 * (`ap_fixed<8,3,AP_RND,AP_SAT>`) are defaults that --rounding/--overflow/--n-bits override;
 * otherwise TRN, WRAP, n_bits 0, as SystemC and Vitis HLS default.
 */
export function resolveQuantizeOptions(a: Omit<QuantizeArgs, 'values'>): QuantizeOptions {
  const spec = parseFormatSpec(a.to, '--to');
  const to = spec.format;
  const from = a.from === undefined ? undefined : parseFormat(a.from, '--from');
  if (a.raw && !from) inputError('--raw needs --from: the format the raw values are in');
  const modes: CastModes = {
    rounding: a.rounding !== undefined ? parseQuantMode(a.rounding, '--rounding') : spec.rounding ?? 'TRN',
    overflow: a.overflow !== undefined ? parseOverflowMode(a.overflow, '--overflow') : spec.overflow ?? 'WRAP',
    nBits: intOption('n-bits', a.nBits, 0) ?? spec.nBits ?? 0,
  };
  checkOverflowArgs(to, modes.overflow, modes.nBits, `--to ${formatName(to)}`);
  // an LFSR seed is its initial state: all-zero would lock it up
  const seed = intOption('seed', a.seed, a.rng === 'lfsr' ? 1 : 0, 0xffffffff)!;
  const rng = modes.rounding === 'STOCH'
    ? makeRandomSource(a.rng === 'xoshiro128ss' ? { kind: 'xoshiro128ss', seed } : { kind: 'lfsr', seed })
    : undefined;
  return { from, to, modes, raw: a.raw, hex: a.hex, rng, counters: a.counters ? newCounters() : undefined };
}

const EPILOG = [
  `Input: real values as exact decimals (-1.25, .5, 1e-3, 2.5E+2), or with --raw raw integers of --from (decimal, or 0x hex = a W-bit two's-complement pattern). Values come from the arguments, or from stdin (whitespace/newline separated, streamed) when no values are given. One output line per value, in order.`,
  `Without --from each decimal is quantized straight into --to, decided on its exact value (no float rounding anywhere). With --from each value must be exactly representable in --from and is then cast --from -> --to as an assignment in SystemC/HLS would.`,
  `Output: decimal mode prints the exact decimal value of the result; --raw prints the raw result in the style of its input token (decimal or 0x hex, zero-padded to ceil(W/4) digits); --hex prints the raw W-bit pattern in hex in either mode.`,
  `Modes: --rounding one of ${QUANT_MODE_NAMES.join(', ')}; --overflow one of ${OVERFLOW_MODE_NAMES.join(', ')} (case-insensitive, AP_/SC_ prefix allowed). Modes spelled in --to (ap_fixed<W,I,Q,O,N>) are defaults that the flags override; otherwise TRN and WRAP, n_bits 0. STOCH draws its bits in input order from --rng (lfsr: ${DEFAULT_LFSR_WIDTH}-bit maximal-length Fibonacci LFSR seeded with --seed; xoshiro128ss: seeded by splitmix32); a cast draws (--from frac - --to frac) bits per value, and without --from a value draws (its fewest exact fraction bits - --to frac) bits.`,
  `Errors: a bad value stops the run with one line on stderr naming it (e.g. "stdin token 17 ('1.2.3'): not a decimal number") and exit status 2; output is a stream, so the lines for the values before it have already been written to stdout. Negative values with an exponent (-1e-3) are accepted as arguments; values after "--" are always taken as values.`,
].join('\n\n');

export const quantizeCommand: CommandModule<object, QuantizeArgs> = {
  command: 'quantize [values..]',
  describe: 'Quantize values into a fixed-point format, bit-exactly (decimal or raw in, one line per value out)',
  builder: (y: Argv<object>) =>
    y
      .positional('values', { type: 'string', array: true, describe: 'values to convert (default: read stdin)' })
      .option('from', { type: 'string', describe: "format of the input values, e.g. 'fixed<16,6>' (required with --raw)" })
      .option('to', { type: 'string', demandOption: true, describe: "target format, e.g. 'fixed<8,4>', 'ap_fixed<8,3,AP_RND,AP_SAT>', 'int<8>'" })
      .option('rounding', { type: 'string', describe: 'quantization mode (default: from --to, else TRN)' })
      .option('overflow', { type: 'string', describe: 'overflow mode (default: from --to, else WRAP)' })
      .option('n-bits', { type: 'string', describe: 'n_bits of WRAP / WRAP_SM (default: from --to, else 0)' })
      .option('seed', { type: 'string', default: '1', describe: 'seed of the STOCH random source' })
      .option('rng', { choices: ['lfsr', 'xoshiro128ss'] as const, default: 'lfsr' as const, describe: 'STOCH random source' })
      .option('raw', { type: 'boolean', default: false, describe: 'values are raw integers of --from (decimal or 0x hex)' })
      .option('hex', { type: 'boolean', default: false, describe: 'print results as raw 0x hex W-bit patterns' })
      .option('counters', { type: 'boolean', default: false, describe: 'print event counters to stderr at the end' })
      .example("$0 quantize --to 'fixed<8,4>' 3.14159                  # 3.125 (TRN)", '')
      .example("$0 quantize --to 'fixed<8,4>' --rounding RND 3.17      # 3.1875 (3.14159 rounds to 3.125)", '')
      .example("$0 quantize --to 'fixed<8,4>' --hex -- -1e-3 0.5        # 0xff 0x08", '')
      .example("$0 quantize --from 'fixed<8,7>' --to 'fixed<8,8>' --raw --rounding RND_CONV 5 3 1 -1 -3 -5   # 2 2 0 0 -2 -2", '')
      .example("$0 quantize --from 'fixed<16,6>' --to 'ap_fixed<8,3,AP_RND,AP_SAT>' --raw --hex < w16.hex > w8.hex", '')
      .example("seq 0 0.001 1 | $0 quantize --to 'ufixed<8,0>' --rounding RND_CONV --overflow SAT --counters", '')
      .epilog(EPILOG) as unknown as Argv<QuantizeArgs>,
  handler: async (argv) => {
    const opts = resolveQuantizeOptions(argv);
    const convert = makeQuantizer(opts);
    const out = new BufferedWriter(process.stdout);
    // values after `--` land in argv._ after the command name
    const values = [...(argv.values ?? []), ...argv._.slice(1).map(String)];
    if (values.length > 0) {
      await quantizeValues(convert, values, out);
    } else {
      if (process.stdin.isTTY) process.stderr.write('fxsim quantize: reading values from stdin (end with Ctrl-D)\n');
      process.stdin.setEncoding('utf8');
      await quantizeStream(convert, process.stdin as AsyncIterable<string>, out);
    }
    if (opts.counters) process.stderr.write(formatCounters(opts.counters) + '\n');
  },
};
