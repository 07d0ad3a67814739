import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { formatRunIds, mergeSweeps } from '../../src/sweep/merge.ts';
import { runFxsim } from '../helpers/cli.ts';
import { readCurves, readResults, sortedCurves, untimed, untimedCsv, writeSweep } from './helpers.ts';

/**
 * `fxsim sweep` and `fxsim merge` end to end (spawned): one worker and two give the same results
 * (timing aside); shards 1/2 and 2/2 merged give the unsharded results.
 */

let dir: string;
let sweep: string;
const out = (name: string) => join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-sweep-cli-'));
  sweep = writeSweep(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sweepCli = (args: string[]) => runFxsim(['sweep', sweep, '--quiet', ...args]);

describe('fxsim sweep (spawned)', () => {
  it('--workers 1: every run, results and curves and a table, a manifest, a summary', async () => {
    const r = await sweepCli(['--workers', '1', '--out', out('w1')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sweep iris-test: 18 run\(s\) trained, 0 skipped/);
    expect(r.stdout).toMatch(/best points by test_accuracy/);

    const results = readResults(out('w1'));
    expect(results.map((x) => x.run).sort((a, b) => a - b)).toEqual([...Array(18).keys()]);
    const run3 = results.find((x) => x.run === 3)!;
    expect(Object.keys(run3)).toEqual([
      'sweep', 'point', 'repeat', 'run', 'seed', 'params', 'sets', 'steps', 'running_accuracy', 'test_accuracy', 'test_samples',
      'elapsed_ms', 'us_per_sample', 'final', 'events', 'resolved',
    ]);
    expect(run3).toMatchObject({
      sweep: 'iris-test', point: 1, repeat: 1, seed: 2, steps: 400, test_samples: 30,
      params: { 'training.lr_shift': 6, 'training.update.rounding': 'RND_CONV' },
      sets: ['training.steps=400', 'training.metrics_every=100', 'training.lr_shift=6', 'training.update.rounding=RND_CONV', 'training.seed=2'],
    });
    expect(Object.keys(run3.final.L0)).toEqual(['delta_mean', 'delta_var', 'zero_delta_fraction', 'inactive_neurons', 'updates_to_zero']);
    expect(run3.events['L0.mac']).toHaveProperty('overflows');
    expect(run3.resolved).toMatchObject({ name: 'iris-linear-f16-lr10', training: { lr_shift: 6, seed: 2, steps: 400 } });
    expect(results.find((x) => x.run === 16)!.params).toEqual({ 'training.lr_shift': 10, 'training.update.rounding': 'STOCH' });

    const curves = readCurves(out('w1'));
    expect(curves).toHaveLength(18 * 4);
    expect(curves.filter((c) => c.run === 3).map((c) => c.step)).toEqual([100, 200, 300, 400]);
    expect(Object.keys(curves[0])).toEqual(['point', 'repeat', 'run', 'step', 'running_accuracy', 'interval_accuracy', 'layers']);

    const csv = readFileSync(join(out('w1'), 'results.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(19);
    expect(csv[0]).toBe('point,repeat,run,seed,training.lr_shift,training.update.rounding,steps,running_accuracy,test_accuracy,test_samples,us_per_sample,elapsed_ms,'
      + 'L0.delta_mean,L0.delta_var,L0.zero_delta_fraction,L0.inactive_neurons,L0.updates_to_zero');
    expect(csv[4]).toMatch(/^1,1,3,2,6,RND_CONV,400,/);

    const manifest = JSON.parse(readFileSync(join(out('w1'), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      sweep: 'iris-test', sweep_file: sweep, base: 'study/iris-linear-f16-lr10', repeats: 2, seeds: [1, 2], total_points: 9, total_runs: 18, shard: null,
      sweep_sha256: createHash('sha256').update(readFileSync(sweep)).digest('hex'),
      axes: [{ key: 'training.lr_shift', values: [6, 8, 10, 12] }, { key: 'training.update.rounding', values: ['TRN', 'RND_CONV'] }],
      param_keys: ['training.lr_shift', 'training.update.rounding'],
      plots: { heatmap: { x: 'training.update.rounding', y: 'training.lr_shift', value: 'test_accuracy' } },
    });
    expect(manifest.fxsim_version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--workers 2 gives the same results, curves and table (timing aside)', async () => {
    const r = await sweepCli(['--workers', '2', '--out', out('w2')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(untimed(readResults(out('w2')))).toEqual(untimed(readResults(out('w1'))));
    expect(sortedCurves(readCurves(out('w2')))).toEqual(sortedCurves(readCurves(out('w1'))));
    expect(untimedCsv(out('w2'))).toEqual(untimedCsv(out('w1')));
  });

  it('shards 1/2 and 2/2, merged, give the unsharded results', async () => {
    const [a, b] = await Promise.all([sweepCli(['--shard', '1/2', '--workers', '1', '--out', out('s1')]), sweepCli(['--shard', '2/2', '--workers', '1', '--out', out('s2')])]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    expect(readResults(out('s1')).map((x) => x.run).sort((x, y) => x - y)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16]);
    expect(JSON.parse(readFileSync(join(out('s2'), 'manifest.json'), 'utf8')).shard).toEqual({ index: 2, count: 2, runs: 9 });

    const m = await runFxsim(['merge', out('m'), out('s1'), out('s2'), out('s1')]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toBe(`merged 18 of 18 runs of sweep iris-test from 3 directories into ${out('m')}/ (9 run(s) found twice, kept once)\n`);
    const merged = readResults(out('m'));
    expect(merged.map((x) => x.run)).toEqual([...Array(18).keys()]); // sorted by run id
    expect(untimed(merged)).toEqual(untimed(readResults(out('w1'))));
    const curves = readCurves(out('m'));
    expect(curves).toEqual(sortedCurves(curves));
    expect(curves).toEqual(sortedCurves(readCurves(out('w1'))));
    expect(untimedCsv(out('m'))).toEqual(untimedCsv(out('w1')));
    const manifest = JSON.parse(readFileSync(join(out('m'), 'manifest.json'), 'utf8'));
    const unsharded = JSON.parse(readFileSync(join(out('w1'), 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(unsharded);
  });

  it('merge: a partial merge lists the missing runs; different sweep files or different results of one run are refused', async () => {
    const partial = await mergeSweeps(out('m1'), [out('s1')]);
    expect(partial.results).toHaveLength(9);
    expect(formatRunIds(partial.missing)).toBe('1, 3, 5, 7, 9, 11, 13, 15, 17');
    expect(formatRunIds([0, 1, 2, 5, 7, 8])).toBe('0-2, 5, 7-8');

    // another sweep file: its manifest has another sha256
    cpSync(out('s2'), out('other'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(out('other'), 'manifest.json'), 'utf8'));
    writeFileSync(join(out('other'), 'manifest.json'), JSON.stringify({ ...manifest, sweep_sha256: 'f'.repeat(64) }));
    expect(await inputErrorOfAsync(() => mergeSweeps(out('bad'), [out('s1'), out('other')])))
      .toMatch(/other\/manifest\.json: sweep file sha256 ffffffffffff differs from .*s1's \w+: results of different sweep files/);

    // the same run with another accuracy
    cpSync(out('s1'), out('changed'), { recursive: true });
    const lines = readFileSync(join(out('changed'), 'results.jsonl'), 'utf8').split('\n');
    lines[0] = lines[0].replace(/"running_accuracy":[0-9.]+/, '"running_accuracy":0.5');
    writeFileSync(join(out('changed'), 'results.jsonl'), lines.join('\n'));
    expect(await inputErrorOfAsync(() => mergeSweeps(out('bad'), [out('s1'), out('changed')])))
      .toMatch(/changed\/results\.jsonl: run \d+ is in .*s1 and .*changed with different results/);
    expect(existsSync(out('bad'))).toBe(false); // nothing written
  });

  it('bad input exits 2 with one line, no stack: a results line that is no run (resume, merge), a manifest missing a field', async () => {
    cpSync(out('s1'), out('bad-resume'), { recursive: true });
    const results = join(out('bad-resume'), 'results.jsonl');
    const text = `${readFileSync(results, 'utf8').split('\n')[0]}\n[1,2,3]\n`;
    writeFileSync(results, text);
    const r = await sweepCli(['--shard', '1/2', '--workers', '1', '--out', out('bad-resume')]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `fxsim: ${results}:2: expected a JSON object (a finished run), got a list\n`]);
    expect(readFileSync(results, 'utf8')).toBe(text); // nothing trained, nothing appended

    const m = await runFxsim(['merge', out('bad-merge'), out('s2'), out('bad-resume')]);
    expect([m.code, m.stdout, m.stderr]).toEqual([2, '', `fxsim: ${results}:2: expected a JSON object (a finished run), got a list\n`]);

    cpSync(out('s2'), out('no-total'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(out('no-total'), 'manifest.json'), 'utf8'));
    delete manifest.total_runs;
    writeFileSync(join(out('no-total'), 'manifest.json'), JSON.stringify(manifest));
    const t = await runFxsim(['merge', out('bad-merge'), out('no-total')]);
    expect([t.code, t.stdout, t.stderr]).toEqual([2, '', `fxsim: ${join(out('no-total'), 'manifest.json')}: not a sweep manifest: no 'total_runs'\n`]);
    expect(existsSync(out('bad-merge'))).toBe(false);
  });
});

async function inputErrorOfAsync(f: () => Promise<unknown>): Promise<string> {
  const e = await f().then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(FxInputError);
  expect((e as Error).message).not.toContain('\n');
  return (e as Error).message;
}
