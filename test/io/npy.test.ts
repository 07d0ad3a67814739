import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { fitsFast } from '../../src/core/exact.ts';
import { makeFormat, maxRaw, minRaw, type Format } from '../../src/core/format.ts';
import { readNpy, readNpyRaw, writeNpy } from '../../src/io/files.ts';
import { decodeNpy, decodeNpyRaw, encodeNpy, multiIndex, npyLayout, type NpyDtypeChoice } from '../../src/io/npy.ts';
import { toBigVec, type RawVec } from '../../src/units/vec.ts';
import { arbFormat, arbRaw } from '../helpers/arbitraries.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fxsim-npy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const S = (w: number, f = 0) => makeFormat(true, w, f);
const U = (w: number, f = 0) => makeFormat(false, w, f);

/** Build an .npy file by hand: a header dict text and raw data bytes. */
function rawNpy(dict: string, data: Buffer | number[] = [], version: [number, number] = [1, 0]): Buffer {
  const lenBytes = version[0] === 1 ? 2 : 4;
  const pre = 6 + 2 + lenBytes;
  let h = `${dict}`;
  const pad = 64 - ((pre + h.length + 1) % 64);
  h += `${' '.repeat(pad % 64)}\n`;
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]).copy(head);
  if (lenBytes === 2) head.writeUInt16LE(h.length, 8);
  else head.writeUInt32LE(h.length, 8);
  return Buffer.concat([head, Buffer.from(h, 'latin1'), Buffer.from(data)]);
}

function expectInputError(f: () => unknown, ...parts: (string | RegExp)[]): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected an FxInputError').toBeInstanceOf(FxInputError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
}

describe('npy layout and header', () => {
  it('chooses dtypes per the documented table', () => {
    const d = (f: Format, c?: NpyDtypeChoice) => npyLayout(f, c).descr;
    expect([1, 8, 16, 32, 64].map((w) => d(S(w)))).toEqual(['<i8', '<i8', '<i8', '<i8', '<i8']);
    expect([1, 8, 16, 32, 64].map((w) => d(U(w)))).toEqual(['<i8', '<i8', '<i8', '<i8', '<u8']);
    expect([1, 8, 9, 16, 17, 32, 33, 64].map((w) => d(S(w), 'smallest'))).toEqual(['|i1', '|i1', '<i2', '<i2', '<i4', '<i4', '<i8', '<i8']);
    expect([1, 8, 9, 16, 17, 32, 33, 64].map((w) => d(U(w), 'smallest'))).toEqual(['|u1', '|u1', '<u2', '<u2', '<u4', '<u4', '<u8', '<u8']);
    expect(npyLayout(S(65))).toEqual({ descr: '<u8', itemsize: 8, signed: false, limbs: 2 });
    expect(npyLayout(U(128), 'smallest').limbs).toBe(2);
    expect(npyLayout(S(129)).limbs).toBe(3);
  });

  it('writes the header NumPy writes, aligned to 64 bytes', () => {
    const buf = encodeNpy(new Float64Array(10 * 784), [10, 784], S(8, 4));
    const hlen = buf.readUInt16LE(8);
    const header = buf.toString('latin1', 10, 10 + hlen);
    expect(buf.subarray(0, 8)).toEqual(Buffer.from('\x93NUMPY\x01\x00', 'latin1'));
    expect((10 + hlen) % 64).toBe(0);
    expect(header.endsWith(' \n')).toBe(true);
    expect(header.trimEnd()).toBe("{'descr': '<i8', 'fortran_order': False, 'shape': (10, 784), }");
    expect(buf.length).toBe(10 + hlen + 10 * 784 * 8);
    expect(encodeNpy([1n, 2n], [2], U(8), { dtype: 'smallest' }).toString('latin1', 10, 70).trimEnd()).toBe("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }");
    expect(encodeNpy([5n], [], S(8)).toString('latin1', 10).includes("'shape': (), }")).toBe(true);
    expect(encodeNpy([3n], [1], S(100)).toString('latin1', 10).includes("'shape': (1, 2), }")).toBe(true);
  });

  it('is deterministic byte for byte and independent of the vector representation', () => {
    const f = S(12, 3);
    const vals = [-2048n, -1n, 0n, 1n, 2047n, 5n];
    const a = encodeNpy(vals, [2, 3], f);
    expect(encodeNpy(vals, [2, 3], f)).toEqual(a);
    expect(encodeNpy(Float64Array.from(vals, Number), [2, 3], f)).toEqual(a);
  });

  it('formats multi-indices row-major', () => {
    expect(multiIndex(0, [2, 3])).toBe('[0, 0]');
    expect(multiIndex(5, [2, 3])).toBe('[1, 2]');
    expect(multiIndex(7, [2, 2, 2])).toBe('[1, 1, 1]');
    expect(multiIndex(0, [])).toBe('[]');
  });
});

describe('npy encode: caller bugs are plain Errors', () => {
  it('rejects values outside the format, non-integers and length mismatches', () => {
    for (const f of [() => encodeNpy([128n], [1], S(8)), () => encodeNpy([-1n], [1], U(8)), () => encodeNpy(new Float64Array([256]), [1], U(8), { dtype: 'smallest' })]) {
      expect(f).toThrow(/not a raw value of u?fixed/);
      expect(f).not.toThrow(FxInputError);
    }
    expect(() => encodeNpy(new Float64Array([0.5]), [1], S(8))).toThrow(/0.5 at index 0/);
    expect(() => encodeNpy(new Float64Array([2 ** 54]), [1], S(64))).toThrow(/not a raw value/);
    expect(() => encodeNpy([1n << 99n], [1], S(100))).toThrow(/not a raw value of fixed<100,100>/);
    expect(() => encodeNpy([1n, 2n], [3], S(8))).toThrow(/2 values for shape \[3\]/);
    expect(() => encodeNpy([], [-1], S(8))).toThrow(/bad shape/);
  });
});

// ---------------------------------------------------------------- round trips

interface Case {
  format: Format;
  shape: number[];
  values: bigint[];
  dtype: NpyDtypeChoice;
  fast: boolean;
}

const arbShape = fc.oneof(
  fc.constant([] as number[]),
  fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
);

const arbCase: fc.Arbitrary<Case> = fc
  .tuple(arbFormat({ minWidth: 1, maxWidth: 130 }), arbShape, fc.constantFrom<NpyDtypeChoice>('smallest', 'int64'), fc.boolean())
  .chain(([format, shape, dtype, fast]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.record({
      format: fc.constant(format),
      shape: fc.constant(shape),
      values: fc.array(arbRaw(format), { minLength: n, maxLength: n }),
      dtype: fc.constant(dtype),
      fast: fc.constant(fast && fitsFast(format)),
    });
  });

const asVec = (c: Case): RawVec => (c.fast ? Float64Array.from(c.values, Number) : c.values);

describe('npy round trips', () => {
  it('decodeNpyRaw(encodeNpy(v)) === v for random formats of width 1..130', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const buf = encodeNpy(asVec(c), c.shape, c.format, { dtype: c.dtype });
        expect(buf.readUInt16LE(8) + 10).toBe(buf.length - c.values.length * Math.max(1, Math.ceil(c.format.width / 64)) * npyLayout(c.format, c.dtype).itemsize);
        const raw = decodeNpyRaw(buf, 'x.npy', c.format);
        expect(raw.shape).toEqual(c.shape);
        expect(raw.values instanceof Float64Array).toBe(fitsFast(c.format));
        expect(toBigVec(raw.values)).toEqual(c.values);
        // the generic decoder sees the file as written
        const d = decodeNpy(buf, 'x.npy');
        expect(d.dtype).toBe(npyLayout(c.format, c.dtype).descr);
        if (c.format.width <= 64) expect(toBigVec(d.values)).toEqual(c.values);
        else expect(d.shape).toEqual([...c.shape, Math.ceil(c.format.width / 64)]);
      }),
      { numRuns: 400 },
    );
  });

  it('writes and reads files atomically through src/io/files.ts', async () => {
    const f = S(70, 10);
    const vals = [minRaw(f), -1n, 0n, maxRaw(f)];
    const p = join(tmp, 'w.npy');
    await writeNpy(p, vals, [2, 2], f);
    expect((await readNpyRaw(p, f)).values).toEqual(vals);
    expect((await readNpy(p)).shape).toEqual([2, 2, 2]);
    await expect(readNpy(join(tmp, 'missing.npy'))).rejects.toThrow(/missing\.npy: cannot read: no such file/);
  });
});

// ---------------------------------------------------------------- corrupt and unsupported inputs

describe('npy decode rejects corrupt files with FxInputError naming the file', () => {
  const ok = encodeNpy([1n, -2n, 3n], [3], S(8));

  it('bad magic, unsupported version, truncation', () => {
    expectInputError(() => decodeNpy(Buffer.from('PK\x03\x04 not an npy file'), 'a.npy'), /^a\.npy: /, /bad magic/);
    expectInputError(() => decodeNpy(Buffer.alloc(0), 'a.npy'), /bad magic/);
    const v4 = Buffer.from(ok);
    v4[6] = 4;
    expectInputError(() => decodeNpy(v4, 'a.npy'), /unsupported \.npy format version 4\.0/);
    const v11 = Buffer.from(ok);
    v11[7] = 1;
    expectInputError(() => decodeNpy(v11, 'a.npy'), /version 1\.1/);
    expectInputError(() => decodeNpy(ok.subarray(0, 9), 'a.npy'), /truncated .npy file \(ends inside the header length\)/);
    expectInputError(() => decodeNpy(ok.subarray(0, 7), 'a.npy'), /truncated .npy file \(ends inside the version\)/);
    expectInputError(() => decodeNpy(Buffer.from('\x93NUMPY\x02\x00\x10\x00', 'latin1'), 'a.npy'), /truncated .npy file \(ends inside the header length\)/);
    expectInputError(() => decodeNpy(ok.subarray(0, 40), 'a.npy'), /truncated \.npy file: the header is 118 bytes/);
  });

  it('unparsable headers', () => {
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), "), 'b.npy'), /^b\.npy: unparsable \.npy header/);
    expectInputError(() => decodeNpy(rawNpy('not a dict at all'), 'b.npy'), /unparsable/);
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i8', 'shape': (3,), }"), 'b.npy'), /unparsable .*keys must be exactly/);
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), 'extra': 1, }"), 'b.npy'), /keys must be exactly/);
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i8', 'fortran_order': 0, 'shape': (3,), }"), 'b.npy'), /fortran_order is not True\/False/);
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': [3], }"), 'b.npy'), /shape is not a tuple/);
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (-3,), }"), 'b.npy'), /shape entry -3/);
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i8', 'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"), 'b.npy'), /duplicate key/);
  });

  it('unsupported dtypes and fortran order', () => {
    const d = (descr: string) => rawNpy(`{'descr': ${descr}, 'fortran_order': False, 'shape': (0,), }`);
    expectInputError(() => decodeNpy(d("'|O'"), 'c.npy'), /^c\.npy: unsupported dtype '\|O' \(object arrays are pickles/);
    expectInputError(() => decodeNpy(d("'<c16'"), 'c.npy'), /unsupported dtype '<c16'/);
    expectInputError(() => decodeNpy(d("'<U3'"), 'c.npy'), /unsupported dtype '<U3'/);
    expectInputError(() => decodeNpy(d("'<i3'"), 'c.npy'), /unsupported dtype '<i3'/);
    expectInputError(() => decodeNpy(d("'<f16'"), 'c.npy'), /unsupported dtype/);
    expectInputError(() => decodeNpy(d("[('a', '<i4'), ('b', '<f8')]"), 'c.npy'), /unsupported dtype \(structured/);
    expectInputError(
      () => decodeNpy(rawNpy("{'descr': '<i8', 'fortran_order': True, 'shape': (2, 2), }", Buffer.alloc(32)), 'c.npy'),
      /^c\.npy: fortran_order=True arrays are not supported/,
    );
  });

  it('data length must equal product(shape) * itemsize', () => {
    expectInputError(() => decodeNpy(ok.subarray(0, ok.length - 1), 'd.npy'), /^d\.npy: data is 23 bytes, but shape \(3,\) of dtype '<i8' needs 24 bytes/);
    expectInputError(() => decodeNpy(Buffer.concat([ok, Buffer.alloc(8)]), 'd.npy'), /data is 32 bytes/);
    expectInputError(() => decodeNpy(rawNpy("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3), }", Buffer.alloc(10)), 'd.npy'), /shape \(2, 3\) of dtype '<i2' needs 12 bytes/);
  });

  it('accepts the header variants NumPy can write: v2/v3, Python 2 longs, any key order, big-endian', () => {
    const data = Buffer.alloc(4);
    data.writeInt16BE(-2, 0);
    data.writeInt16BE(300, 2);
    for (const v of [[1, 0], [2, 0], [3, 0]] as [number, number][]) {
      const r = decodeNpy(rawNpy("{'shape': (2L,), 'fortran_order': False, 'descr': '>i2'}", data, v), 'e.npy');
      expect(r).toEqual({ shape: [2], dtype: '>i2', values: new Float64Array([-2, 300]) });
    }
  });
});

describe('decodeNpyRaw interprets a file as raw values of a format', () => {
  it('checks the range, integrality and limb layout', () => {
    expectInputError(() => decodeNpyRaw(encodeNpy([200n], [1], U(8)), 'r.npy', S(8, 2)), /^r\.npy: element \[0\] = 200 is outside the raw range \[-128, 127\] of fixed<8,6>/);
    const floats = rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", Buffer.from(new Float64Array([3, 0.5]).buffer));
    expectInputError(() => decodeNpyRaw(floats, 'r.npy', S(8)), /element \[1\] = 0\.5 is not an integer/);
    const ints = rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", Buffer.from(new Float64Array([3, -4]).buffer));
    expect(decodeNpyRaw(ints, 'r.npy', S(8)).values).toEqual(new Float64Array([3, -4]));
    expect(decodeNpyRaw(encodeNpy([-(1n << 63n), (1n << 63n) - 1n], [2], S(64)), 'r.npy', S(64)).values).toEqual([-(1n << 63n), (1n << 63n) - 1n]);
    expectInputError(() => decodeNpyRaw(encodeNpy([1n], [1], S(64)), 'r.npy', S(100)), /fixed<100,100> is wider than 64 bits, so raw values must be stored as uint64 limbs .* got dtype '<i8'/);
    expectInputError(() => decodeNpyRaw(encodeNpy([1n, 2n, 3n], [3], U(64)), 'r.npy', S(100)), /last axis must have length 2; got shape \(3,\)/);
  });

  it('reads 64-bit dtypes exactly into narrow formats, either byte order, and 8..32-bit dtypes into wide ones', () => {
    const be = (vals: bigint[], signed = true) => {
      const data = Buffer.alloc(vals.length * 8);
      vals.forEach((v, i) => (signed ? data.writeBigInt64BE(v, i * 8) : data.writeBigUInt64BE(v, i * 8)));
      return rawNpy(`{'descr': '${signed ? '>i8' : '>u8'}', 'fortran_order': False, 'shape': (${vals.length},), }`, data);
    };
    expect(decodeNpyRaw(be([-5n, 1n << 40n]), 'b.npy', S(48)).values).toEqual(new Float64Array([-5, 2 ** 40]));
    // S(54) is the widest signed format on the number path: -2^53 fits, -2^53-1 (which rounds to -2^53 as a double) must not
    const lim = 1n << 53n;
    expect(decodeNpyRaw(encodeNpy([-lim, lim - 1n], [2], S(64)), 'n.npy', S(54)).values).toEqual(new Float64Array([-(2 ** 53), 2 ** 53 - 1]));
    expectInputError(() => decodeNpyRaw(encodeNpy([-lim - 1n], [1], S(64)), 'n.npy', S(54)), /element \[0\] = -9007199254740993 is outside the raw range \[-9007199254740992, 9007199254740991\] of fixed<54,54>/);
    expectInputError(() => decodeNpyRaw(be([(1n << 64n) - 1n], false), 'n.npy', U(53)), /= 18446744073709551615 is outside/);
    expectInputError(() => decodeNpyRaw(be([1n << 62n]), 'n.npy', S(40)), /= 4611686018427387904 is outside/);
    // 54..64-bit formats come back as bigint[] from any dtype
    const i4 = rawNpy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", Buffer.from(new Int32Array([-7, 2 ** 31 - 1]).buffer));
    expect(decodeNpyRaw(i4, 'w.npy', S(60)).values).toEqual([-7n, 2147483647n]);
    expectInputError(() => decodeNpyRaw(i4, 'w.npy', U(60)), /element \[0\] = -7 is outside the raw range \[0, 1152921504606846975\] of ufixed<60,60>/);
  });

  it('reassembles limbs, least significant first, and accepts a sign-extended top limb', () => {
    const f = S(100);
    const m64 = (1n << 64n) - 1n;
    const limbs = (lo: bigint, hi: bigint) => encodeNpy([lo, hi], [1, 2], U(64));
    expect(decodeNpyRaw(limbs(5n, 0n), 'l.npy', f).values).toEqual([5n]);
    expect(decodeNpyRaw(limbs(0n, 1n), 'l.npy', f).values).toEqual([1n << 64n]);
    // -1 as the 100-bit pattern, and as a 128-bit sign extension
    expect(decodeNpyRaw(limbs(m64, (1n << 36n) - 1n), 'l.npy', f).values).toEqual([-1n]);
    expect(decodeNpyRaw(limbs(m64, m64), 'l.npy', f).values).toEqual([-1n]);
    expect(decodeNpyRaw(limbs(0n, m64 - ((1n << 35n) - 1n)), 'l.npy', f).values).toEqual([-(1n << 99n)]);
    expectInputError(() => decodeNpyRaw(limbs(0n, 1n << 36n), 'l.npy', f), /element \[0\]: limb pattern 0x10000000000000000000000000 is wider than 100 bits/);
    expectInputError(() => decodeNpyRaw(limbs(m64, m64), 'l.npy', U(100)), /is wider than 100 bits/);
  });
});

// ---------------------------------------------------------------- NumPy interop

function probeNumpy(): { ok: true } | { ok: false; reason: string } {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return { ok: false, reason: `python3 not runnable (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `python3 cannot import numpy: ${r.stderr.trim().split('\n').pop()}` };
  return { ok: true };
}
const numpy = probeNumpy();

function python(script: string, args: string[] = []): string {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The interesting values of a format: the limits, their neighbours, ±1, 0, and ±(2^53+1) when in range. */
function edgeValues(f: Format): bigint[] {
  const lo = minRaw(f);
  const hi = maxRaw(f);
  const cands = [lo, lo + 1n, -(2n ** 53n) - 1n, -(2n ** 53n), -1n, 0n, 1n, 2n ** 53n, 2n ** 53n + 1n, hi - 1n, hi];
  return [...new Set(cands.filter((v) => v >= lo && v <= hi))];
}

describe.skipIf(!numpy.ok)(`NumPy interop${numpy.ok ? '' : ` (skipped: ${numpy.reason})`}`, () => {
  it('np.load reads what encodeNpy writes, exactly, and np.save writes the same bytes', () => {
    const cases: { file: string; format: Format; dtype: NpyDtypeChoice; values: bigint[] }[] = [];
    for (const signed of [true, false]) {
      for (const w of [1, 7, 8, 9, 16, 17, 31, 32, 33, 53, 54, 63, 64, 65, 100, 128, 130]) {
        for (const dtype of ['smallest', 'int64'] as const) {
          if (w > 64 && dtype === 'smallest') continue;
          const format = makeFormat(signed, w, 3);
          const values = edgeValues(format);
          const file = join(tmp, `out_${signed ? 's' : 'u'}${w}_${dtype}.npy`);
          // 2-D when the count allows, to exercise the shape
          const shape = values.length % 2 === 0 ? [2, values.length / 2] : [values.length];
          const vec: RawVec = fitsFast(format) && w % 2 === 1 ? Float64Array.from(values, Number) : values;
          writeFileSync(file, encodeNpy(vec, shape, format, { dtype }));
          cases.push({ file, format, dtype, values });
        }
      }
    }
    const script = String.raw`
import io, json, sys
import numpy as np
out = []
for spec in json.loads(sys.stdin.read()):
    a = np.load(spec['file'], allow_pickle=False)
    w, signed = spec['width'], spec['signed']
    if w > 64:
        L = (w + 63) // 64
        assert a.dtype == np.dtype('<u8') and a.shape[-1] == L, (a.dtype, a.shape)
        vals = []
        for limbs in a.reshape(-1, L):
            v = sum(int(limbs[k]) << (64 * k) for k in range(L))
            if signed and v >= 1 << (w - 1):
                v -= 1 << w
            vals.append(v)
        shape = list(a.shape[:-1])
    else:
        vals = [int(x) for x in a.reshape(-1)]
        shape = list(a.shape)
    b = io.BytesIO()
    np.save(b, a)
    same = b.getvalue() == open(spec['file'], 'rb').read()
    out.append({'dtype': a.dtype.str, 'shape': shape, 'values': [str(v) for v in vals], 'same_bytes': same})
print(json.dumps(out))
`;
    const specs = cases.map((c) => ({ file: c.file, width: c.format.width, signed: c.format.signed }));
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(specs), encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { dtype: string; shape: number[]; values: string[]; same_bytes: boolean }[];
    cases.forEach((c, i) => {
      const g = got[i];
      const label = `${c.file}`;
      expect(g.dtype, label).toBe(npyLayout(c.format, c.dtype).descr);
      expect(g.values.map(BigInt), label).toEqual(c.values);
      expect(g.shape.reduce((a, b) => a * b, 1), label).toBe(c.values.length);
      expect(g.same_bytes, `${label}: np.save bytes differ`).toBe(true);
    });
  });

  it('decodeNpy reads what np.save writes, for every supported dtype, byte order and version', () => {
    const dir = join(tmp, 'from-numpy');
    const script = String.raw`
import json, os, sys
import numpy as np
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
cases = []
def add(name, a, version=None):
    p = os.path.join(d, name + '.npy')
    if version is None:
        np.save(p, a)
    else:
        with open(p, 'wb') as f:
            np.lib.format.write_array(f, a, version=version)
    flat = a.reshape(-1)
    if a.dtype.kind == 'f':
        vals = [repr(float(x)) for x in flat]
    else:
        vals = [str(int(x)) for x in flat]
    cases.append({'file': p, 'dtype': a.dtype.str, 'shape': list(a.shape), 'values': vals})
for t in ['i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8']:
    info = np.iinfo(t)
    vals = sorted({info.min, info.min + 1, -1 if info.min < 0 else 0, 0, 1, info.max - 1, info.max})
    if info.bits == 64:
        vals += [2**53 + 1] + ([-(2**53 + 1)] if info.min < 0 else [])
    for order in '<>':
        add(t + order.replace('<', 'le').replace('>', 'be'), np.array(vals, dtype=np.dtype(t).newbyteorder(order)))
add('i8_2d', np.arange(-6, 6, dtype='<i8').reshape(3, 4))
add('i2_3d', np.arange(24, dtype='<i2').reshape(2, 3, 4) - 12)
add('i8_0d', np.array(-7, dtype='<i8'))
add('u1_empty', np.zeros((0, 3), dtype='|u1'))
add('bool', np.array([True, False, True]))
add('f2', np.array([0.5, -2.0, 65504.0, 6e-8, 1.0009765625], dtype='<f2'))
add('f4', np.array([0.1, -3.5, 3.4e38], dtype='<f4'))
add('f8', np.array([0.1, -1e-300, 2.0**53 + 2, 7.0]))
add('f8be', np.array([0.1, -2.5], dtype='>f8'))
add('v2', np.arange(5, dtype='<i4') - 2, version=(2, 0))
add('v3', np.arange(5, dtype='<i8') - 2, version=(3, 0))
add('noncontig', np.arange(12, dtype='<i8').reshape(3, 4)[:, ::2])
np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(np.arange(6, dtype='<i8').reshape(2, 3)))
np.save(os.path.join(d, 'object.npy'), np.array([1, 'a'], dtype=object), allow_pickle=True)
np.save(os.path.join(d, 'structured.npy'), np.zeros(2, dtype=[('a', '<i4'), ('b', '<f8')]))
np.save(os.path.join(d, 'complex.npy'), np.zeros(2, dtype='<c16'))
print(json.dumps(cases))
`;
    const cases = JSON.parse(python(script, [dir])) as { file: string; dtype: string; shape: number[]; values: string[] }[];
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const d = decodeNpy(readFileSync(c.file), c.file);
      expect(d.dtype, c.file).toBe(c.dtype);
      expect(d.shape, c.file).toEqual(c.shape);
      if (/[iu]8$/.test(c.dtype)) expect(d.values, c.file).toEqual(c.values.map(BigInt));
      else expect(Array.from(d.values as Float64Array), c.file).toEqual(c.values.map(Number));
    }
    // and as raw values of a format
    const i8 = readFileSync(join(dir, 'i8le.npy'));
    expect(toBigVec(decodeNpyRaw(i8, 'i8le.npy', S(64)).values)).toEqual(cases.find((c) => c.file.endsWith('i8le.npy'))!.values.map(BigInt));
    expectInputError(() => decodeNpyRaw(i8, 'i8le.npy', S(63)), /element \[0\] = -9223372036854775808 is outside the raw range/);
    expectInputError(() => decodeNpy(readFileSync(join(dir, 'fortran.npy')), 'fortran.npy'), /fortran_order=True/);
    expectInputError(() => decodeNpy(readFileSync(join(dir, 'object.npy')), 'object.npy'), /unsupported dtype '\|O'/);
    expectInputError(() => decodeNpy(readFileSync(join(dir, 'structured.npy')), 'structured.npy'), /unsupported dtype \(structured/);
    expectInputError(() => decodeNpy(readFileSync(join(dir, 'complex.npy')), 'complex.npy'), /unsupported dtype '<c16'/);
  });
});
