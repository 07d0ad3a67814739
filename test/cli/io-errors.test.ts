import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutFile, makeOutDir, writeFileAtomic } from '../../src/cli/io.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'fxsim-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('output paths a user can get wrong are input errors (exit 2), not crashes', () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const sub = join(dir, 'a-dir');
  mkdirSync(sub);

  it('writeFileAtomic: a missing directory, a directory in the way, an empty name; no temp file left', async () => {
    const err = async (p: string) => {
      try { await writeFileAtomic(p, 'data'); } catch (e) { if (e instanceof FxInputError) return e.message; throw e; }
      throw new Error('nothing thrown');
    };
    expect(await err(join(dir, 'nope', 'x.json'))).toBe(`${join(dir, 'nope', 'x.json')}: cannot write: no such directory`);
    expect(await err(sub)).toBe(`${sub}: cannot write: is a directory`);
    expect(await err(join(file, 'x.json'))).toBe(`${join(file, 'x.json')}: cannot write: a part of the path is a file, not a directory`);
    expect(await err('')).toBe('the output path: an output file name is empty');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(sub)).toEqual([]);
  });

  it('checkOutFile and makeOutDir say so before any work', () => {
    expect(inputErrorOf(() => checkOutFile(join(dir, 'nope', 'r.json')))).toBe(`${join(dir, 'nope', 'r.json')}: cannot write: no such directory '${join(dir, 'nope')}'`);
    expect(inputErrorOf(() => checkOutFile(sub))).toBe(`${sub}: cannot write: is a directory`);
    expect(inputErrorOf(() => checkOutFile(join(file, 'r.json')))).toBe(`${join(file, 'r.json')}: cannot write: '${file}' is not a directory`);
    expect(() => checkOutFile(join(dir, 'new.json'))).not.toThrow();
    expect(inputErrorOf(() => makeOutDir(file))).toBe(`${file}: cannot create the output directory: exists and is not a directory`);
    expect(inputErrorOf(() => makeOutDir(join(file, 'sub')))).toBe(`${join(file, 'sub')}: cannot create the output directory: a part of the path is a file, not a directory`);
    makeOutDir(join(dir, 'x', 'y'));
  });
});
