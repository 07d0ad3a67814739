import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';

/** The README's config examples are real configs: each ```yaml block that starts with `fxsim: 1` must load. */
describe('README config examples', () => {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n(fxsim: 1\n[\s\S]*?)```/g)].map((m) => m[1]);
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
});
