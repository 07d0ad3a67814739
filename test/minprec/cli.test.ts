import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runMinprec, type MinprecResult } from '../../src/minprec/run-minprec.ts';
import { minprecTable } from '../../src/minprec/table.ts';
import { trainRun } from '../../src/sweep/train-run.ts';
import type { PreparedSamples } from '../../src/train/run.ts';
import { runFxsim } from '../helpers/cli.ts';

/**
 * fxsim minprec on the Iris study config, small: 1500 steps, F in 0..12, lr_shift 6..12, target
 * 60% test accuracy. Measured over the full grid, F = 6 (lr 6) is the first F that reaches it; the
 * best F = 5 does is 43.33% (lr 6).
 */

const dir = mkdtempSync(join(tmpdir(), 'fxsim-minprec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = 'study/iris-linear-f16-lr10';
const SMALL = ['--steps', '1500', '--range', '0..12', '--lr', '6..12', '--target', '0.6'];

/** The result without what depends on the machine: times and the thread count. */
function stable(r: MinprecResult): unknown {
  return JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'wall_ms' || k === 'workers' ? undefined : v)));
}

/** Run the CLI in this process: exit status and stderr (for error lines, which print nothing else). */
async function inProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(args, { write: (s: string) => (stderr += s) });
  return { code, stderr };
}

describe('fxsim minprec end to end (spawned)', () => {
  it('finds the minimum F, confirmed by training: table, --json, --out; --workers 1 and 2 give the same result', async () => {
    const out = join(dir, 'w1.json');
    const [one, two] = await Promise.all([
      runFxsim(['minprec', CONFIG, ...SMALL, '--workers', '1', '--out', out, '--quiet']),
      runFxsim(['minprec', CONFIG, ...SMALL, '--workers', '2', '--json']),
    ]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    // the table
    const lines = one.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('minprec iris-linear-f16-lr10: smallest params.F in 0..12 whose test accuracy reaches 60.00% within 1500 steps, lr_shift searched in 6..12 at each');
    expect(lines[1].split('|').map((s) => s.trim())).toEqual(['rounding', 'min F', 'best lr', 'accuracy at min', 'F-1 best accuracy', 'runs trained', 'time']);
    const row = lines[3].split('|').map((s) => s.trim());
    expect(row.slice(0, 5)).toEqual(['TRN (config)', '6', '6', '63.33%', '43.33% (lr 6)']);
    expect(row[5]).toMatch(/^\d+ of 91$/);
    expect(lines[lines.length - 1]).toMatch(/^\d+ run\(s\) trained of a full grid of 91 \(\d+%\), in .* on 1 thread\(s\)/);
    // the JSON shape, and the same result whatever the worker count
    const r1 = JSON.parse(readFileSync(out, 'utf8')) as MinprecResult;
    const r2 = JSON.parse(two.stdout) as MinprecResult;
    expect(stable(r2)).toEqual(stable(r1));
    expect(r1.workers).toBe(1);
    expect(r2.workers).toBe(2);
    expect(r1).toMatchObject({ config: CONFIG, name: 'iris-linear-f16-lr10', param: 'F', target: 0.6, metric: 'test', steps: 1500, lr: [6, 12], rounding_via: ['training.update.rounding'], grid: 91 });
    expect(r1.rows).toHaveLength(1);
    const p = r1.rows[0].precision;
    expect(p).toMatchObject({ param: 'F', range: [0, 12], reached: true, min: 6, at_low: false, best_lr: 6, below: { value: 5, best_lr: 6 }, grid: 91, unloaded: null });
    expect(p.runs).toBe(r1.runs);
    expect(p.runs).toBeLessThan(40);
    expect(p.probes.map((q) => q.value)).toEqual([...new Set(p.probes.map((q) => q.value))].sort((a, b) => a - b));
    // every accuracy is what training that run gives: the minimum passes, minimum - 1 fails at every lr tried
    const cache = new Map<string, PreparedSamples>();
    const acc = (F: number, lr: number) => {
      const o = trainRun({ run: 0, config: CONFIG, sets: ['training.steps=1500', `params.F=${F}`, `training.lr_shift=${lr}`] }, cache);
      if (!o.ok) throw new Error(o.message);
      return o.testAccuracy!;
    };
    expect(acc(6, 6)).toBe(p.accuracy);
    expect(p.accuracy).toBeGreaterThanOrEqual(0.6);
    const below = p.probes.find((q) => q.value === 5)!;
    expect(below.complete).toBe(true);
    for (const t of below.lrs) {
      expect(acc(5, t.lr)).toBe(t.accuracy);
      expect(t.accuracy!).toBeLessThan(0.6);
    }
    expect(p.below!.accuracy).toBe(Math.max(...below.lrs.map((t) => t.accuracy!)));
  });

  it('bad input: one line, exit 2', async () => {
    const r = await runFxsim(['minprec', CONFIG, '--target', '0.6', '--range', '5..2']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('fxsim: --range 5..2: LO must be <= HI\n');
    expect(r.code).toBe(2);
  });
});

describe('fxsim minprec in this process', () => {
  const base = { config: CONFIG, target: 0.6, steps: 1500, range: [0, 12] as [number, number], lr: [6, 12] as [number, number], workers: 1, quiet: true };

  it('--over: one row per rounding mode, set through training.update.rounding', async () => {
    const r = await runMinprec({ ...base, target: 0.8, over: ['trn', 'RND_CONV'] });
    expect(r.rows.map((x) => x.rounding)).toEqual(['TRN', 'RND_CONV']);
    // measured over the full grid: TRN first reaches 80% at F = 9 (lr 8), RND_CONV at F = 10 (lr 10)
    expect(r.rows.map((x) => [x.precision.min, x.precision.best_lr])).toEqual([[9, 8], [10, 10]]);
    expect(r.grid).toBe(2 * 91);
    expect(r.runs).toBe(r.rows[0].precision.runs + r.rows[1].precision.runs);
    const table = minprecTable(r).split('\n');
    expect(table[3]).toMatch(/^TRN +\| +9 \| +8 \| +80\.00% \| 73\.33% \(lr 6\) +\| +\d+ of 91 \|/);
    expect(table[4]).toMatch(/^RND_CONV \| +10 \| +10 \| +86\.67% \| 76\.67% \(lr 6\) +\| +\d+ of 91 \|/);
  });

  it('--over on a config with params.R sets the rounding through it', async () => {
    // minprec/iris-linear-fwa is the Iris study datapath with R the update rounding: RND_CONV reaches 80% at F = 10, as above
    const r = await runMinprec({ ...base, config: 'minprec/iris-linear-fwa', target: 0.8, range: [8, 11], over: ['RND_CONV'], roundingKeys: ['training.ignored'] });
    expect(r.rounding_via).toEqual(['params.R']);
    expect(r.rows[0]).toMatchObject({ rounding: 'RND_CONV', precision: { min: 10, best_lr: 10 } });
    const asIs = await runMinprec({ ...base, config: 'minprec/iris-linear-fwa', range: [5, 7] });
    expect(asIs.rows[0]).toMatchObject({ rounding: 'TRN (config)', precision: { min: 6, best_lr: 6 } });
  });

  it('not reached up to HI; reached at LO (F-1 not tried)', async () => {
    const never = await runMinprec({ ...base, target: 1 });
    expect(never.rows[0].precision).toMatchObject({ reached: false, min: null, below: null, top: { value: 12 } });
    expect(never.rows[0].precision.probes.map((p) => p.value)).toEqual([12]);
    expect(minprecTable(never)).toMatch(/\| not reached up to 12 \| +12 \| +86\.67% \(at 12\) \| n\/a +\| +5 of 91 \|/);
    const low = await runMinprec({ ...base, range: [8, 12] });
    expect(low.rows[0].precision).toMatchObject({ reached: true, min: 8, at_low: true, below: null });
    expect(minprecTable(low)).toMatch(/\* TRN \(config\): F = 8 is the bottom of the range: F = 7 was not tried/);
  });

  it('--widths: W, then A, at the minimum F; a config without W/A says so', async () => {
    const r = await runMinprec({ ...base, config: 'minprec/iris-linear-fwa', range: [4, 8], widths: true, wRange: [6, 14], aRange: [12, 24] });
    const row = r.rows[0];
    expect(row.precision.min).toBe(6);
    const { W, A } = row.widths!;
    // W = 10 cannot hold the initial weights (std 500 LSB): it does not train
    expect(W).toMatchObject({ param: 'W', fixed: { F: 6 }, reached: true, min: 11, best_lr: 6, below: { value: 10, accuracy: null } });
    expect(W!.unloaded).toMatchObject({ values: [10], reason: expect.stringMatching(/initial weight .* does not fit the weight register/) });
    expect(A).toMatchObject({ param: 'A', fixed: { F: 6, W: 11 }, reached: true, min: 18, best_lr: 12, below: { value: 17, best_lr: 10 } });
    // confirmed: the minimum reaches the target, one bit less does not (or does not train)
    for (const s of [W!, A!]) {
      expect(s.accuracy!).toBeGreaterThanOrEqual(0.6);
      if (!s.at_low) expect(s.below!.accuracy ?? 0).toBeLessThan(0.6);
    }
    const table = minprecTable(r);
    expect(table).toMatch(/widths at the minimum F/);
    expect(table).toMatch(/^TRN \(config\) \| W +\| F=6 +\| +11 \| +6 \| +63\.33% \| does not train +\|/m);
    expect(table).toMatch(/^TRN \(config\): W = 10 did not load or train \(counted as not reaching\): initial weight/m);
    const none = await runMinprec({ ...base, range: [5, 7], widths: true });
    expect(none.rows[0].widths?.note).toMatch(/does not expose its widths: --widths needs params W .* and\/or A/);
    expect(minprecTable(none)).toMatch(/--widths, TRN \(config\): the config does not expose its widths/);
  });

  it.each([
    [['--target', '0.6', '--range', '1..x'], /^fxsim: --range 1\.\.x: expected LO\.\.HI with integers, e.g\. 0\.\.32$/],
    [['--target', '0.6', '--lr', '9..3'], /^fxsim: --lr 9\.\.3: LO must be <= HI$/],
    [['--target', '0.6', '--over', 'TRN,FOO'], /^fxsim: --over TRN,FOO: unknown rounding mode 'FOO' \(one of TRN, .*STOCH\)$/],
    [['--target', '0'], /^fxsim: --target 0: must be a number in \(0, 1\], e\.g\. 0\.9$/],
    [['--target', '1.5'], /^fxsim: --target 1\.5: must be a number in \(0, 1\]/],
    [['--target', 'abc'], /^fxsim: --target abc: must be a number in \(0, 1\]/],
    [['--target', '0.6', '--param', 'Q'], /^fxsim: .*iris-linear-f16-lr10\.yaml: the config's params \(F\) have no number 'Q': fxsim minprec moves precision through params\.Q .*configs\/study\/mnist-f20-lr10\.yaml/],
    [['--target', '0.6', '--metric', 'best'], /^fxsim: --metric best: expected test or running$/],
    [['--target', '0.6', '--workers', '0'], /^fxsim: --workers: expected a whole number >= 1, got '0'$/],
    [['--target', '0.6', '--over', 'TRN', '--rounding-key', 'training.bogus'], /^fxsim: --over TRN through --rounding-key training\.bogus: --set training\.bogus=TRN: unknown key 'bogus'/],
  ])('%j: one line, exit 2', async (args, line) => {
    const r = await inProcess(['minprec', CONFIG, ...args]);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr.trimEnd()).toMatch(line);
    expect(r.code).toBe(2);
  });

  it('unknown config, a config without params: one line, exit 2', async () => {
    const unknown = await inProcess(['minprec', 'study/iris-linear-f16-lr99', '--target', '0.6']);
    expect(unknown.stderr).toMatch(/^fxsim: cannot read config 'study\/iris-linear-f16-lr99': .*did you mean study\/iris-linear-f16-lr10/);
    expect(unknown.code).toBe(2);
    const noParams = await inProcess(['minprec', 'iris/softmax-ce', '--target', '0.6']);
    expect(noParams.stderr).toMatch(/^fxsim: .*softmax-ce\.yaml: the config has no params section: fxsim minprec moves precision through params\.F/);
    expect(noParams.code).toBe(2);
  });
});
