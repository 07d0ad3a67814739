import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { recordGolden } from '../../src/golden/recorder.ts';
import { writeGolden } from '../../src/golden/write.ts';

const dir = mkdtempSync(join(tmpdir(), 'fxsim-golden-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeGolden', () => {
  it('checks every file name before writing any: a name taken by a directory leaves nothing half-written', async () => {
    const rec = recordGolden({ config: 'configs/rtl/slice-trn.yaml', samples: 1, steps: 0 });
    const out = join(dir, 'set');
    mkdirSync(join(out, `${rec.tensors[3].name}.npy`), { recursive: true });
    const err = await writeGolden(out, rec, 'test').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FxInputError);
    expect((err as Error).message).toBe(`${join(out, `${rec.tensors[3].name}.npy`)}: cannot write: is a directory`);
    expect(readdirSync(out)).toEqual([`${rec.tensors[3].name}.npy`]);
  });
});
