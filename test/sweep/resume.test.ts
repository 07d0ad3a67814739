import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../src/sweep/run-sweep.ts';
import { BIN, ROOT, runFxsim } from '../helpers/cli.ts';
import { readCurves, readResults, sortedCurves, untimed, writeSweep } from './helpers.ts';

/**
 * Resume: a sweep SIGKILLed mid-way, its files then torn by hand (a partial results line, curve
 * lines of a run that never finished), restarted with the same command, ends with exactly the
 * results of an uninterrupted sweep: no run lost, none trained twice, none duplicated.
 */

// 20 runs of ~0.1 s: long enough to kill after a few have finished
const SWEEP = [
  'fxsim: 1',
  'sweep: iris-resume',
  'base: study/iris-linear-f16-lr10',
  'steps: 20000',
  'repeats: 2',
  'grid:',
  '  training.lr_shift: [6, 8, 10, 12, 14]',
  '  training.update.rounding: [TRN, RND_CONV]',
  'set: { training.metrics_every: 5000 }',
  '',
].join('\n');
const TOTAL = 20;
/** The accuracy of a curve line written by hand for a run that never finished: no real run has it. */
const STRAY = 0.123456789;

let dir: string;
let sweep: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-sweep-resume-'));
  sweep = writeSweep(dir, SWEEP);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const countLines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

/** Start the sweep as a child process and SIGKILL it once `atLeast` runs have finished; resolves to that count. */
function killAfter(args: string[], resultsPath: string, atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'ignore' });
    let finished = 0;
    const poll = setInterval(() => {
      finished = countLines(resultsPath);
      if (finished >= atLeast) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      if (signal !== 'SIGKILL') reject(new Error(`the sweep ended by itself (${finished} runs) before it was killed`));
      else resolve(countLines(resultsPath));
    });
  });
}

describe('fxsim sweep resumes after a kill', () => {
  it('SIGKILL, torn files, restart: the results of an uninterrupted sweep, nothing redone or duplicated', async () => {
    const out = join(dir, 'killed');
    const resultsPath = join(out, 'results.jsonl');
    const killedAt = await killAfter(['sweep', sweep, '--quiet', '--workers', '2', '--out', out], resultsPath, 3);
    expect(killedAt).toBeGreaterThanOrEqual(3);
    expect(killedAt).toBeLessThan(TOTAL);
    const before = readResults(out);
    const done = new Set(before.map((r) => r.run));

    // what a kill in the middle of a write, or in the middle of a run, leaves behind
    const unfinished = [...Array(TOTAL).keys()].find((r) => !done.has(r))!;
    appendFileSync(join(out, 'curves.jsonl'), `${JSON.stringify({ point: unfinished >> 1, repeat: unfinished & 1, run: unfinished, step: 5000, running_accuracy: STRAY, interval_accuracy: STRAY, layers: {} })}\n{"point":`);
    appendFileSync(resultsPath, '{"sweep":"iris-resume","point":3,"rep');

    const r = await runFxsim(['sweep', sweep, '--quiet', '--workers', '1', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^sweep iris-resume: ${TOTAL - before.length} run\\(s\\) trained, ${before.length} skipped`));

    const after = readResults(out);
    expect(after.map((x) => x.run).sort((a, b) => a - b)).toEqual([...Array(TOTAL).keys()]); // each run once
    // the runs finished before the kill are the very same lines (timing included): not trained again
    expect(after.slice(0, before.length)).toEqual(before);

    const reference = await runSweep({ file: sweep, out: join(dir, 'reference'), workers: 1, quiet: true });
    expect(untimed(after)).toEqual(untimed(reference.results));
    const curves = readCurves(out);
    expect(curves.every((c) => c.running_accuracy !== STRAY)).toBe(true); // the unfinished run's stray line is gone
    expect(sortedCurves(curves)).toEqual(sortedCurves(readCurves(join(dir, 'reference'))));
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(TOTAL + 1);
  });

  it('refuses to resume when the base config changed (its runs would not match)', async () => {
    const base = readFileSync(join(ROOT, 'configs', 'study', 'iris-linear-f16-lr10.yaml'), 'utf8').replace('../../models/', `${join(ROOT, 'models')}/`);
    const basePath = join(dir, 'base.yaml');
    writeFileSync(basePath, base);
    const small = writeSweep(dir, ['fxsim: 1', 'sweep: base-change', 'base: base.yaml', 'steps: 200', 'grid: { training.lr_shift: [8] }', ''].join('\n'), 'small.yaml');
    const out = join(dir, 'base-change');
    expect((await runFxsim(['sweep', small, '--quiet', '--out', out])).code).toBe(0);
    writeFileSync(basePath, base.replace('lr_shift: 10', 'lr_shift: 11'));
    const r = await runFxsim(['sweep', small, '--quiet', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^fxsim: .*base-change\/manifest\.json: holds results of another version of the base config base\.yaml \(sha256 \w+, now \w+\): its runs would not match; use a new --out, or delete .* to start over\n$/);
  });

  it('refuses to resume into a directory of another version of the sweep file', async () => {
    const changed = writeSweep(dir, SWEEP.replace('[6, 8, 10, 12, 14]', '[8, 10]'), 'changed.yaml');
    const r = await runFxsim(['sweep', changed, '--quiet', '--out', join(dir, 'killed')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^fxsim: .*killed\/manifest\.json: holds results of another version of this sweep file \(sha256 \w+, now \w+\): use a new --out, or delete .* to start over\n$/);
  });
});
