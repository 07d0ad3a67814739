import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { JsonlAppender, readJsonl, repairJsonl } from '../../src/sweep/jsonl.ts';
import { recoverResultDir } from '../../src/sweep/result-dir.ts';
import { runSweep } from '../../src/sweep/run-sweep.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { writeSweep } from './helpers.ts';

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
    expect(inputErrorOf(() => readJsonl(file('{"run":0}\nxx\n{"run":2}\n')))).toMatch(/f\d+\.jsonl: line 2 is not JSON, and it is not the last line/);
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
  it('keeps finished runs, drops curves of unfinished ones, keeps the first of a duplicated run', async () => {
    const d = join(dir, 'r1');
    mkdirSync(d);
    writeFileSync(join(d, 'results.jsonl'), '{"run":2,"v":1}\n{"run":0,"v":1}\n{"run":2,"v":2}\n{"run":5,');
    writeFileSync(join(d, 'curves.jsonl'), '{"run":2,"step":1}\n{"run":1,"step":1}\n{"run":0,"step":1}\n{"run":5,"step":1}\n{"run":');
    const finished = await recoverResultDir(d);
    expect(finished).toEqual([{ run: 2, v: 1 }, { run: 0, v: 1 }]);
    expect(readFileSync(join(d, 'results.jsonl'), 'utf8')).toBe('{"run":2,"v":1}\n{"run":0,"v":1}\n');
    expect(readFileSync(join(d, 'curves.jsonl'), 'utf8')).toBe('{"run":2,"step":1}\n{"run":0,"step":1}\n');
  });

  it('an empty directory: nothing finished, no files made', async () => {
    const d = join(dir, 'r2');
    mkdirSync(d);
    expect(await recoverResultDir(d)).toEqual([]);
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
