import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFxsim } from '../helpers/cli.ts';
import { writeSweep, writeTrainRun } from './fixtures.ts';

const AXES = [{ key: 'params.F', values: [8, 12] }, { key: 'training.lr_shift', values: [6, 10] }];

/** A bad-input exit: status 2, one line on stderr, no stack trace, nothing on stdout. */
function expectInputError(r: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('fxsim plot', () => {
  it('draws a sweep (a torn last line skipped with a note) and a training run; exit 0', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 2 });
    appendFileSync(join(dir, 'results.jsonl'), '{"sweep": "fixture", "point": 3, "rep');
    const out = join(mkdtempSync(join(tmpdir(), 'fxsim-plot-cli-')), 'pictures');
    const r = await runFxsim(['plot', dir, '--out', out, '--format', 'svg,png', '--value', 'running_accuracy', '--x', 'training.lr_shift', '--y', 'params.F']);
    expect(r.code, r.stderr).toBe(0);
    const files = ['heatmap', 'curves', 'delta', 'inactive'].flatMap((n) => [`${n}.svg`, `${n}.png`]);
    expect(r.stdout).toBe(`wrote ${[...files, 'report.html'].join(', ')} to ${out}/\n`);
    expect(r.stderr).toBe(`note: ${join(dir, 'results.jsonl')}:9: skipped a torn last line (the sweep is still running?)\nnote: curves: all 4 points\n`);
    expect(readdirSync(out).sort()).toEqual([...files, 'report.html'].sort());
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`fxsim plot ${dir} --out ${out} --format svg,png --value running_accuracy --x training.lr_shift --y params.F`);

    const train = writeTrainRun();
    const t = await runFxsim(['plot', train, '--format', 'png', '--quiet']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout + t.stderr).toBe('');
    expect(readdirSync(join(train, 'plots')).sort()).toEqual(['curves.png', 'delta.png', 'inactive.png', 'report.html']);
  }, 60_000);

  it('bad input: one line naming the file (and line), exit 2, nothing written', async () => {
    const base = mkdtempSync(join(tmpdir(), 'fxsim-plot-cli-bad-'));
    expectInputError(await runFxsim(['plot', join(base, 'missing')]), new RegExp(`^fxsim: ${join(base, 'missing')}: no such directory\n$`));
    expectInputError(await runFxsim(['plot', base]), /^fxsim: .*\/results\.jsonl: not found, and no metrics\.jsonl either/);

    const dir = writeSweep({ axes: AXES, repeats: 1 });
    expectInputError(await runFxsim(['plot', dir, '--x', 'params.G']), /^fxsim: --x: unknown axis 'params\.G' \(the axes are params\.F, training\.lr_shift\)\n$/);
    expectInputError(await runFxsim(['plot', dir, '--format', 'svg,gif']), /^fxsim: --format: unknown format 'gif' \(use svg, png\)\n$/);
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n');
    lines[1] = lines[1].slice(0, 30);
    writeFileSync(join(dir, 'results.jsonl'), lines.join('\n'));
    expectInputError(await runFxsim(['plot', dir]), new RegExp(`^fxsim: ${join(dir, 'results.jsonl')}:2: not valid JSON`));
    // an accuracy of 5 is not drawn as 500%: the check fxsim sweep, merge and findings make too
    lines[1] = lines[0].replace(/"test_accuracy":[0-9.e-]+/, '"test_accuracy":5').replace(/"run":\d+/, '"run":0');
    writeFileSync(join(dir, 'results.jsonl'), lines.join('\n'));
    expectInputError(await runFxsim(['plot', dir]), new RegExp(`^fxsim: ${join(dir, 'results.jsonl')}:2: test_accuracy: expected an accuracy in \\[0, 1\\] \\(got 5\\)\n$`));
    expect(existsSync(join(dir, 'plots'))).toBe(false);
  }, 60_000);
});
