import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveQuantizeOptions, type QuantizeArgs } from '../../src/cli/commands/quantize.ts';
import { formatCounters, makeQuantizer, quantizeStream, quantizeValues, type QuantizeOptions } from '../../src/cli/quantizer.ts';
import { BufferedWriter } from '../../src/cli/tokens.ts';
import { formatRaw, rawToDecimal } from '../../src/core/decimal.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { newCounters } from '../../src/core/events.ts';
import { makeFormat, maxRaw, minRaw, type Format } from '../../src/core/format.ts';
import { OVERFLOW_MODE_NAMES, QUANT_MODE_NAMES, type OverflowMode, type QuantMode } from '../../src/core/modes.ts';
import { Lfsr, Xoshiro128ss } from '../../src/core/random.ts';
import { parseFormat } from '../../src/core/parse-format.ts';

const fmt = (s: string) => parseFormat(s);
const modes = (rounding: QuantMode = 'TRN', overflow: OverflowMode = 'WRAP', nBits = 0) => ({ rounding, overflow, nBits });
const run = (o: Partial<QuantizeOptions> & { to: Format }, tokens: string[]) =>
  tokens.map(makeQuantizer({ modes: modes(), raw: false, hex: false, ...o }));

/** A writer that records what reaches the stream. */
function sink() {
  const writes: string[] = [];
  const stream = { write: (s: string) => (writes.push(s), true), once: () => stream };
  return { writes, out: new BufferedWriter(stream as never, 16) };
}
async function* chunks(parts: string[]) {
  for (const p of parts) yield p;
}

describe('makeQuantizer', () => {
  it('SEMANTICS k = 1 table: --from fixed<8,7> --to fixed<8,8> --raw', () => {
    const table: Record<string, string[]> = {
      TRN: ['2', '1', '0', '-1', '-2', '-3'],
      TRN_ZERO: ['2', '1', '0', '0', '-1', '-2'],
      RND: ['3', '2', '1', '0', '-1', '-2'],
      RND_ZERO: ['2', '1', '0', '0', '-1', '-2'],
      RND_MIN_INF: ['2', '1', '0', '-1', '-2', '-3'],
      RND_INF: ['3', '2', '1', '-1', '-2', '-3'],
      RND_CONV: ['2', '2', '0', '0', '-2', '-2'],
    };
    for (const fast of [true, false]) {
      for (const [mode, want] of Object.entries(table)) {
        const got = run({ from: fmt('fixed<8,7>'), to: fmt('fixed<8,8>'), raw: true, modes: modes(mode as QuantMode), fast }, ['5', '3', '1', '-1', '-3', '-5']);
        expect(got, mode).toEqual(want);
      }
    }
  });

  it('SEMANTICS overflow table, signed W = 4', () => {
    const ins = ['19', '-19', '8', '-9', '9', '-8', '100', '-100'];
    const rows: [OverflowMode, number, string][] = [
      ['SAT', 0, '7 -8 7 -8 7 -8 7 -8'],
      ['SAT_SYM', 0, '7 -7 7 -7 7 -7 7 -7'],
      ['WRAP', 0, '3 -3 -8 7 -7 -8 4 -4'],
      ['WRAP', 2, '7 -7 4 -5 5 -8 4 -8'],
      ['WRAP_SM', 0, '-4 2 7 -8 6 -8 4 -4'],
    ];
    for (const fast of [true, false]) {
      for (const [ovf, n, want] of rows) {
        const got = run({ from: fmt('int<8>'), to: fmt('int<4>'), raw: true, modes: modes('TRN', ovf, n), fast }, ins);
        expect(got.join(' '), `${ovf} n=${n}`).toBe(want);
      }
    }
  });

  it('decimal straight into --to: exact value, decimal out or raw hex out', () => {
    const to = fmt('fixed<8,4>');
    for (const fast of [true, false]) {
      expect(run({ to, fast }, ['3.14159'])).toEqual(['3.125']);
      expect(run({ to, fast, modes: modes('RND') }, ['3.14159', '3.17', '-0.03125', '0.03125'])).toEqual(['3.125', '3.1875', '0', '0.0625']);
      expect(run({ to, fast, modes: modes('TRN_INF') }, ['3.14159'])).toEqual(['3.1875']);
      expect(run({ to, fast, hex: true }, ['-1e-3', '0.5', '7.9375', '8'])).toEqual(['0xff', '0x08', '0x7f', '0x80']);
      expect(run({ to, fast, modes: modes('RND', 'SAT') }, ['1e9', '-1e9', '-0'])).toEqual(['7.9375', '-8', '0']);
      expect(run({ to: fmt('fixed<128,64>'), fast }, ['-0.1'])).toEqual(['-0.100000000000000000021684043449710088680149056017398834228515625']);
    }
  });

  it('decimal with --from: must be exact in --from, then cast', () => {
    const o = { from: fmt('fixed<8,4>'), to: fmt('fixed<8,8>'), modes: modes('RND_CONV') };
    for (const fast of [true, false]) {
      expect(run({ ...o, fast }, ['2.5', '1.5', '-2.5', '0.5625'])).toEqual(['2', '2', '-2', '1']);
      expect(() => run({ ...o, fast }, ['0.03'])).toThrow(/not exactly representable in --from fixed<8,4>: it needs more than 4 fraction bits/);
      expect(() => run({ ...o, fast }, ['8'])).toThrow(/outside the range \[-8, 7.9375\] of --from fixed<8,4>/);
      expect(() => run({ ...o, fast }, ['1.2.3'])).toThrow(/not a decimal number/);
    }
  });

  it('raw tokens: output style follows each token, --hex forces hex, hex is zero-padded', () => {
    const o = { from: fmt('fixed<12,4>'), to: fmt('fixed<13,5>'), raw: true };
    for (const fast of [true, false]) {
      expect(run({ ...o, fast }, ['0x800', '-2048', '0x7ff', '5'])).toEqual(['0x1800', '-2048', '0x07ff', '5']);
      expect(run({ ...o, fast, hex: true }, ['-1', '0x001'])).toEqual(['0x1fff', '0x0001']);
      expect(run({ from: fmt('ufixed<12,4>'), to: fmt('ufixed<12,4>'), raw: true, fast }, ['0xfff', '4095'])).toEqual(['0xfff', '4095']);
      expect(() => run({ ...o, fast }, ['0x1000'])).toThrow(/wider than the 12 bits/);
      expect(() => run({ ...o, fast }, ['2048'])).toThrow(/outside the range \[-2048, 2047\]/);
      expect(() => run({ ...o, fast }, ['1.5'])).toThrow(/not a raw integer/);
    }
  });

  it('needs --from for --raw, and checks the overflow arguments', () => {
    expect(() => makeQuantizer({ to: fmt('fixed<8,4>'), modes: modes(), raw: true, hex: false })).toThrow(/--raw needs --from/);
    expect(() => makeQuantizer({ to: fmt('ufixed<8,4>'), modes: modes('TRN', 'WRAP_SM'), raw: false, hex: false })).toThrow(/WRAP_SM/);
  });

  it('counts events: values once per value, the rest as the core counts them', () => {
    const counters = newCounters();
    run({ to: fmt('fixed<4,2>'), modes: modes('RND', 'SAT'), counters }, ['0.1', '0.125', '5', '1', '-0.01']);
    expect(counters).toEqual({ values: 5, inexact: 3, toZero: 2, overflows: 1, saturations: 1, stochasticDraws: 0 });
    expect(formatCounters(counters)).toBe('counters: values=5 inexact=3 toZero=2 overflows=1 saturations=1 stochasticDraws=0');
  });

  it('STOCH draws in input order; a non-binary decimal without --from is refused', () => {
    const to = fmt('fixed<8,6>'); // F = 2
    for (const fast of [true, false]) {
      const rng = new Lfsr(32, undefined, 7);
      const got = run({ to, modes: modes('STOCH'), rng, fast }, ['0.125', '0.25', '-0.375', '3']);
      expect(rng.drawn).toBe(1 + 0 + 1 + 0);
      expect(got.every((s) => ['0', '0.25', '-0.5', '-0.25', '3'].includes(s))).toBe(true);
      expect(() => run({ to, modes: modes('STOCH'), rng, fast }, ['0.1'])).toThrow(/STOCH needs a value exactly representable in --from/);
    }
  });
});

describe('fast and reference paths agree', () => {
  const arbFmt = (maxW: number) =>
    fc
      .record({ signed: fc.boolean(), width: fc.integer({ min: 1, max: maxW }), frac: fc.integer({ min: -6, max: 30 }) })
      .map(({ signed, width, frac }) => makeFormat(signed, width, frac));
  const arbToken = (from: Format | undefined, raw: boolean): fc.Arbitrary<string> => {
    if (raw && from) {
      const inRange = fc.bigInt({ min: minRaw(from), max: maxRaw(from) });
      return fc.oneof(
        inRange.map((r) => formatRaw(r, from, 'dec')),
        inRange.map((r) => formatRaw(r, from, 'hex')),
        fc.constantFrom('0x' + 'f'.repeat(20), '1.5', '-0', '+3', '99999999999999999999', '-0x1', '0X1'),
      );
    }
    const exactIn = from ? fc.bigInt({ min: minRaw(from), max: maxRaw(from) }).map((r) => rawToDecimal(r, from.frac)) : fc.constant('0');
    return fc.oneof(
      exactIn,
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
      fc.integer({ min: -1000, max: 1000 }).map((n) => `${n / 8}`),
      fc.stringMatching(/^-?[0-9]{1,4}(\.[0-9]{0,8})?(e-?[0-9])?$/),
      fc.constantFrom('1.2.3', 'nan', '', '0x10', '-0', '3.140000000000000124e+00', '1e-30', '.5', '7.'),
    );
  };
  const arbCase = fc
    .record({
      from: fc.option(arbFmt(60), { nil: undefined }),
      to: arbFmt(60),
      raw: fc.boolean(),
      hex: fc.boolean(),
      rounding: fc.constantFrom(...QUANT_MODE_NAMES),
      overflow: fc.constantFrom(...OVERFLOW_MODE_NAMES),
      rngKind: fc.constantFrom('lfsr', 'xoshiro'),
    })
    .filter((c) => (c.to.signed || c.overflow !== 'WRAP_SM') && (!c.raw || c.from !== undefined))
    .chain((c) => fc.record({ c: fc.constant(c), nBits: fc.integer({ min: 0, max: c.to.width }), tokens: fc.array(arbToken(c.from, c.raw), { maxLength: 12 }) }));

  it('same lines, same errors, same counters, same random draws', () => {
    fc.assert(
      fc.property(arbCase, ({ c, nBits, tokens }) => {
        const outcome = (fast: boolean) => {
          const rng = c.rngKind === 'lfsr' ? new Lfsr(32, undefined, 5) : new Xoshiro128ss(5);
          const counters = newCounters();
          const q = makeQuantizer({ from: c.from, to: c.to, raw: c.raw, hex: c.hex, modes: { rounding: c.rounding, overflow: c.overflow, nBits }, rng, counters, fast });
          const lines = tokens.map((t) => {
            try {
              return q(t);
            } catch (e) {
              if (!(e instanceof FxInputError)) throw e;
              return `error: ${e.message}`;
            }
          });
          return { lines, counters, drawn: rng.drawn };
        };
        expect(outcome(true)).toEqual(outcome(false));
      }),
      { numRuns: 600 },
    );
  });
});

describe('quantizeStream / quantizeValues', () => {
  const q = makeQuantizer({ to: fmt('fixed<8,4>'), modes: modes(), raw: false, hex: false });

  it('streams tokens split across chunk boundaries, one line each, in order', async () => {
    const { writes, out } = sink();
    const n = await quantizeStream(q, chunks(['3.141', '59 0.', '5\n-1', 'e-3', '\n\n 2', '']), out);
    expect(n).toBe(4);
    expect(writes.join('')).toBe('3.125\n0.5\n-0.0625\n2\n');
    expect(writes.length).toBeGreaterThan(1); // written as input arrives, not all at the end
  });

  it('a bad token stops the run naming it; earlier lines are already written', async () => {
    const { writes, out } = sink();
    const err = await quantizeStream(q, chunks(['1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 1.2', '.3 18']), out).catch((e) => e);
    expect(err).toBeInstanceOf(FxInputError);
    expect(err.message).toBe("stdin token 17 ('1.2.3'): not a decimal number");
    expect(writes.join('').split('\n').length - 1).toBe(16);
  });

  it('names arguments by position and trims them', async () => {
    const { writes, out } = sink();
    expect(await quantizeValues(q, [' -1e-3', '1'], out)).toBe(2);
    expect(writes.join('')).toBe('-0.0625\n1\n');
    const err = await quantizeValues(q, ['1', '2', 'nan'], sink().out).catch((e) => e);
    expect(err.message).toMatch(/^argument 3 \('nan'\): not a finite decimal number/);
  });
});

describe('resolveQuantizeOptions', () => {
  const base: Omit<QuantizeArgs, 'values'> = { to: 'fixed<8,4>', seed: 1, rng: 'lfsr', raw: false, hex: false, counters: false };

  it('defaults to TRN / WRAP / 0, takes modes from --to, lets the flags override', () => {
    expect(resolveQuantizeOptions(base).modes).toEqual({ rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    const spelled = { ...base, to: 'ap_fixed<8,4,AP_RND_CONV,AP_SAT_SYM>' };
    expect(resolveQuantizeOptions(spelled).modes).toEqual({ rounding: 'RND_CONV', overflow: 'SAT_SYM', nBits: 0 });
    expect(resolveQuantizeOptions({ ...spelled, rounding: 'half_up' }).modes).toEqual({ rounding: 'RND', overflow: 'SAT_SYM', nBits: 0 });
    expect(resolveQuantizeOptions({ ...base, to: 'ap_fixed<8,4,AP_TRN,AP_WRAP,2>' }).modes.nBits).toBe(2);
    expect(resolveQuantizeOptions({ ...base, to: 'ap_fixed<8,4,AP_TRN,AP_WRAP,2>', nBits: 1 }).modes.nBits).toBe(1);
  });

  it('builds the STOCH source only for STOCH', () => {
    expect(resolveQuantizeOptions(base).rng).toBeUndefined();
    expect(resolveQuantizeOptions({ ...base, rounding: 'STOCH' }).rng?.kind).toBe('lfsr');
    expect(resolveQuantizeOptions({ ...base, rounding: 'stochastic', rng: 'xoshiro128ss' }).rng?.kind).toBe('xoshiro128ss');
    expect(resolveQuantizeOptions({ ...base, counters: true }).counters).toEqual(newCounters());
  });

  it.each([
    [{ to: 'fixd<8,4>' }, /^--to: bad format 'fixd<8,4>'/],
    [{ to: 'ufixed<8,4>', overflow: 'WRAP_SM' }, /^--to ufixed<8,4>: WRAP_SM overflow is defined for signed formats only/],
    [{ rounding: 'bogus' }, /^--rounding: unknown rounding mode 'bogus'/],
    [{ overflow: 'bogus' }, /^--overflow: unknown overflow mode/],
    [{ nBits: 1.5 }, /^--n-bits: expected a whole number >= 0, got '1.5'/],
    [{ nBits: 'abc' }, /^--n-bits: expected a whole number >= 0, got 'abc'/],
    [{ nBits: 9 }, /n_bits 9 exceeds the format width 8/],
    [{ seed: Number.NaN }, /^--seed: expected a whole number/],
    [{ seed: ['1', '2'] as unknown as string }, /^--seed: given 2 times \(1, 2\): give it once/],
    [{ raw: true }, /--raw needs --from/],
    [{ from: 'fixed<8>' }, /^--from: bad format/],
    [{ rounding: 'STOCH', seed: 0 }, /^--seed: expected a whole number in 1\.\.4294967295, got '0'/],
    [{ rounding: 'STOCH', rng: 'xoshiro128ss' as const, seed: -1 }, /^--seed: expected a whole number in 0\.\.4294967295, got '-1'/],
  ])('rejects %j', (over, why) => {
    expect(() => resolveQuantizeOptions({ ...base, ...over })).toThrow(why);
  });
});
