import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResultsCsv } from '../../src/findings/results-csv.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'fxsim-findings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The header fxsim sweep writes for a sweep over params.F and a rounding mode, one layer. */
const HEADER = 'point,repeat,run,seed,params.F,training.update.rounding,steps,running_accuracy,test_accuracy,test_samples,us_per_sample,elapsed_ms,L0.delta_mean,L0.delta_var,L0.zero_delta_fraction,L0.inactive_neurons,L0.updates_to_zero';
/** A row of that table: `point` 0.., F, rounding, test accuracy as text. */
const row = (point: number, F: string, rounding: string, test: string) => `${point},0,${point},1,${F},${rounding},100,0.5,${test},30,1.5,150,0.1,nan,0,0,2`;

let n = 0;
const csv = (...lines: string[]) => {
  const p = join(dir, `r${++n}.csv`);
  writeFileSync(p, lines.map((l) => `${l}\n`).join(''));
  return p;
};

describe('readResultsCsv', () => {
  it('reads numbers as numbers, text as text, quoted cells with commas; blank lines do not shift line numbers', () => {
    const p = csv(HEADER, row(0, '12', '"a, b"', '0.5'), '', row(1, '13', 'TRN', ''));
    const rows = readResultsCsv(p);
    expect(rows.map((r) => [r.point, r['params.F'], r['training.update.rounding'], r.test_accuracy, r['L0.delta_var']])).toEqual([[0, 12, 'a, b', 0.5, 'nan'], [1, 13, 'TRN', '', 'nan']]);
  });

  it('a bad line is one error naming file:line', () => {
    const p = csv(HEADER, row(0, '12', 'TRN', '0.5'), '', '3');
    expect(inputErrorOf(() => readResultsCsv(p))).toBe(`${p}:4: 1 cells, the header has 17`);
    expect(inputErrorOf(() => readResultsCsv(join(dir, 'none.csv')))).toMatch(/none\.csv: cannot read: no such file$/);
    mkdirSync(join(dir, 'a-dir.csv'));
    expect(inputErrorOf(() => readResultsCsv(join(dir, 'a-dir.csv')))).toMatch(/a-dir\.csv: cannot read: is a directory, not a file$/);
  });

  it.each([
    ['an accuracy that is text', row(0, '12', 'TRN', 'abc'), "column test_accuracy: expected a number or an empty cell (got 'abc')"],
    ['an accuracy that is NaN', row(0, '12', 'TRN', 'NaN'), "column test_accuracy: expected a number or an empty cell (got 'NaN')"],
    ['an accuracy of 5 (500%)', row(0, '12', 'TRN', '5'), "column test_accuracy: expected an accuracy in [0, 1] (got '5')"],
    ['a run id that is not a whole number', row(0, '12', 'TRN', '0.5').replace(/^0,0,0,/, '0,0,0.5,'), "column run: expected a whole number >= 0 (got '0.5')"],
  ])('%s: file:line and column', (_what, line, message) => {
    const p = csv(HEADER, row(0, '12', 'TRN', '0.5'), line);
    expect(inputErrorOf(() => readResultsCsv(p))).toBe(`${p}:3: ${message}`);
  });

  it('`numeric` columns must hold numbers (the parameters a reader computes with)', () => {
    const p = csv(HEADER, row(0, 'abc', 'TRN', '0.5'));
    expect(readResultsCsv(p)[0]['params.F']).toBe('abc'); // a parameter may be text
    expect(inputErrorOf(() => readResultsCsv(p, ['params.F']))).toBe(`${p}:2: column params.F: expected a number (got 'abc')`);
    const q = csv(HEADER, row(0, '8', 'TRN', ''));
    expect(inputErrorOf(() => readResultsCsv(q, ['test_accuracy']))).toBe(`${q}:2: column test_accuracy: expected a number (got an empty cell)`);
  });

  it('a file that is not a results.csv: its header says so (line 1), garbage is not echoed', () => {
    const p = join(dir, 'binary.csv');
    writeFileSync(p, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0x2c, 0x1b, 0x5b, 0x32, 0x4a, 10, 0xff, 0xfe, 10]));
    expect(inputErrorOf(() => readResultsCsv(p))).toBe(`${p}:1: not a results.csv header: no column 'point' (fxsim sweep writes point,repeat,run,seed,<params>,steps,running_accuracy,test_accuracy,test_samples,us_per_sample,elapsed_ms,<layer metrics>)`);
    expect(inputErrorOf(() => readResultsCsv(csv(HEADER.replace(',test_accuracy', ''))))).toMatch(/r\d+\.csv:1: not a results\.csv header: no column 'test_accuracy'/);
    expect(inputErrorOf(() => readResultsCsv(csv()))).toMatch(/r\d+\.csv: empty file/);
  });
});
