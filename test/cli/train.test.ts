import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join('src', 'cli', 'fxsim.js');
const fxsim = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1', ...env } });

describe('fxsim train', () => {
  const out = mkdtempSync(join(tmpdir(), 'fxsim-train-'));
  const first = join(out, 'first');
  const again = join(out, 'again');

  it('trains the study config and writes every artifact', () => {
    const r = fxsim(['train', 'configs/study/mnist-f20-lr10.yaml', '--steps', '3000', '--out', first]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mnist-f20-lr10: 3000 steps/);
    expect(r.stdout).toMatch(/running accuracy \(last window\): \d+\.\d+%/);
    expect(r.stdout).toMatch(/test accuracy: \d+\.\d+% on 10000 samples/);
    expect(readdirSync(first).sort()).toEqual(['L0.weights.npy', 'config.resolved.yaml', 'metrics.csv', 'metrics.jsonl', 'summary.json']);
    const summary = JSON.parse(readFileSync(join(first, 'summary.json'), 'utf8'));
    expect(summary.steps).toBe(3000);
    // it learns: far above chance after 3000 samples
    expect(summary.testAccuracy).toBeGreaterThan(0.8);
    const rows = readFileSync(join(first, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.step)).toEqual([1000, 2000, 3000]);
    expect(rows[2].layers.L0).toHaveProperty('delta_mean');
    expect(rows[2].layers.L0).toHaveProperty('inactive_neurons');
    expect(rows[2].events['L0.update']).toHaveProperty('toZero');
    const csv = readFileSync(join(first, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toContain('layers.L0.delta_var');
    // CI is set: quiet progress, a single final line on stderr
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('repeats the run bit for bit from the resolved config', () => {
    const r = fxsim(['train', join(first, 'config.resolved.yaml'), '--out', again]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(again, 'L0.weights.npy')).equals(readFileSync(join(first, 'L0.weights.npy')))).toBe(true);
    expect(readFileSync(join(again, 'metrics.jsonl'), 'utf8')).toBe(readFileSync(join(first, 'metrics.jsonl'), 'utf8'));
  }, 60_000);

  it('--seed and --steps are recorded in the resolved config', () => {
    const other = join(out, 'seed2');
    const r = fxsim(['train', 'configs/study/mnist-f20-lr10.yaml', '--steps', '200', '--seed', '2', '--out', other]);
    expect(r.status, r.stderr).toBe(0);
    const resolved = readFileSync(join(other, 'config.resolved.yaml'), 'utf8');
    expect(resolved).toMatch(/\n  seed: 2\n/);
    expect(resolved).toMatch(/\n  steps: 200\n/);
  }, 60_000);

  it('bad input: one line, exit 2, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxsim-bad-'));
    const noTraining = join(dir, 'inference.yaml');
    writeFileSync(noTraining, readFileSync('configs/inference/int8-int32-sat.yaml', 'utf8').replace(/\.\.\/\.\.\/models/g, join(process.cwd(), 'models')));
    const badOut = join(dir, 'out');
    const r = fxsim(['train', noTraining, '--out', badOut]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/training/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(badOut)).toBe(false);

    const badData = join(dir, 'idx.yaml');
    writeFileSync(join(dir, 'images.idx'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1]));
    writeFileSync(join(dir, 'labels.idx'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
    writeFileSync(badData, readFileSync('configs/study/mnist-f20-lr10.yaml', 'utf8')
      .replace('../../models', join(process.cwd(), 'models'))
      .replace(/dataset:\n  name: mnist/, 'dataset:\n  name: idx\n  images: images.idx\n  labels: labels.idx'));
    const r2 = fxsim(['train', badData, '--out', badOut]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/images\.idx: expected IDX magic 0x00000803/);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(badOut)).toBe(false);
  }, 60_000);
});

