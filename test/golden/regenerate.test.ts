import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

/**
 * The committed golden sets (golden/sets.json) regenerate byte for byte, manifest included.
 * FXSIM_UPDATE_GOLDEN=1 rewrites them instead (after a deliberate change of the arithmetic, of
 * the recorder or of the fxsim version, which every manifest records).
 */
const SETS = JSON.parse(readFileSync(join('golden', 'sets.json'), 'utf8')) as { sets: { dir: string; args: string[] }[] };
const UPDATE = process.env.FXSIM_UPDATE_GOLDEN === '1';

async function golden(args: string[], out: string): Promise<void> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let err = '';
  let code: number;
  try {
    code = await main(['golden', ...args, '--out', out], { write: (s: string) => (err += s) });
  } finally {
    process.stdout.write = write;
  }
  expect(code, err).toBe(0);
}

describe('golden/: the committed vector sets regenerate bit for bit', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fxsim-golden-regen-'));
  it('covers the shipped configs, with a stochastic-rounding set', () => {
    const dirs = SETS.sets.map((s) => s.dir);
    expect(dirs).toEqual(expect.arrayContaining(['study-f20', 'int8', 'slice-stoch', 'slice-trn', 'slice-conv']));
    const m = JSON.parse(readFileSync(join('golden', 'slice-stoch', 'manifest.json'), 'utf8'));
    expect(m.random.stochastic).toBe(true);
    expect(m.tensors.some((t: { name: string }) => t.name === 's0003.rng.before')).toBe(true);
  });
  for (const set of SETS.sets) {
    it(set.dir, async () => {
      const committed = join('golden', set.dir);
      if (UPDATE) {
        rmSync(committed, { recursive: true, force: true });
        await golden(set.args, committed);
        return;
      }
      const out = join(tmp, set.dir);
      await golden(set.args, out);
      const files = readdirSync(out).sort();
      expect(readdirSync(committed).sort()).toEqual(files);
      for (const f of files) {
        const same = readFileSync(join(out, f)).equals(readFileSync(join(committed, f)));
        expect(same, `${set.dir}/${f} differs from the regenerated file`).toBe(true);
      }
    }, 60_000);
  }
});
