import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findingsMarkdown } from '../../src/findings/index.ts';
import { runFxsim } from '../helpers/cli.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/**
 * findingsMarkdown on a results directory: a cell it computes with that is not a number (or not
 * an accuracy) is an error naming file:line and the column, never a run dropped or a 500%.
 */

const base = mkdtempSync(join(tmpdir(), 'fxsim-findings-index-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const HEADER = 'point,repeat,run,seed,params.F,training.lr_shift,steps,running_accuracy,test_accuracy,test_samples,us_per_sample,elapsed_ms,L0.delta_mean,L0.delta_var,L0.zero_delta_fraction,L0.inactive_neurons,L0.updates_to_zero';
const row = (point: number, F: string, lr: string, test: string) => `${point},0,${point},1,${F},${lr},100,0.5,${test},30,1.5,150,0.1,2,0,0,2`;
const GOOD = [row(0, '8', '4', '0.4'), row(1, '8', '5', '0.6'), row(2, '12', '4', '0.9'), row(3, '12', '5', '0.85')];

let n = 0;
/** A results directory whose results.csv has the good rows, `line` 3 (the second run) replaced. */
function resultsDir(line?: string): { dir: string; csv: string } {
  const dir = join(base, `d${++n}`);
  mkdirSync(dir);
  const rows = [...GOOD];
  if (line !== undefined) rows[1] = line;
  const csv = join(dir, 'results.csv');
  writeFileSync(csv, [HEADER, ...rows].map((l) => `${l}\n`).join(''));
  return { dir, csv };
}

describe('findingsMarkdown', () => {
  it('the lr x fraction reading of good results', () => {
    expect(findingsMarkdown(resultsDir().dir)).toContain('| 12 | 90.0% | 4 | 4 | 4..5 |');
  });

  it.each([
    ['a parameter that is text', row(1, 'abc', '5', '0.6'), "column params.F: expected a number (got 'abc')"],
    ['a learning rate that is NaN', row(1, '8', 'NaN', '0.6'), "column training.lr_shift: expected a number (got 'NaN')"],
    ['an accuracy that is text', row(1, '8', '5', 'abc'), "column test_accuracy: expected a number or an empty cell (got 'abc')"],
    ['an accuracy of 5', row(1, '8', '5', '5'), "column test_accuracy: expected an accuracy in [0, 1] (got '5')"],
    ['no test accuracy', row(1, '8', '5', ''), 'column test_accuracy: expected a number (got an empty cell)'],
  ])('%s: file:line and column', (_what, line, message) => {
    const { dir, csv } = resultsDir(line);
    expect(inputErrorOf(() => findingsMarkdown(dir))).toBe(`${csv}:3: ${message}`);
  });

  it('a results.csv that is binary: not a results.csv header, line 1', () => {
    const dir = join(base, 'binary');
    mkdirSync(dir);
    writeFileSync(join(dir, 'results.csv'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 10, 0xff, 10]));
    expect(inputErrorOf(() => findingsMarkdown(dir))).toMatch(/binary\/results\.csv:1: not a results\.csv header: no column 'point'/);
  });

  it('fxsim findings: exit 2, one line, no stack', async () => {
    const { dir, csv } = resultsDir(row(1, 'abc', '5', '0.6'));
    const r = await runFxsim(['findings', dir]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `fxsim: ${csv}:3: column params.F: expected a number (got 'abc')\n`]);
  });
});
