import { describe, expect, it } from 'vitest';
import { main, protectNegativeNumbers, readVersion, reportError, UsageError } from '../../src/cli/main.ts';
import { FxConfigError, FxInputError } from '../../src/core/errors.ts';

function capture() {
  const lines: string[] = [];
  return { lines, stderr: { write: (s: string) => lines.push(s) } };
}

describe('error policy', () => {
  it('input and usage errors: one line, exit 2', () => {
    for (const e of [new FxInputError('bad thing', 'x.yaml:3:4'), new FxConfigError('bad key', ['a']), new UsageError('Unknown argument: q')]) {
      const { lines, stderr } = capture();
      expect(reportError(e, stderr)).toBe(2);
      expect(lines.join('')).toMatch(/^fxsim: [^\n]+\n$/);
    }
  });

  it('anything else: internal error with the stack, exit 3', () => {
    const { lines, stderr } = capture();
    expect(reportError(new TypeError('oops'), stderr)).toBe(3);
    expect(lines.join('')).toMatch(/^fxsim: internal error: oops\nTypeError: oops\n\s+at /);
  });

  it.each([
    [['quantize', '--to', 'fixed<8,4>', '--bogus', '1'], /^fxsim: Unknown argument: bogus/],
    [[], /^fxsim: no command given/],
    [['quantize', '1'], /^fxsim: Missing required argument: to/],
    [['quantize', '--to', 'fixed<8>', '1'], /^fxsim: --to: bad format 'fixed<8>'/],
    [['quantize', '--to', 'fixed<8,4>', '--rng', 'mt', '1'], /^fxsim: Invalid values/],
    [['frobnicate'], /^fxsim: Unknown argument: frobnicate/],
    [['quantise', '--to', 'x'], /^fxsim: unknown command 'quantise'. Did you mean quantize\?/],
    [['--', '--version'], /^fxsim: unknown command '--version'/],
  ])('main(%j) exits 2 with one line', async (args, why) => {
    const { lines, stderr } = capture();
    expect(await main(args, stderr)).toBe(2);
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(why);
    expect(lines[0].trimEnd()).not.toContain('\n');
  });
});

describe('argument handling', () => {
  it('keeps negative numbers with an exponent or a trailing point as values', () => {
    expect(protectNegativeNumbers(['quantize', '-1e-3', '-1', '-.5', '-2.', '-1E3', '--to', 'x', '--', '-1e3'])).toEqual([
      'quantize', ' -1e-3', '-1', '-.5', ' -2.', ' -1E3', '--to', 'x', '--', '-1e3',
    ]);
    expect(protectNegativeNumbers(['-h', '--help', '-e'])).toEqual(['-h', '--help', '-e']);
  });

  it('reads the version from package.json', () => {
    expect(readVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
