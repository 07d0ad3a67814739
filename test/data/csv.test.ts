import { inputErrorOf } from '../helpers/input-error.ts';
import { gzipSync } from 'node:zlib';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFormat } from '../../src/core/format.ts';
import { loadCsv } from '../../src/data/csv.ts';
import { quantizeInputs } from '../../src/data/quantize-inputs.ts';
import { tempDir, write } from './fixtures.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const err = inputErrorOf;

describe('loadCsv', () => {
  it('a good file: exact decimals over a common denominator, integer labels', () => {
    const p = write(dir, 'good.csv', 'x,y,label\n1.5,-2,0\n0.25,3e2,2\r\n\n  .5 , 1E-1 ,1\n');
    const ds = loadCsv(p, { labelColumn: 'label' });
    expect(ds).toMatchObject({ name: 'good.csv', features: 2, classes: 3 });
    expect(ds.labelNames).toBeUndefined();
    expect(ds.train).toMatchObject({ source: p, count: 3, features: 2, scale: { num: 1n, den: 100n } });
    expect(Array.from(ds.train.raw as Float64Array)).toEqual([150, -200, 25, 30000, 50, 10]);
    expect(Array.from(ds.train.labels)).toEqual([0, 2, 1]);
    expect(ds.valueRange).toEqual({ min: { num: -2n, den: 1n }, max: { num: 300n, den: 1n } });
    const q = quantizeInputs(ds.train, makeFormat(true, 16, 2), 'RND_CONV');
    expect(Array.from(q as Float64Array)).toEqual([6, -8, 1, 1200, 2, 0]); // 0.25*4 = 1, 0.1*4 = 0.4 -> 0
  });

  it('origin: each cell and label by file:line:col, the label column skipped; the cell read again as written', () => {
    const p = write(dir, 'origin.csv', 'x,label,y\n1.5,0, "2"\n\n  3e1,cat,4\n');
    const { origin } = loadCsv(p, { labelColumn: 'label' }).train;
    expect(origin!.value!(0, 1)).toEqual({ where: `${p}:2:8`, column: "'y'", text: '2' });
    expect(origin!.value!(1, 0)).toEqual({ where: `${p}:4:3`, column: "'x'", text: '3e1' });
    expect(origin!.label(1)).toEqual({ where: `${p}:4:7`, text: "label 'cat' (class 1)" });
    // changed since it was loaded: the line alone
    write(dir, 'origin.csv', 'x\n');
    expect(origin!.value!(1, 1)).toEqual({ where: `${p}:4`, column: "'y'", text: undefined });
  });

  it('no header, label by (negative) index, gzip', () => {
    const p = write(dir, 'nohead.csv.gz', gzipSync('1,2,3\n4,5,1\n'));
    const ds = loadCsv(p, { labelColumn: -1 });
    expect(ds.train.count).toBe(2);
    expect(Array.from(ds.train.labels)).toEqual([3, 1]);
    expect(ds.classes).toBe(4);
    const first = loadCsv(p, { labelColumn: 0 });
    expect(Array.from(first.train.raw as Float64Array)).toEqual([2, 3, 5, 1]);
    expect(Array.from(first.train.labels)).toEqual([1, 4]);
  });

  it('string labels map to indices in order of first appearance, quoted fields', () => {
    const p = write(dir, 'iris.csv', 'sl,species,sw\n5.1,"virginica",3\n4.9,setosa,3.0\n6.0,virginica,2.2\n7,"ver ""si"" color",3.1\n');
    const ds = loadCsv(p, { labelColumn: 'species' });
    expect(ds.labelNames).toEqual(['virginica', 'setosa', 'ver "si" color']);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 0, 2]);
    expect(ds.classes).toBe(3);
    expect(Array.from(ds.train.raw as Float64Array)).toEqual([51, 30, 49, 30, 60, 22, 70, 31]);
    // continuing a mapping (the test file of a pair)
    const t = write(dir, 'iris-test.csv', 'sl,species,sw\n1,setosa,1\n2,other,2\n');
    const dt = loadCsv(t, { labelColumn: 'species', labelNames: ds.labelNames });
    expect(Array.from(dt.train.labels)).toEqual([1, 3]);
    expect(dt.labelNames).toEqual(['virginica', 'setosa', 'ver "si" color', 'other']);
  });

  it('numerators beyond 2^53 are kept as bigints', () => {
    const p = write(dir, 'big.csv', 'a,l\n12345678901234567890.5,0\n1e-3,1\n');
    const ds = loadCsv(p, { labelColumn: 'l' });
    expect(ds.train.raw).toEqual([12345678901234567890500n, 1n]);
    expect(ds.train.scale).toEqual({ num: 1n, den: 1000n });
  });

  it('bad number with file:line:col', () => {
    const p = write(dir, 'bad.csv', 'x,y,label\n1,2,0\n3, 4x ,1\n');
    expect(err(() => loadCsv(p, { labelColumn: 'label' }))).toBe(`${p}:3:4: bad number '4x' in column 'y': not a decimal number`);
    const q = write(dir, 'nan.csv', '1,2,0\n3,NaN,1\n,5,1\n');
    expect(err(() => loadCsv(q, { labelColumn: 2 }))).toBe(
      `${q}:2:3: bad number 'NaN' in column index 1: not a finite decimal number (NaN and infinities have no fixed-point value)`,
    );
    const e = write(dir, 'empty-field.csv', '1,2,0\n,5,1\n');
    expect(err(() => loadCsv(e, { labelColumn: 2 }))).toBe(`${e}:2:1: bad number '' in column index 0: empty value`);
    const h = write(dir, 'header-unexpected.csv', 'x,y,label\n1,2,0\n');
    expect(err(() => loadCsv(h, { labelColumn: 2 }))).toBe(
      `${h}:1:1: bad number 'x' in column index 0: not a decimal number (is this line a header? set header: true)`,
    );
  });

  it('wrong column count with file:line:col', () => {
    const p = write(dir, 'cols.csv', 'x,y,label\n1,2,0\n1,2,0,9\n');
    expect(err(() => loadCsv(p, { labelColumn: 'label' }))).toBe(`${p}:3:7: expected 3 columns (as in the header), found 4`);
    const q = write(dir, 'cols2.csv', '\n1,2,0\n1,2\n');
    expect(err(() => loadCsv(q, { labelColumn: -1 }))).toBe(`${q}:3:4: expected 3 columns (as on line 2), found 2`);
  });

  it('empty file, header only, missing label column, quoting errors, label errors', () => {
    const e = write(dir, 'empty.csv', '\n  \n');
    expect(err(() => loadCsv(e, { labelColumn: 0 }))).toBe(`${e}: empty file (no rows)`);
    const h = write(dir, 'head.csv', 'a,b\n');
    expect(err(() => loadCsv(h, { labelColumn: 'b' }))).toBe(`${h}: no data rows after the header`);
    const m = write(dir, 'missing.csv', 'a,b,c\n1,2,3\n');
    expect(err(() => loadCsv(m, { labelColumn: 'species' }))).toBe(`${m}:1: no column named 'species' in the header (columns: a, b, c)`);
    expect(err(() => loadCsv(m, { labelColumn: 5, header: true }))).toBe(`${m}:1: label column index 5 is outside the 3 columns`);
    expect(err(() => loadCsv(m, { labelColumn: 'a', header: false }))).toBe(`${m}: label column 'a' is a name, which needs header: true`);
    const one = write(dir, 'one.csv', '1\n2\n');
    expect(err(() => loadCsv(one, { labelColumn: 0 }))).toBe(`${one}:1: only 1 column: there is no feature column besides the label`);
    const q = write(dir, 'quote.csv', 'a,l\n"1,0\n');
    expect(err(() => loadCsv(q, { labelColumn: 'l' }))).toBe(`${q}:2:1: unterminated quoted field`);
    const q2 = write(dir, 'quote2.csv', 'a,l\n"1"x,0\n');
    expect(err(() => loadCsv(q2, { labelColumn: 'l' }))).toBe(`${q2}:2:4: unexpected text after a closing quote`);
    const l = write(dir, 'labels.csv', 'a,l\n1,0\n2,5\n');
    expect(err(() => loadCsv(l, { labelColumn: 'l', classes: 3 }))).toBe(`${l}:3:3: label 5 is outside 0..2 (classes: 3)`);
    const s = write(dir, 'slabels.csv', 'a,l\n1,0\n2,cat\n');
    expect(err(() => loadCsv(s, { labelColumn: 'l', labels: 'integer' }))).toBe(`${s}:3:3: label 'cat' is not an integer class index`);
    expect(loadCsv(s, { labelColumn: 'l' }).labelNames).toEqual(['0', 'cat']); // auto: not all integers -> names
    expect(err(() => loadCsv(`${dir}/absent.csv`, { labelColumn: 0 }))).toBe(`${dir}/absent.csv: file not found`);
  });
});
