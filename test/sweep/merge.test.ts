import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSweeps } from '../../src/sweep/merge.ts';
import { inputErrorOfAsync } from '../helpers/input-error.ts';
import { curveLine, jsonl, manifest, resultLine } from './helpers.ts';

/**
 * `fxsim merge` on made-up result directories (no training): it joins them, and refuses bad
 * input with one line naming the file (and line) before it writes anything. (Merging real
 * shards end to end: cli.test.ts.)
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-sweep-merge-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A result directory of a 4-run sweep holding `results` lines (objects, or raw text). */
function resultDir(results: unknown[], change: Parameters<typeof manifest>[0] = {}): string {
  const d = join(dir, `in${++n}`);
  mkdirSync(d);
  writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest({ total_runs: 4, total_points: 4, ...change })));
  writeFileSync(join(d, 'results.jsonl'), jsonl(results));
  writeFileSync(join(d, 'curves.jsonl'), jsonl(results.filter((r): r is { run: number } => typeof r === 'object' && r !== null && 'run' in r).map((r) => curveLine(r.run, 100))));
  return d;
}

describe('mergeSweeps', () => {
  it('joins directories, sorted by run, and lists the missing runs', async () => {
    const out = join(dir, 'joined');
    const m = await mergeSweeps(out, [resultDir([resultLine(2)]), resultDir([resultLine(0)])]);
    expect(m.results.map((r) => r.run)).toEqual([0, 2]);
    expect(m.missing).toEqual([1, 3]);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')).toHaveLength(4);
  });

  it.each([
    ['a line that is not an object', '[1,2,3]', /results\.jsonl:2: expected a JSON object \(a finished run\), got a list$/],
    ['a line without its run', resultLine(1, 1, { run: undefined }), /results\.jsonl:2: run: expected a number \(missing\)$/],
    ['a run out of range', resultLine(1, 1, { run: 999 }), /results\.jsonl:2: run: 999 is not a run of this sweep \(0\.\.3\)$/],
    ['an accuracy of 5', resultLine(1, 1, { test_accuracy: 5 }), /results\.jsonl:2: test_accuracy: expected an accuracy in \[0, 1\] \(got 5\)$/],
  ])('%s: file:line, nothing written', async (_what, bad, re) => {
    const out = join(dir, `never${n}`);
    const msg = await inputErrorOfAsync(mergeSweeps(out, [resultDir([resultLine(0)]), resultDir([resultLine(3), bad])]));
    expect(msg).toMatch(new RegExp(`^${join(dir, `in${n}`)}/${re.source}`));
    expect(existsSync(out)).toBe(false);
  });

  it('a manifest missing a field names the file and the field', async () => {
    const d = resultDir([resultLine(0)], { total_runs: undefined });
    expect(await inputErrorOfAsync(mergeSweeps(join(dir, 'never-m'), [d]))).toBe(`${join(d, 'manifest.json')}: not a sweep manifest: no 'total_runs'`);
  });

  it('an output that is a file, an input that is a file or missing: one line naming the path, nothing written', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const good = resultDir([resultLine(0)]);
    expect(await inputErrorOfAsync(mergeSweeps(file, [good]))).toBe(`${file}: exists and is not a directory: give a directory for the results`);
    expect(await inputErrorOfAsync(mergeSweeps(join(dir, 'never-f'), [good, file]))).toBe(`${file}: not a directory: give a fxsim sweep result directory`);
    expect(await inputErrorOfAsync(mergeSweeps(join(dir, 'never-f'), [join(dir, 'nowhere')]))).toMatch(/nowhere: no such directory/);
    expect(readFileSync(file, 'utf8')).toBe('x');
    expect(existsSync(join(dir, 'never-f'))).toBe(false);
  });
});
