import { ROOT, runFxsim } from '../helpers/cli.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** End-to-end `fxsim inspect` / `fxsim schema` through the real executable (a spawn costs ~0.3 s). */
const fxsim = (args: string[]) => runFxsim(args);

const dir = mkdtempSync(join(tmpdir(), 'fxsim-inspect-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('fxsim inspect (spawned)', () => {
  it('prints the table for the study config', async () => {
    const r = await fxsim(['inspect', 'configs/study/mnist-f20-lr10.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('datapath mnist-f20-lr10\n');
    expect(r.stdout).toContain('\n  L0.mac    mac        x fixed<64,44> (s,64,20)    fixed<64,24> (s,64,40)  WRAP\n');
    expect(r.stdout).toContain('! can overflow: needs 94 bits at fan-in 784, has 64 (WRAP);');
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('a bad config: exit 2, exactly one stderr line, no stack trace', async () => {
    const p = join(dir, 'bad.yaml');
    writeFileSync(p, 'model: {inputs: 4, layers: [{size: 3}]}\ninput:\n  format: fixed<8,2>\nlayers:\n  - weights: {format: "fixed<8,1>"}\n    units:\n      - kind: mac\n        acc: fixed<32,12>\n');
    const r = await fxsim(['inspect', p, '--set', 'layers.0.units.0.overflow=SAT']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `fxsim: ${p}:8:14: layers.0.units.0.acc: accumulator fixed<32,12> has 20 fraction bits but the product w*x (fixed<8,1> x fixed<8,2>) has 13; make them equal (narrow with a product format or a shift unit)\n`,
    );
  });

  it('--set before or after the config; a bad one: exit 2, one line naming the --set', async () => {
    const ok = await fxsim(['inspect', '--set', 'layers.0.units.1.by=21', 'configs/study/mnist-f20-lr10.yaml', '--set', 'training.lr_shift=3', '--json']);
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j.training.lrShift).toBe(3);
    expect(j.layers[0].units[1].notes).toContain('inexact: rounds 21 bits (TRN)');
    const r = await fxsim(['inspect', '--set', 'layers.0.units.1.by=abc', 'configs/study/mnist-f20-lr10.yaml']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "fxsim: --set layers.0.units.1.by=abc: expected a number, got 'abc'\n" });
  });

  it('fxsim schema prints the committed schema', async () => {
    const r = await fxsim(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'configs/fxsim.schema.json'), 'utf8'));
  });
});
