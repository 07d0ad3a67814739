import { ROOT, runFxsim } from '../helpers/cli.ts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * End-to-end: the real executable (node src/cli/fxsim.js). Each spawn costs ~0.3 s, so these are
 * few; the logic is tested directly in quantizer.test.ts, decimal.test.ts and main.test.ts.
 */
/** Run fxsim; `stdin` pieces arrive as separate chunks. */
const fxsim = (args: string[], stdin: string[] = []) => runFxsim(args, { stdin });

const lines = (s: string) => s.split('\n').filter(Boolean);

describe.concurrent('fxsim quantize (spawned)', () => {
  it('SEMANTICS: --from fixed<8,7> --to fixed<8,8> --raw --rounding RND_CONV 5 3 1 -1 -3 -5', async () => {
    const r = await fxsim(['quantize', '--from', 'fixed<8,7>', '--to', 'fixed<8,8>', '--raw', '--rounding', 'RND_CONV', '5', '3', '1', '-1', '-3', '-5']);
    expect(r).toEqual({ code: 0, stdout: '2\n2\n0\n0\n-2\n-2\n', stderr: '' });
  });

  it('decimal in, exact decimal out: TRN by default', async () => {
    const r = await fxsim(['quantize', '--to', 'fixed<8,4>', '3.14159', '-1e-3', '-2.']);
    expect(r).toEqual({ code: 0, stdout: '3.125\n-0.0625\n-2\n', stderr: '' });
  });

  it('modes spelled in --to apply, --rounding overrides them; --counters reports on stderr', async () => {
    const r = await fxsim(['quantize', '--to', 'ap_fixed<8,4,AP_TRN,AP_SAT>', '--rounding', 'RND', '--counters', '3.14159', '3.17', '100']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('3.125\n3.1875\n7.9375\n');
    expect(r.stderr).toBe('counters: values=3 inexact=2 toZero=0 overflows=1 saturations=1 stochasticDraws=0\n');
  });

  it('hex raw in and out, zero-padded to ceil(W/4) digits; decimal tokens stay decimal; --hex forces hex', async () => {
    const [a, b] = await Promise.all([
      fxsim(['quantize', '--from', 'fixed<12,4>', '--to', 'fixed<13,5>', '--raw', '0x800', '-2048', '0x7ff', '0X001']),
      fxsim(['quantize', '--from', 'fixed<12,4>', '--to', 'fixed<8,4>', '--raw', '--hex', '--overflow', 'SAT', '--', '-1', '5', '0x7ff']),
    ]);
    expect(a).toEqual({ code: 0, stdout: '0x1800\n-2048\n0x07ff\n0x0001\n', stderr: '' });
    expect(b).toEqual({ code: 0, stdout: '0xff\n0x00\n0x7f\n', stderr: '' });
  });

  it('streams stdin, with tokens split across chunk boundaries', async () => {
    const many = Array.from({ length: 20000 }, (_, i) => `${(i % 256) / 16 - 8}`).join('\n');
    const r = await fxsim(['quantize', '--from', 'fixed<16,8>', '--to', 'fixed<8,4>', '--rounding', 'RND'], ['3.1', '25\n0.', '5 -1', '.75\t', many.slice(0, 50000), many.slice(50000), '\n7']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out.slice(0, 3)).toEqual(['3.125', '0.5', '-1.75']);
    expect(out.length).toBe(3 + 20000 + 1);
    expect(out.slice(3, 3 + 20000)).toEqual(lines(many));
    expect(out.at(-1)).toBe('7');
  });

  it('a bad stdin token: one line naming it, exit 2, no stack; earlier output is on stdout', async () => {
    const r = await fxsim(['quantize', '--to', 'fixed<8,4>'], ['1 2 ', '3 4 5 6 7 8 9 10 11 12 13 14 15 16 1.2', '.3 18\n']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("fxsim: stdin token 17 ('1.2.3'): not a decimal number\n");
    expect(lines(r.stdout).length).toBe(16);
  });

  it('usage and input errors exit 2 with one line: bad format, WRAP_SM on ufixed, bad argument', async () => {
    const [fmt, sm, arg] = await Promise.all([
      fxsim(['quantize', '--to', 'fixed<8;4>', '1']),
      fxsim(['quantize', '--to', 'ufixed<8,4>', '--overflow', 'WRAP_SM', '1']),
      fxsim(['quantize', '--to', 'fixed<8,4>', '1', '2', '0x10']),
    ]);
    for (const r of [fmt, sm, arg]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^fxsim: [^\n]+\n$/);
    }
    expect(fmt.stderr).toMatch(/--to: bad format 'fixed<8;4>'/);
    expect(sm.stderr).toMatch(/WRAP_SM overflow is defined for signed formats only/);
    expect(arg.stderr).toBe("fxsim: argument 3 ('0x10'): not a decimal number (0x hex is accepted only for raw values, --raw)\n");
    expect(arg.stdout).toBe('1\n2\n');
  });

  it('--version and --help', async () => {
    const [v, h, qh] = await Promise.all([fxsim(['--version']), fxsim(['--help']), fxsim(['quantize', '--help'])]);
    const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    expect(v).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/fxsim quantize/);
    expect(h.stdout).toMatch(/Examples:/);
    expect(qh.code).toBe(0);
    expect(qh.stdout).toMatch(/--rounding/);
    expect(qh.stdout).toMatch(/Examples:/);
    expect(qh.stdout).toMatch(/already been written to stdout/);
  });
});
