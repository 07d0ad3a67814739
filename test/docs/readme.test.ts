import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { planSweep } from '../../src/sweep/plan.ts';
import { loadSweepFile } from '../../src/sweep/sweep-file.ts';

/** The README's config examples are real configs: each ```yaml block that starts with `fxsim: 1` must load. */
describe('README config examples', () => {
  const readme = readFileSync('README.md', 'utf8');
  const all = [...readme.matchAll(/```yaml\n(fxsim: 1\n[\s\S]*?)```/g)].map((m) => m[1]);
  // a sweep file is the other kind of fxsim YAML: `sweep:` right after the version line
  const blocks = all.filter((b) => !b.startsWith('fxsim: 1\nsweep:'));
  const sweeps = all.filter((b) => b.startsWith('fxsim: 1\nsweep:'));
  it('has config examples', () => expect(blocks.length).toBeGreaterThan(0));
  blocks.forEach((yaml, i) => {
    it(`example ${i + 1} loads and builds`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'fxsim-readme-'));
      const path = join(dir, 'example.yaml');
      // the examples name models relative to configs/<group>/
      writeFileSync(path, yaml.replaceAll('../../models/', `${resolve('models')}/`));
      const loaded = loadConfig(path);
      expect(loaded.datapath.layers.length).toBeGreaterThan(0);
    });
  });
  it('has sweep file examples', () => expect(sweeps.length).toBeGreaterThan(0));
  sweeps.forEach((yaml, i) => {
    it(`sweep example ${i + 1} loads, and every point's config with it`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'fxsim-readme-'));
      const path = join(dir, 'sweep.yaml');
      writeFileSync(path, yaml);
      const plan = planSweep(loadSweepFile(path));
      expect(plan.points.length).toBeGreaterThan(0);
      for (const p of plan.points) loadConfig(plan.sweep.basePath, p.sets);
    });
  });
});
