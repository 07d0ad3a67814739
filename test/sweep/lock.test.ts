import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK, lockResultDir } from '../../src/sweep/lock.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const root = mkdtempSync(join(tmpdir(), 'fxsim-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => {
  const d = join(root, `d${++n}`);
  execFileSync('mkdir', ['-p', d]);
  return d;
};

describe('lockResultDir', () => {
  it('one writer at a time: a second claim while the first holds it is one line', () => {
    const d = dir();
    const release = lockResultDir(d);
    expect(readFileSync(join(d, LOCK), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    expect(inputErrorOf(() => lockResultDir(d))).toBe(`${d}: another fxsim sweep (process ${process.pid}) is writing to this directory; wait for it, use another --out, or delete ${join(d, LOCK)} if that process is gone`);
    release();
    expect(existsSync(join(d, LOCK))).toBe(false);
    lockResultDir(d)();
  });
  it('takes over the lock of a process that is gone (a sweep killed with -9 resumes)', () => {
    const d = dir();
    const dead = Number(execFileSync('sh', ['-c', 'sh -c "echo \\$\\$" ']).toString().trim()); // exited by now
    writeFileSync(join(d, LOCK), `${dead} ${hostname()}\n`);
    const release = lockResultDir(d);
    expect(readFileSync(join(d, LOCK), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    release();
  });
  it('does not take a lock held from another host', () => {
    const d = dir();
    writeFileSync(join(d, LOCK), '123 some-other-node\n');
    expect(inputErrorOf(() => lockResultDir(d))).toMatch(/another fxsim sweep \(process 123 on some-other-node\) is writing/);
  });
});
