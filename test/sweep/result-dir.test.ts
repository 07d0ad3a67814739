import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { JsonlAppender, readJsonl, repairJsonl } from '../../src/sweep/jsonl.ts';
import { checkInputDir, checkOutputDir, readResultDir, recoverResultDir } from '../../src/sweep/result-dir.ts';
import { runSweep } from '../../src/sweep/run-sweep.ts';
import { inputErrorOf, inputErrorOfAsync } from '../helpers/input-error.ts';
import { curveLine, jsonl, resultLine, writeSweep } from './helpers.ts';

/** The pieces of resuming, in process: torn JSONL files, result-directory recovery, and refusals. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-sweep-dir-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const file = (text: string) => {
  const p = join(dir, `f${++n}.jsonl`);
  writeFileSync(p, text);
  return p;
};

describe('JSONL files', () => {
  it('a torn last line (no newline, or not JSON) is dropped; repair cuts it off the file', () => {
    const p = file('{"run":0}\n{"run":1}\n{"run":2');
    expect(readJsonl(p)).toEqual({ rows: [{ run: 0 }, { run: 1 }], goodBytes: 20, torn: true });
    expect(repairJsonl(p)).toEqual([{ run: 0 }, { run: 1 }]);
    expect(readFileSync(p, 'utf8')).toBe('{"run":0}\n{"run":1}\n');
    const q = file('{"run":0}\n{"run":\n');
    expect(repairJsonl(q)).toEqual([{ run: 0 }]);
    expect(readFileSync(q, 'utf8')).toBe('{"run":0}\n');
    expect(readJsonl(join(dir, 'none.jsonl'))).toEqual({ rows: [], goodBytes: 0, torn: false });
  });

  it('a bad line that is not the last is an error, not a torn write', () => {
    expect(inputErrorOf(() => readJsonl(file('{"run":0}\nxx\n{"run":2}\n')))).toMatch(/f\d+\.jsonl:2: not valid JSON, and not the last line/);
  });

  it('a tail that is not the start of an object is not a torn line: an error, and the file is left alone', () => {
    const garbage = '\x7fELF\x02\x01\x01\0\0binary';
    const p = file(garbage);
    expect(inputErrorOf(() => readJsonl(p))).toMatch(/f\d+\.jsonl:1: not valid JSON, nor the start of a JSON object/);
    expect(inputErrorOf(() => repairJsonl(p))).toMatch(/f\d+\.jsonl:1: /);
    expect(readFileSync(p, 'utf8')).toBe(garbage);
    expect(inputErrorOf(() => readJsonl(file('{"run":0}\n\nxx\n')))).toMatch(/f\d+\.jsonl:3: not valid JSON, nor the start/);
  });

  it('blank lines are skipped (as the plotter skips them); every row goes through the check, with its file:line', () => {
    const seen: string[] = [];
    const rows = readJsonl(file('{"run":0}\n\n{"run":1}\n'), (row, where) => {
      seen.push(where.replace(/^.*\//, ''));
      return row;
    }).rows;
    expect(rows).toEqual([{ run: 0 }, { run: 1 }]);
    expect(seen).toEqual([`f${n}.jsonl:1`, `f${n}.jsonl:3`]);
  });

  it('a path that cannot be read is an input error, not a crash', () => {
    const d = join(dir, 'a-directory.jsonl');
    mkdirSync(d);
    expect(inputErrorOf(() => readJsonl(d))).toMatch(/a-directory\.jsonl: cannot read: is a directory, not a file$/);
  });

  it('the appender writes whole lines after what is there', () => {
    const p = file('{"run":0}\n');
    const a = new JsonlAppender(p);
    a.append({ run: 1, x: 0.5, big: 2n ** 70n, nan: NaN });
    a.close();
    expect(readFileSync(p, 'utf8')).toBe('{"run":0}\n{"run":1,"x":0.5,"big":"1180591620717411303424","nan":null}\n');
  });
});

describe('recovering a result directory', () => {
  const range = { totalRuns: 6, repeats: 1 };

  it('keeps finished runs, drops curves of unfinished ones, keeps the first of a duplicated run', async () => {
    const d = join(dir, 'r1');
    mkdirSync(d);
    const results = [resultLine(2), resultLine(0), resultLine(2, 1, { running_accuracy: 0.25 })];
    writeFileSync(join(d, 'results.jsonl'), `${jsonl(results)}{"run":5,`);
    writeFileSync(join(d, 'curves.jsonl'), `${jsonl([curveLine(2, 1), curveLine(1, 1), curveLine(0, 1), curveLine(5, 1)])}{"run":`);
    const finished = await recoverResultDir(d, range);
    expect(finished).toEqual(results.slice(0, 2));
    expect(readFileSync(join(d, 'results.jsonl'), 'utf8')).toBe(jsonl(results.slice(0, 2)));
    expect(readFileSync(join(d, 'curves.jsonl'), 'utf8')).toBe(jsonl([curveLine(2, 1), curveLine(0, 1)]));
  });

  it('an empty directory: nothing finished, no files made', async () => {
    const d = join(dir, 'r2');
    mkdirSync(d);
    expect(await recoverResultDir(d, range)).toEqual([]);
  });

  it.each([
    ['a line that is JSON but not an object', '[1,2,3]', 'results', /results\.jsonl:2: expected a JSON object \(a finished run\), got a list$/],
    ['a run that is not a number', resultLine(1, 1, { run: 'x' }), 'results', /results\.jsonl:2: run: expected a number \(got "x"\)$/],
    ['a run out of range', resultLine(1, 1, { run: 999 }), 'results', /results\.jsonl:2: run: 999 is not a run of this sweep \(0\.\.5\)$/],
    ['a line without its run', resultLine(1, 1, { run: undefined }), 'results', /results\.jsonl:2: run: expected a number \(missing\)$/],
    ['an accuracy of 5', resultLine(1, 1, { test_accuracy: 5 }), 'results', /results\.jsonl:2: test_accuracy: expected an accuracy in \[0, 1\] \(got 5\)$/],
    ['a curve line of no run of the sweep', curveLine(7, 1), 'curves', /curves\.jsonl:2: run: 7 is not a run of this sweep \(0\.\.5\)$/],
  ])('%s: an error naming file:line, before anything changes', async (_what, bad, which, re) => {
    const d = mkdtempSync(join(dir, 'bad-'));
    // a torn tail and a duplicate too: recovery would rewrite both files if it got that far
    const results = `${jsonl([resultLine(0), ...(which === 'results' ? [bad] : [resultLine(0)])])}{"run":`;
    const curves = `${jsonl([curveLine(0, 1), ...(which === 'curves' ? [bad] : [])])}{"run":`;
    writeFileSync(join(d, 'results.jsonl'), results);
    writeFileSync(join(d, 'curves.jsonl'), curves);
    expect(await inputErrorOfAsync(recoverResultDir(d, range))).toMatch(re);
    expect(readFileSync(join(d, 'results.jsonl'), 'utf8')).toBe(results);
    expect(readFileSync(join(d, 'curves.jsonl'), 'utf8')).toBe(curves);
    expect(inputErrorOf(() => readResultDir(d, range))).toMatch(re); // what merge reads: the same check
  });
});

describe('result directory paths', () => {
  it('an output directory: missing or a directory, its result files not directories', () => {
    expect(() => checkOutputDir(join(dir, 'not-yet'))).not.toThrow();
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(inputErrorOf(() => checkOutputDir(join(dir, 'a-file')))).toMatch(/a-file: exists and is not a directory/);
    expect(inputErrorOf(() => checkOutputDir(join(dir, 'a-file', 'sub')))).toMatch(/a-file\/sub: cannot be a directory: a part of the path is a file/);
    const d = join(dir, 'manifest-dir');
    mkdirSync(join(d, 'manifest.json'), { recursive: true });
    expect(inputErrorOf(() => checkOutputDir(d))).toMatch(/manifest-dir\/manifest\.json: is a directory, not a file/);
    expect(inputErrorOf(() => checkInputDir(d))).toMatch(/manifest-dir\/manifest\.json: is a directory, not a file/);
  });

  it('an input directory must be one', () => {
    expect(inputErrorOf(() => checkInputDir(join(dir, 'a-file')))).toMatch(/a-file: not a directory: give a fxsim sweep result directory/);
    expect(inputErrorOf(() => checkInputDir(join(dir, 'nowhere')))).toMatch(/nowhere: no such directory/);
  });
});

describe('runSweep refusals and failures', () => {
  const base = resolve('configs/study/iris-linear-f16-lr10.yaml');
  const sweepText = (extra = '') => `sweep: tiny\nbase: ${base}\nsteps: 50\npoints: [{ training.lr_shift: 10 }, { training.lr_shift: 11 }]\n${extra}`;

  it('a directory of another shard, or with results but no manifest, is refused', async () => {
    const s = writeSweep(dir, sweepText(), 'tiny.yaml');
    const out = join(dir, 'tiny-shard');
    const first = await runSweep({ file: s, out, shard: { index: 1, count: 2 }, workers: 1, quiet: true });
    expect(first.results.map((r) => r.run)).toEqual([0]);
    const err = await runSweep({ file: s, out, workers: 1, quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FxInputError);
    expect((err as Error).message).toMatch(/tiny-shard\/manifest\.json: holds results of --shard 1\/2, not none: use a new --out/);

    const stray = join(dir, 'stray');
    mkdirSync(stray);
    writeFileSync(join(stray, 'results.jsonl'), '');
    const err2 = await runSweep({ file: s, out: stray, workers: 1, quiet: true }).catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/stray has results\.jsonl but no manifest\.json/);
  });

  it('resuming over a bad results line fails before any run trains, and changes nothing', async () => {
    const s = writeSweep(dir, sweepText(), 'tiny-resume.yaml');
    const out = join(dir, 'tiny-resume');
    await runSweep({ file: s, out, shard: { index: 1, count: 2 }, workers: 1, quiet: true }); // run 0 of 2
    const results = join(out, 'results.jsonl');
    for (const [bad, re] of [
      ['[1,2,3]', /tiny-resume\/results\.jsonl:2: expected a JSON object \(a finished run\), got a list$/],
      [JSON.stringify(resultLine(2)), /tiny-resume\/results\.jsonl:2: run: 2 is not a run of this sweep \(0\.\.1\)$/],
    ] as const) {
      const text = `${readFileSync(results, 'utf8').split('\n')[0]}\n${bad}\n`;
      writeFileSync(results, text);
      const before = readdirSync(out).sort();
      const err = await runSweep({ file: s, out, shard: { index: 1, count: 2 }, workers: 1, quiet: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FxInputError);
      expect((err as Error).message).toMatch(re);
      expect(readFileSync(results, 'utf8')).toBe(text);
      expect(readdirSync(out).sort()).toEqual(before); // (no results.csv rewritten, no lock left)
    }
  });

  it('an --out that is a file, or whose manifest.json is a directory: one line, before any run', async () => {
    const s = writeSweep(dir, sweepText(), 'tiny-paths.yaml');
    writeFileSync(join(dir, 'out-file'), 'x');
    const err = await runSweep({ file: s, out: join(dir, 'out-file'), workers: 1, quiet: true }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/out-file: exists and is not a directory/);
    mkdirSync(join(dir, 'odd', 'manifest.json'), { recursive: true });
    const err2 = await runSweep({ file: s, out: join(dir, 'odd'), workers: 1, quiet: true }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(FxInputError);
    expect((err2 as Error).message).toMatch(/odd\/manifest\.json: is a directory, not a file/);
    expect(readdirSync(join(dir, 'odd'))).toEqual(['manifest.json']);
  });

  it('a run that fails on its data stops the sweep with one line naming the run and its --set', async () => {
    const cfg = join(dir, 'csv-config.yaml');
    writeFileSync(cfg, readFileSync(base, 'utf8')
      .replace('../../models/', `${resolve('models')}/`)
      .replace('dataset: { name: iris, test_fraction: 0.2, split_seed: 1 }', 'dataset: { name: csv, path: missing.csv, label_column: 4 }'));
    const s = writeSweep(dir, sweepText().replace(`base: ${base}`, 'base: csv-config.yaml'), 'csv-sweep.yaml');
    const err = await runSweep({ file: s, out: join(dir, 'csv-out'), workers: 1, quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FxInputError);
    expect((err as Error).message).toMatch(/csv-sweep\.yaml: run 0 \(point 0, repeat 0; --set training\.steps=50 --set training\.lr_shift=10 --set training\.seed=1\): .*missing\.csv/);
  });
});
