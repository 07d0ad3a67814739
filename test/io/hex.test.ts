import { inputErrorOf } from '../helpers/input-error.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { fitsFast } from '../../src/core/exact.ts';
import { makeFormat, maxRaw, minRaw, toBits, type Format } from '../../src/core/format.ts';
import { readMemh, writeMemh } from '../../src/io/files.ts';
import { decodeMemh, encodeMemh, expectMemhCount, readMemhHeader } from '../../src/io/hex.ts';
import { arbFormat, arbRaw } from '../helpers/arbitraries.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fxsim-memh-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const S = (w: number, f = 0) => makeFormat(true, w, f);
const U = (w: number, f = 0) => makeFormat(false, w, f);

const inputErr = inputErrorOf;

describe('encodeMemh', () => {
  it('writes the documented layout', () => {
    const text = encodeMemh([-1n, 127n, -128n, 0n, 1n, -2n], S(8, 4), { name: 'L0.weights', shape: [2, 3] });
    expect(text).toBe(
      [
        '// L0.weights shape=[2,3] format=fixed<8,4> (signed, 8, 4)',
        "// 6 words of 8 bits, one per line, row-major; each is the two's-complement bit pattern of the raw value",
        'ff',
        '7f',
        '80',
        '00',
        '01',
        'fe',
        '',
      ].join('\n'),
    );
  });

  it('pads to ceil(W/4) lowercase digits, for odd widths and unsigned formats', () => {
    const body = (vals: bigint[], f: Format) => encodeMemh(vals, f, { name: 'x', shape: [vals.length] }).split('\n').slice(2, -1);
    expect(body([-1n, 0n], S(1))).toEqual(['1', '0']);
    expect(body([-1n, 5n, -4096n], S(13, -2))).toEqual(['1fff', '0005', '1000']);
    expect(body([0xabcn, 0n], U(12, 12))).toEqual(['abc', '000']);
    expect(body([-1n], S(130))).toEqual(['3' + 'f'.repeat(32)]);
    expect(encodeMemh([3n], U(4, 2), { name: 'u', shape: [] }).split('\n')[0]).toBe('// u shape=[] format=ufixed<4,2> (unsigned, 4, 2)');
    expect(encodeMemh([], S(8), { name: 'empty', shape: [0, 4] }).split('\n').length).toBe(3);
  });

  it('is identical for number and bigint vectors; caller bugs are plain Errors', () => {
    const vals = [-32768n, -1n, 0n, 32767n];
    expect(encodeMemh(Float64Array.from(vals, Number), S(16), { name: 'a', shape: [4] })).toBe(encodeMemh(vals, S(16), { name: 'a', shape: [4] }));
    const vals40 = [-(1n << 39n), 123456789n];
    expect(encodeMemh(Float64Array.from(vals40, Number), S(40), { name: 'a', shape: [2] })).toBe(encodeMemh(vals40, S(40), { name: 'a', shape: [2] }));
    for (const bad of [() => encodeMemh([128n], S(8), { name: 'a', shape: [1] }), () => encodeMemh(new Float64Array([0.5]), S(8), { name: 'a', shape: [1] })]) {
      expect(bad).toThrow(/not a raw value of fixed<8,8>/);
      expect(bad).not.toThrow(FxInputError);
    }
    expect(() => encodeMemh([1n], S(8), { name: 'a', shape: [2] })).toThrow(/1 values for shape \[2\]/);
    expect(() => encodeMemh([1n], S(8), { name: 'a\nb', shape: [1] })).toThrow(/line break/);
  });
});

describe('memh round trips', () => {
  it('decodeMemh(encodeMemh(v)) === v and the header reads back, widths 1..130', () => {
    const arb = arbFormat({ minWidth: 1, maxWidth: 130 }).chain((format) =>
      fc.record({
        format: fc.constant(format),
        values: fc.array(arbRaw(format), { maxLength: 12 }),
        fast: fc.boolean(),
        name: fc.stringMatching(/^[A-Za-z0-9_.\-\[\] ]{1,20}$/),
      }),
    );
    fc.assert(
      fc.property(arb, ({ format, values, fast, name }) => {
        const vec = fast && fitsFast(format) ? Float64Array.from(values, Number) : values;
        const text = encodeMemh(vec, format, { name, shape: [values.length] });
        expect(decodeMemh(text, format, 'x.mem')).toEqual(values);
        expect(readMemhHeader(text)).toEqual({ name, shape: [values.length], signed: format.signed, width: format.width, frac: format.frac });
        const digits = Math.ceil(format.width / 4);
        for (const line of text.split('\n').slice(2, -1)) expect(line).toMatch(new RegExp(`^[0-9a-f]{${digits}}$`));
      }),
      { numRuns: 400 },
    );
  });

  it('writes and reads files atomically through src/io/files.ts, with a count check', async () => {
    const p = join(tmp, 'g.mem');
    await writeMemh(p, [1n, -1n, 3n, 4n], S(6), { name: 'g', shape: [2, 2] });
    expect(await readMemh(p, S(6), [2, 2])).toEqual([1n, -1n, 3n, 4n]);
    await expect(readMemh(p, S(6), [5])).rejects.toThrow(/g\.mem: expected 5 words \(shape \[5\]\), found 4/);
  });
});

describe('decodeMemh accepts hand-written files and rejects bad ones', () => {
  it('accepts comments, blank lines, CRLF, several words per line, upper case and _', () => {
    const text = '// header\r\n\r\nFF 01 // trailing comment\r\n  7_f\t80\r\n// end\r\n';
    expect(decodeMemh(text, S(8), 'a.mem')).toEqual([-1n, 1n, 127n, -128n]);
    expect(decodeMemh('', S(8), 'a.mem')).toEqual([]);
    expect(decodeMemh('FF\r\n0a\r\n', S(8), 'a.mem')).toEqual([-1n, 10n]);
    expect(decodeMemh('fffffffffffffffff\n', S(68), 'a.mem')).toEqual([-1n]);
    expect(decodeMemh('fffffffffffff\n8000000000000\n7ffffffffffff\n', S(52), 'a.mem')).toEqual([-1n, -(1n << 51n), (1n << 51n) - 1n]);
    expect(decodeMemh('fffffffffffff\n', U(52), 'a.mem')).toEqual([(1n << 52n) - 1n]);
  });

  it('zero-extends short words, as $readmemh does', () => {
    expect(decodeMemh('f\n', S(8), 'a.mem')).toEqual([15n]);
    expect(decodeMemh('0f\n1\n', S(4), 'a.mem')).toEqual([-1n, 1n]);
  });

  it('names file:line:col and the problem', () => {
    expect(inputErr(() => decodeMemh('00\n1g\n', S(8), 'w.mem'))).toBe("w.mem:2:2: bad hex digit 'g' in '1g'");
    expect(inputErr(() => decodeMemh('00 01\t 1g\n', S(8), 'w.mem'))).toBe("w.mem:1:9: bad hex digit 'g' in '1g'");
    expect(inputErr(() => decodeMemh('// c\n\n1ff\n', S(8), 'w.mem'))).toBe('w.mem:3:1: 0x1ff is wider than 8 bits');
    expect(inputErr(() => decodeMemh('00  1_FF\n', S(8), 'w.mem'))).toBe('w.mem:1:5: 0x1ff is wider than 8 bits');
    expect(inputErr(() => decodeMemh('2\n', S(1), 'w.mem'))).toBe('w.mem:1:1: 0x2 is wider than 1 bits');
    expect(inputErr(() => decodeMemh('00\n@10\n00\n', S(8), 'w.mem'))).toMatch(/^w\.mem:2:1: address directive '@10' is not supported/);
    expect(inputErr(() => decodeMemh('0x1f\n', S(8), 'w.mem'))).toMatch(/^w\.mem:1:1: '0x1f': the 0x prefix is not allowed/);
    expect(inputErr(() => decodeMemh('1x\n', S(8), 'w.mem'))).toMatch(/^w\.mem:1:2: bad hex digit 'x' in '1x' \(x\/z digits/);
    expect(inputErr(() => decodeMemh('zz\n', S(8), 'w.mem'))).toMatch(/bad hex digit 'z'/);
    expect(inputErr(() => decodeMemh('00 /* c */ 00\n', S(8), 'w.mem'))).toMatch(/^w\.mem:1:4: block comments/);
    expect(inputErr(() => decodeMemh('-1\n', S(8), 'w.mem'))).toBe("w.mem:1:1: bad hex digit '-' in '-1'");
    expect(inputErr(() => decodeMemh('__\n', S(8), 'w.mem'))).toBe("w.mem:1:1: '__' has no hex digits");
  });

  it('expectMemhCount checks the element count against a shape', () => {
    expect(() => expectMemhCount([1n, 2n], [2], 'c.mem')).not.toThrow();
    expect(inputErr(() => expectMemhCount([1n, 2n], [3, 1], 'c.mem'))).toBe('c.mem: expected 3 words (shape [3,1]), found 2');
  });

  it('readMemhHeader returns undefined for files without the header', () => {
    expect(readMemhHeader('00\n')).toBeUndefined();
    expect(readMemhHeader('// something else\n')).toBeUndefined();
  });
});

// ---------------------------------------------------------------- Icarus Verilog interop

const iverilog = spawnSync('iverilog', ['-V'], { encoding: 'utf8' });
const haveIverilog = !iverilog.error && iverilog.status === 0;

describe.skipIf(!haveIverilog)(`Icarus Verilog $readmemh${haveIverilog ? '' : ' (skipped: iverilog not found)'}`, () => {
  it('loads the words encodeMemh writes, for widths 1..130', () => {
    const formats = [S(1), U(1), S(5, 2), S(8, 4), U(8), S(13), S(64), U(64), S(65), S(130, 7)];
    const blocks: string[] = [];
    const expected: string[] = [];
    formats.forEach((f, k) => {
      const lo = minRaw(f);
      const hi = maxRaw(f);
      const vals = [...new Set([lo, lo + 1n, -1n, 0n, 1n, hi - 1n, hi].filter((v) => v >= lo && v <= hi))];
      const file = join(tmp, `v${k}.mem`);
      writeFileSync(file, encodeMemh(vals, f, { name: `v${k}`, shape: [vals.length] }));
      const n = vals.length;
      blocks.push(
        `reg [${f.width - 1}:0] m${k} [0:${n - 1}];`,
        `initial begin $readmemh("${file}", m${k}); for (i = 0; i < ${n}; i = i + 1) $display("%0d %0d %h", ${k}, ${f.signed ? `$signed(m${k}[i])` : `m${k}[i]`}, m${k}[i]); end`,
      );
      for (const v of vals) expected.push(`${k} ${v} ${toBits(v, f).toString(16).padStart(Math.ceil(f.width / 4), '0')}`);
    });
    const src = join(tmp, 'tb.v');
    writeFileSync(src, `module tb; integer i;\n${blocks.join('\n')}\nendmodule\n`);
    const out = join(tmp, 'tb.vvp');
    const c = spawnSync('iverilog', ['-g2005', '-o', out, src], { encoding: 'utf8' });
    expect(c.status, c.stderr).toBe(0);
    const r = spawnSync('vvp', ['-n', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/warning|error/i);
    const lines = r.stdout.split('\n').filter((l) => /^\d+ /.test(l));
    // initial blocks may interleave; compare per block
    expect([...lines].sort()).toEqual([...expected].sort());
    for (let k = 0; k < formats.length; k++) {
      expect(lines.filter((l) => l.startsWith(`${k} `))).toEqual(expected.filter((l) => l.startsWith(`${k} `)));
    }
    expect(readFileSync(join(tmp, 'v3.mem'), 'utf8').startsWith('// v3 shape=[')).toBe(true);
  });
});
