import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCurves } from '../../src/plot/read-curves.ts';
import { readResults } from '../../src/plot/read-results.ts';
import { writeSweep, writeTrainRun } from './fixtures.ts';
import { inputErrorOfAsync } from '../helpers/input-error.ts';

const inputErrorOf = inputErrorOfAsync;

const AXES = [{ key: 'params.F', values: [8, 12, 16] }, { key: 'training.lr_shift', values: [6, 10] }];

describe('readResults: a sweep results directory', () => {
  it('reads manifest, runs (sorted by run) and the curves of finished runs', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 2, description: 'F x lr', plots: { heatmap: { x: 'training.lr_shift', y: 'params.F', value: 'running_accuracy' } } });
    const r = await readResults(dir);
    expect(r.kind).toBe('sweep');
    expect(r.title).toBe('fixture');
    expect(r.description).toBe('F x lr');
    expect(r.axes).toEqual(AXES);
    expect(r.paramKeys).toEqual(['params.F', 'training.lr_shift']);
    expect(r.runs.map((x) => x.run)).toEqual([...Array(12).keys()]);
    expect(r.runs[3]).toMatchObject({ point: 1, repeat: 1, seed: 2, params: { 'params.F': 8, 'training.lr_shift': 10 } });
    expect(r.hints.heatmap).toEqual({ x: 'training.lr_shift', y: 'params.F', value: 'running_accuracy' });
    expect(r.notes).toEqual([]);
    const c = await readCurves(r);
    expect(c.rows).toHaveLength(12 * 4);
    // sorted by run then step, whatever order the workers wrote them in
    expect(c.rows.slice(0, 5).map((x) => [x.run, x.step])).toEqual([[0, 1000], [0, 2000], [0, 3000], [0, 4000], [1, 1000]]);
    expect(Object.keys(c.rows[0].layers)).toEqual(['L0']);
    expect(c.rows[0].layers.L0.delta_var).toBeGreaterThan(0);
    const some = await readCurves(r, new Set([2]));
    expect(new Set(some.rows.map((x) => x.point))).toEqual(new Set([2]));
  });

  it('skips a torn last line (a sweep still running) with a note, and curves of unfinished runs', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const results = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
    // run 5 is half-written: its results line is torn, its curves are complete
    const torn = results.find((l) => JSON.parse(l).run === 5)!;
    writeFileSync(join(dir, 'results.jsonl'), results.filter((l) => l !== torn).map((l) => `${l}\n`).join('') + torn.slice(0, 40));
    const r = await readResults(dir);
    expect(r.runs.map((x) => x.run)).toEqual([0, 1, 2, 3, 4]);
    expect(r.notes).toEqual([`${join(dir, 'results.jsonl')}:6: skipped a torn last line (the sweep is still running?)`]);
    const c = await readCurves(r);
    expect(new Set(c.rows.map((x) => x.run))).toEqual(new Set([0, 1, 2, 3, 4]));
    // and the same for a torn curves line
    appendFileSync(join(dir, 'curves.jsonl'), '{"point": 0, "rep');
    expect((await readCurves(r)).notes[0]).toMatch(/curves\.jsonl:\d+: skipped a torn last line/);
  });

  it('a run written twice counts once (its first line, as fxsim sweep reads it)', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const first = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n')[0];
    const again = JSON.parse(first);
    again.test_accuracy = 0.123;
    appendFileSync(join(dir, 'results.jsonl'), `${JSON.stringify(again)}\n`);
    const r = await readResults(dir);
    expect(r.runs).toHaveLength(6);
    expect(r.runs.find((x) => x.run === again.run)!.test_accuracy).toBe(JSON.parse(first).test_accuracy);
    expect(r.notes.join('\n')).toMatch(/1 run\(s\) appear more than once/);
  });

  it('without a manifest, the axes come from the params; list and object values become their JSON', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1, noManifest: true, noCurves: true });
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    lines[0].params.extra = [1, 2];
    writeFileSync(join(dir, 'results.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const r = await readResults(dir);
    expect(r.axes[0]).toEqual({ key: 'extra', values: ['[1,2]'] });
    expect(r.axes.slice(1)).toEqual(AXES);
    expect(r.notes.join('\n')).toMatch(/manifest\.json: not found/);
    expect(r.notes.join('\n')).toMatch(/curves\.jsonl: not found/);
    expect(r.curvesFile).toBeUndefined();
  });

  it('the manifest of fxsim sweep: description and plots may be null, extra points add param keys', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, description: null, plots: null, param_keys: ['params.F', 'training.lr_shift', 'training.update.rounding'] }));
    const r = await readResults(dir);
    expect(r.description).toBeUndefined();
    expect(r.hints).toEqual({});
    expect(r.paramKeys).toEqual(['params.F', 'training.lr_shift', 'training.update.rounding']);
  });
});

describe('readResults: a training run directory', () => {
  it('reads summary.json and metrics.jsonl as one run', async () => {
    const dir = writeTrainRun();
    const r = await readResults(dir);
    expect(r).toMatchObject({ kind: 'train', title: 'mnist-f20-lr10', axes: [], paramKeys: [], notes: [] });
    expect(r.runs).toEqual([{ run: 0, point: 0, repeat: 0, seed: null, params: {}, steps: 10000, running_accuracy: 0.89, test_accuracy: 0.9, us_per_sample: 2.5 }]);
    const c = await readCurves(r);
    expect(c.rows.map((x) => x.step)).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
    expect(Object.keys(c.rows[0].layers)).toEqual(['L0', 'L1']);
  });

  it('without summary.json (not finished), the last metrics row gives the accuracy', async () => {
    const dir = writeTrainRun({ summary: false });
    const r = await readResults(dir);
    expect(r.runs[0]).toMatchObject({ steps: 10000, test_accuracy: null });
    expect(r.runs[0].running_accuracy).toBeCloseTo(0.9 * (1 - Math.exp(-5)), 12);
    expect(r.notes.join('\n')).toMatch(/summary\.json: not found/);
  });
});

describe('readResults: bad input is one line naming the file', () => {
  const base = mkdtempSync(join(tmpdir(), 'fxsim-plot-bad-'));

  it('a missing directory, a file, an empty directory', async () => {
    expect(await inputErrorOf(readResults(join(base, 'nope')))).toBe(`${join(base, 'nope')}: no such directory`);
    writeFileSync(join(base, 'file'), 'x');
    expect(await inputErrorOf(readResults(join(base, 'file')))).toMatch(/file: not a directory/);
    mkdirSync(join(base, 'empty'));
    expect(await inputErrorOf(readResults(join(base, 'empty')))).toMatch(/empty\/results\.jsonl: not found, and no metrics\.jsonl either/);
  });

  it('a corrupt line (not the last) names the file and the line', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const lines = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n');
    lines[2] = '{"run": 2, oops';
    writeFileSync(join(dir, 'results.jsonl'), lines.join('\n'));
    expect(await inputErrorOf(readResults(dir))).toMatch(new RegExp(`^${join(dir, 'results.jsonl')}:3: not valid JSON`));
    // a corrupt last line that does end in a newline is not torn: an error too
    writeFileSync(join(dir, 'results.jsonl'), `${lines.slice(0, 2).join('\n')}\n{"run":\n`);
    expect(await inputErrorOf(readResults(dir))).toMatch(/results\.jsonl:3: not valid JSON/);
  });

  it('a line of the wrong shape: the same check as fxsim sweep and merge make (records.ts)', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const [first, second] = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n');
    const line = (change: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(second), ...change });
    const bad = async (text: string) => {
      writeFileSync(join(dir, 'results.jsonl'), `${first}\n${text}\n`);
      return inputErrorOf(readResults(dir));
    };
    expect(await bad('[1, 2]')).toMatch(/results\.jsonl:2: expected a JSON object$/);
    expect(await bad(line({ run: undefined }))).toMatch(/results\.jsonl:2: run: expected a number \(missing\)$/);
    expect(await bad(line({ test_accuracy: 'high' }))).toMatch(/results\.jsonl:2: test_accuracy: expected a number or null \(got "high"\)$/);
    expect(await bad(line({ test_accuracy: 5 }))).toMatch(/results\.jsonl:2: test_accuracy: expected an accuracy in \[0, 1\] \(got 5\)$/);
    // the manifest says how many runs there are
    expect(await bad(line({ run: 999 }))).toMatch(/results\.jsonl:2: run: 999 is not a run of this sweep \(0\.\.5\)$/);
    expect(await bad(line({ point: 4 }))).toMatch(/results\.jsonl:2: point 4, repeat 0 is not run \d/);
  });

  it('a binary file is not JSON lines, not a torn line of a running sweep', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0x1b, 0x5b, 0x32, 0x4a]);
    writeFileSync(join(dir, 'curves.jsonl'), binary);
    const r = await readResults(dir);
    expect(await inputErrorOf(readCurves(r))).toMatch(/curves\.jsonl:1: not valid JSON \([\x20-\x7e]*\)$/); // (no escape codes echoed)
    writeFileSync(join(dir, 'results.jsonl'), binary);
    expect(await inputErrorOf(readResults(dir))).toMatch(/results\.jsonl:1: not valid JSON \([\x20-\x7e]*\)$/);
  });

  it('a curves line of no run of the sweep, or with an accuracy out of [0, 1]', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const r = await readResults(dir);
    const curve = { point: 0, repeat: 0, run: 0, step: 1000, running_accuracy: 0.5, interval_accuracy: 0.5, layers: {} };
    writeFileSync(join(dir, 'curves.jsonl'), `${JSON.stringify({ ...curve, run: 6, point: 6 })}\n`);
    expect(await inputErrorOf(readCurves(r))).toMatch(/curves\.jsonl:1: run: 6 is not a run of this sweep \(0\.\.5\)$/);
    writeFileSync(join(dir, 'curves.jsonl'), `${JSON.stringify({ ...curve, interval_accuracy: 1.5 })}\n`);
    expect(await inputErrorOf(readCurves(r))).toMatch(/curves\.jsonl:1: interval_accuracy: expected an accuracy in \[0, 1\] \(got 1\.5\)$/);
  });

  it("a training run's accuracy out of [0, 1]", async () => {
    const dir = writeTrainRun();
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ ...summary, testAccuracy: 5 }));
    expect(await inputErrorOf(readResults(dir))).toMatch(/summary\.json: 'testAccuracy' must be an accuracy in \[0, 1\], not 5$/);
  });

  it('no run yet, a bad manifest, a bad curves line', async () => {
    const dir = writeSweep({ axes: AXES, repeats: 1 });
    const results = readFileSync(join(dir, 'results.jsonl'), 'utf8');
    writeFileSync(join(dir, 'results.jsonl'), '');
    expect(await inputErrorOf(readResults(dir))).toMatch(/results\.jsonl: no complete run yet/);
    writeFileSync(join(dir, 'results.jsonl'), results);
    const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
    writeFileSync(join(dir, 'manifest.json'), '{"axes": ');
    expect(await inputErrorOf(readResults(dir))).toMatch(/manifest\.json: not valid JSON/);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...JSON.parse(manifest), plots: { heatmap: { x: 'params.G' } } }));
    expect(await inputErrorOf(readResults(dir))).toMatch(/manifest\.json: plots\.heatmap\.x: unknown axis "params\.G" \(the axes are params\.F, training\.lr_shift\)/);
    writeFileSync(join(dir, 'manifest.json'), manifest);
    const r = await readResults(dir);
    writeFileSync(join(dir, 'curves.jsonl'), '{"point": 0, "repeat": 0, "run": 0, "step": "x"}\n');
    expect(await inputErrorOf(readCurves(r))).toMatch(/curves\.jsonl:1: step: expected a number \(got "x"\)$/);
  });
});
