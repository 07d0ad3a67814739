import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResultsCsv } from '../../src/findings/results-csv.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'fxsim-findings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readResultsCsv', () => {
  it('reads numbers as numbers, text as text, quoted cells with commas', () => {
    const p = join(dir, 'a.csv');
    writeFileSync(p, 'point,params.F,note,acc\n0,12,"a, b",0.5\n1,13,TRN,\n');
    expect(readResultsCsv(p)).toEqual([{ point: 0, 'params.F': 12, note: 'a, b', acc: 0.5 }, { point: 1, 'params.F': 13, note: 'TRN', acc: '' }]);
  });
  it('a bad line is one error naming file:line', () => {
    const p = join(dir, 'b.csv');
    writeFileSync(p, 'a,b\n1,2\n3\n');
    expect(inputErrorOf(() => readResultsCsv(p))).toBe(`${p}:3: 1 cells, the header has 2`);
    expect(inputErrorOf(() => readResultsCsv(join(dir, 'none.csv')))).toMatch(/none\.csv: cannot read: no such file$/);
  });
});
