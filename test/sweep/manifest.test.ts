import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/sweep/manifest.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { manifest } from './helpers.ts';

/** Reading manifest.json back: the fields sweep and merge rely on, each problem named with the file. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-sweep-manifest-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const withManifest = (text: string) => {
  const d = join(dir, `d${++n}`);
  mkdirSync(d);
  writeFileSync(join(d, 'manifest.json'), text);
  return d;
};

describe('readManifest', () => {
  it('reads a manifest; none is undefined', () => {
    const m = manifest({ total_runs: 4 });
    expect(readManifest(withManifest(JSON.stringify(m)))).toEqual(m);
    expect(readManifest(join(dir, 'nothing-here'))).toBeUndefined();
    // directories started before base_sha256 was recorded have none
    expect(readManifest(withManifest(JSON.stringify({ ...m, base_sha256: undefined })))).toBeDefined();
  });

  it.each([
    ['a missing total_runs', { total_runs: undefined }, "not a sweep manifest: no 'total_runs'"],
    ['a missing sweep_sha256', { sweep_sha256: undefined }, "not a sweep manifest: no 'sweep_sha256'"],
    ['a total_runs that is text', { total_runs: 'four' }, `not a sweep manifest: 'total_runs' must be a whole number >= 0, not "four"`],
    ['no repeats', { repeats: 0 }, "not a sweep manifest: 'repeats' must be a whole number >= 1, not 0"],
    ['param_keys that are not a list of strings', { param_keys: [1] }, "not a sweep manifest: 'param_keys' must be a list of strings"],
    ['a shard that is text', { shard: '1/2' }, `not a sweep manifest: 'shard' must be null or { index, count }, not "1/2"`],
  ])('%s: the file and the field', (_what, change, message) => {
    const d = withManifest(JSON.stringify({ ...manifest({}), ...change }));
    expect(inputErrorOf(() => readManifest(d))).toBe(`${join(d, 'manifest.json')}: ${message}`);
  });

  it('not JSON, not an object, a directory', () => {
    expect(inputErrorOf(() => readManifest(withManifest('{"sweep": ')))).toMatch(/manifest\.json: not a sweep manifest: not JSON \(/);
    expect(inputErrorOf(() => readManifest(withManifest('[1]')))).toMatch(/manifest\.json: not a sweep manifest: expected a JSON object, got a list$/);
    const d = join(dir, 'dir-manifest');
    mkdirSync(join(d, 'manifest.json'), { recursive: true });
    expect(inputErrorOf(() => readManifest(d))).toBe(`${join(d, 'manifest.json')}: cannot read: is a directory, not a file`);
  });
});
