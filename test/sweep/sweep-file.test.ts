import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSweep, setValueText } from '../../src/sweep/plan.ts';
import { loadSweepFile } from '../../src/sweep/sweep-file.ts';
import { runFxsim } from '../helpers/cli.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/**
 * Sweep files: a valid one loads with its axes, points and base resolved; every mistake is one
 * FxInputError line `file:line:col: key.path: message`, including a bad value of one point,
 * found by loading that point's config before anything runs.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-sweep-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// line numbers matter: the expected positions below are counted in this text
const GOOD = [
  'fxsim: 1', //                                           1
  'sweep: iris-small', //                                  2
  'base: study/iris-linear-f16-lr10', //                   3
  'steps: 300', //                                         4
  'repeats: 2', //                                         5
  'grid:', //                                              6
  '  training.lr_shift: { range: [4, 10, 3] }', //         7
  '  training.update.rounding: [TRN, RND_CONV]', //        8
  'points:', //                                            9
  '  - { training.lr_shift: 12, input.rounding: RND }', // 10
  'set: { training.metrics_every: 100 }', //               11
  'plots: { heatmap: { x: training.lr_shift, y: training.update.rounding } }', // 12
  '',
].join('\n');

let n = 0;
const write = (text: string) => {
  const p = join(dir, `s${++n}.yaml`);
  writeFileSync(p, text);
  return p;
};
const edit = (from: string, to: string) => {
  expect(GOOD).toContain(from);
  return GOOD.replace(from, to);
};

describe('sweep file', () => {
  it('loads a valid file: axes in order, ranges expanded, base resolved, sha256 of the text', () => {
    const s = loadSweepFile(write(GOOD));
    expect(s.name).toBe('iris-small');
    expect(s.basePath).toBe(resolve('configs/study/iris-linear-f16-lr10.yaml'));
    expect(s.axes.map((a) => [a.key, a.values])).toEqual([['training.lr_shift', [4, 7, 10]], ['training.update.rounding', ['TRN', 'RND_CONV']]]);
    expect(s.points).toEqual([{ 'training.lr_shift': 12, 'input.rounding': 'RND' }]);
    expect(s.set).toEqual({ 'training.metrics_every': 100 });
    expect(s.repeats).toBe(2);
    expect(s.steps).toBe(300);
    expect(s.plots).toEqual({ heatmap: { x: 'training.lr_shift', y: 'training.update.rounding' } });
    expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a base path is relative to the sweep file', () => {
    const s = loadSweepFile(write(edit('base: study/iris-linear-f16-lr10', `base: ${join('..', ...Array(20).fill('..'), resolve('configs/study/iris-linear-f16-lr10.yaml'))}`)));
    expect(s.basePath).toBe(resolve('configs/study/iris-linear-f16-lr10.yaml'));
  });

  it('descending and stepped ranges', () => {
    const values = (r: string) => loadSweepFile(write(edit('[4, 10, 3]', r))).axes[0].values;
    expect(values('[3, -2]')).toEqual([3, 2, 1, 0, -1, -2]);
    expect(values('[10, 4, -3]')).toEqual([10, 7, 4]);
    expect(values('[4, 9, 2]')).toEqual([4, 6, 8]);
    expect(values('[5, 5]')).toEqual([5]);
  });

  it.each([
    ['an unknown key', GOOD + 'colour: red\n', /s\d+\.yaml:13:1: colour: unknown key 'colour' \(expected one of .*grid.*\)/],
    ['a range going the wrong way', edit('[4, 10, 3]', '[4, 10, -1]'), /s\d+\.yaml:7:31: grid\.training\.lr_shift\.range: step -1 goes away from 10/],
    ['a range step of 0', edit('[4, 10, 3]', '[4, 10, 0]'), /:7:31: grid\.training\.lr_shift\.range: a range step of 0 never ends/],
    ['a range of one number', edit('[4, 10, 3]', '[4]'), /:7:31: grid\.training\.lr_shift\.range: needs at least 2 item\(s\), got 1/],
    ['a range of a fraction', edit('[4, 10, 3]', '[4, 10.5]'), /:7:35: grid\.training\.lr_shift\.range\.1: expected an integer, got 10\.5/],
    ['an empty value list', edit('[TRN, RND_CONV]', '[]'), /:8:29: grid\.training\.update\.rounding: needs at least 1 item\(s\), got 0/],
    ['a key with a space', edit('training.update.rounding:', '"training update":'), /:8:3: grid\.training update: 'training update' is not a config key/],
    ['a missing sweep name', edit('sweep: iris-small\n', ''), /s\d+\.yaml:1:1: sweep: missing required key 'sweep'/],
    ['a sweep name that is no directory name', edit('sweep: iris-small', 'sweep: ../up'), /:2:8: sweep: a sweep name is a directory name/],
    ['a missing base', edit('base: study/iris-linear-f16-lr10\n', ''), /s\d+\.yaml:1:1: base: missing required key 'base'/],
    ['a base that is not found', edit('study/iris-linear-f16-lr10', 'study/iris-linear-f16-lr1'), /:3:7: base: cannot find base config 'study\/iris-linear-f16-lr1'.*did you mean study\/iris-linear-f16-lr10[,?]/],
    ['an empty grid and no points', edit(GOOD.slice(GOOD.indexOf('grid:'), GOOD.indexOf('set:')), 'grid: {}\n'), /:6:7: grid: an empty grid/],
    ['neither grid nor points', edit(GOOD.slice(GOOD.indexOf('grid:'), GOOD.indexOf('set:')), ''), /s\d+\.yaml:1:1: nothing to run: give a grid, points, or both/],
    ['a null point value', edit('training.lr_shift: 12', 'training.lr_shift: null'), /:10:26: points\.0\.training\.lr_shift: expected .*got nothing \(null\)/],
    ['a YAML syntax error', GOOD + 'x: [\n', /s\d+\.yaml:14:1: /],
  ])('%s: one line, file:line:col and key', (_what, text, re) => {
    expect(inputErrorOf(() => loadSweepFile(write(text)))).toMatch(re);
  });

  it('a base that is a directory says so', () => {
    mkdirSync(join(dir, 'configs-here'), { recursive: true });
    expect(inputErrorOf(() => loadSweepFile(write(edit('base: study/iris-linear-f16-lr10', 'base: configs-here')))))
      .toMatch(/s\d+\.yaml:3:7: base: 'configs-here' is a directory \(.*configs-here\), not a config file: name a \.yaml file in it$/);
  });

  it('a sweep file that does not exist', () => {
    expect(inputErrorOf(() => loadSweepFile(join(dir, 'none.yaml')))).toMatch(/cannot read sweep file '.*none\.yaml': no such file/);
  });
});

describe('every point is checked before anything runs', () => {
  it('a bad grid value: located in the sweep file, naming the point and its --set', () => {
    const msg = inputErrorOf(() => planSweep(loadSweepFile(write(edit('[TRN, RND_CONV]', '[TRN, BOGUS]')))));
    expect(msg).toMatch(/s\d+\.yaml:8:35: grid\.training\.update\.rounding\.1: point 1: --set training\.update\.rounding=BOGUS: unknown rounding mode 'BOGUS'/);
  });

  it('a bad value of an explicit point, and of set', () => {
    expect(inputErrorOf(() => planSweep(loadSweepFile(write(edit('input.rounding: RND', 'input.rounding: 7'))))))
      .toMatch(/:10:46: points\.0\.input\.rounding: point 6: --set input\.rounding=7: /);
    expect(inputErrorOf(() => planSweep(loadSweepFile(write(edit('metrics_every: 100', 'metrics_every: 0'))))))
      .toMatch(/:11:32: set\.training\.metrics_every: point 0: --set training\.metrics_every=0: must be >= 1, got 0/);
  });

  it('a bad value of a parameter: located at the value in the sweep file, not only where the base config uses it', () => {
    // (without the plots line, whose heatmap names the axis replaced here)
    const withF = (values: string) => write(edit('training.update.rounding: [TRN, RND_CONV]', `params.F: ${values}`).replace(/^plots: .*$/m, ''));
    // the loader names the --set: its message is kept whole
    expect(inputErrorOf(() => planSweep(loadSweepFile(withF('[8, abc]')))))
      .toMatch(/s\d+\.yaml:8:17: grid\.params\.F\.1: point 1: .*iris-linear-f16-lr10\.yaml:18:20 \(with --set params\.F=abc\): 'fixed<64,\$\{64 - F\}>': the right operand of - is the string 'abc', not a number$/);
    // found elsewhere in the base config (a range that no longer fits): the value whose --set makes it fail
    expect(inputErrorOf(() => planSweep(loadSweepFile(withF('[8, 70]')))))
      .toMatch(/s\d+\.yaml:8:17: grid\.params\.F\.1: point 1: --set params\.F=70: .*iris-linear-f16-lr10\.yaml:19:14: input\.range\.1: input range bound 8 does not fit fixed<64,-6>/);
    // a training-plan check (before, this failed only when the run trained, after other runs)
    expect(inputErrorOf(() => planSweep(loadSweepFile(withF('[8, -3]')))))
      .toMatch(/s\d+\.yaml:8:17: grid\.params\.F\.1: point 1: --set params\.F=-3: .*iris-linear-f16-lr10\.yaml:\d+:\d+: training\.target: the target 1 is not a multiple of the output LSB 2\^3$/);
  });

  it('a key the config does not have', () => {
    expect(inputErrorOf(() => planSweep(loadSweepFile(write(edit('training.update.rounding: [TRN, RND_CONV]', 'training.nonsense: [1, 2]').replace(/^plots: .*$/m, ''))))))
      .toMatch(/:8:23: grid\.training\.nonsense\.0: point 0: --set training\.nonsense=1: .*unknown key 'nonsense'/);
  });

  it('plans points with their sets (steps, set, then the point) and seeds', () => {
    const plan = planSweep(loadSweepFile(write(GOOD)));
    expect(plan.points).toHaveLength(7);
    expect(plan.totalRuns).toBe(14);
    expect(plan.paramKeys).toEqual(['training.lr_shift', 'training.update.rounding', 'input.rounding']);
    expect(plan.points[1].sets).toEqual(['training.steps=300', 'training.metrics_every=100', 'training.lr_shift=4', 'training.update.rounding=RND_CONV']);
    expect(plan.points.map((p) => p.seed)).toEqual(Array(7).fill(1)); // the base config's training.seed
    const seeded = planSweep(loadSweepFile(write(GOOD.replace('repeats: 2', 'repeats: 2\nseed: 40'))));
    expect(seeded.points[0].seed).toBe(40);
  });

  it('a value goes to --set as YAML reads it back', () => {
    expect(setValueText(8)).toBe('8');
    expect(setValueText('TRN')).toBe('TRN');
    expect(setValueText('fixed<8,4>')).toBe('fixed<8,4>');
    expect(setValueText('10')).toBe('"10"'); // a string, not the number 10
    expect(setValueText('true')).toBe('"true"');
    expect(setValueText([1, 2])).toBe('[1,2]');
    expect(setValueText({ dist: 'normal', std: 500 })).toBe('{"dist":"normal","std":500}');
  });
});

describe('fxsim sweep on a bad file (spawned)', () => {
  it('exits 2 with the one line, no stack', async () => {
    const r = await runFxsim(['sweep', write(edit('[TRN, RND_CONV]', '[TRN, BOGUS]')), '--out', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^fxsim: .*s\d+\.yaml:8:35: grid\.training\.update\.rounding\.1: point 1: --set training\.update\.rounding=BOGUS: .*\n$/);
  });
});

describe('sweep file plots hints', () => {
  it('are checked when the sweep file is read, not after the runs', () => {
    const at = (from: string, to: string) => inputErrorOf(() => loadSweepFile(write(edit(from, to))));
    const h = "heatmap: { x: training.lr_shift, y: training.update.rounding }";
    expect(at(h, 'heatmap: { x: training.nope, y: training.lr_shift }')).toMatch(/:\d+:\d+: plots: heatmap\.x: unknown axis "training\.nope" \(the axes are training\.lr_shift, training\.update\.rounding\)$/);
    expect(at(h, 'scatter: { x: 1 }')).toMatch(/: plots: scatter: unknown plot \(fxsim plot draws heatmap and curves from these hints\)$/);
    expect(at(h, 'heatmap: { x: training.lr_shift, value: banana }')).toMatch(/: plots: heatmap\.value must be test_accuracy or running_accuracy$/);
  });
});

describe('sweep file mistakes that used to run silently', () => {
  it('a grid value listed twice, and a set key that the grid also sweeps', () => {
    expect(inputErrorOf(() => loadSweepFile(write(edit('[TRN, RND_CONV]', '[TRN, RND_CONV, TRN]')))))
      .toMatch(/:8:45: grid\.training\.update\.rounding\.2: "TRN" is already value 0 of training\.update\.rounding: each point would run twice \(use repeats for that\)$/);
    expect(inputErrorOf(() => loadSweepFile(write(edit('set: { training.metrics_every: 100 }', 'set: { training.metrics_every: 100, training.lr_shift: 3 }')))))
      .toMatch(/:11:37: set\.training\.lr_shift: 'training\.lr_shift' is also a grid key, whose values override this one at every point: set it in one place$/);
  });
});
