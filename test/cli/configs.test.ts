import { runFxsim } from '../helpers/cli.ts';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SWEEPS_DIR, listConfigs } from '../../src/config/load.ts';

/** `fxsim configs` through the real executable, from another working directory (one spawn, ~0.3 s). */

describe('fxsim configs (spawned)', () => {
  it('prints each shipped config name and description, one per line', async () => {
    const r = await runFxsim(['configs'], { cwd: tmpdir() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [configs, sweeps] = r.stdout.trimEnd().split('\n\nsweeps (fxsim sweep <name>):\n');
    const lines = configs.split('\n');
    const list = listConfigs();
    // then the shipped sweeps, by the name fxsim sweep takes
    expect(sweeps.split('\n').map((l) => l.split(' ')[0])).toEqual(listConfigs(SWEEPS_DIR).map((c) => `sweeps/${c.name}`));
    expect(lines).toHaveLength(list.length);
    lines.forEach((line, i) => {
      expect(line.startsWith(list[i].name + ' ')).toBe(true);
      expect(line.endsWith(list[i].description ?? '')).toBe(true);
    });
    expect(r.stdout).toMatch(/^study\/mnist-f20-lr10 +Integer training study/m);
  });
});
