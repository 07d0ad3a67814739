import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/cli/io.ts';

describe('writeFileAtomic', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fxsim-io-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('creates and replaces a file, leaving no temporary behind', async () => {
    const p = join(dir, 'out.hex');
    await writeFileAtomic(p, '0x01\n');
    expect(await readFile(p, 'utf8')).toBe('0x01\n');
    await writeFile(p, 'old');
    await writeFileAtomic(p, new Uint8Array([0x41, 0x0a]));
    expect(await readFile(p, 'utf8')).toBe('A\n');
    expect(await readdir(dir)).toEqual(['out.hex']);
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x'), 'x')).rejects.toThrow(/cannot write: no such directory/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
