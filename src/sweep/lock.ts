import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { inputError } from '../core/errors.ts';

export const LOCK = '.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claim a result directory for this process: two sweeps appending to one results.jsonl would
 * train runs twice. The lock names its pid and host. A lock left by a killed process on this
 * host is taken over (so a sweep killed with -9 resumes with the same command); one held by a
 * live process, or by another host, is a one-line error. Returns the release function.
 */
export function lockResultDir(dir: string): () => void {
  const path = join(dir, LOCK);
  const me = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = '';
    try {
      holder = readFileSync(path, 'utf8');
    } catch {
      continue; // released meanwhile: try again
    }
    const [pidText, host] = holder.trim().split(' ');
    const pid = Number(pidText);
    if (host === hostname() && Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      rmSync(path, { force: true }); // stale: its process is gone
      continue;
    }
    const who = host === hostname() ? `process ${pid}` : `process ${pid} on ${host || 'an unknown host'}`;
    inputError(`another fxsim sweep (${who}) is writing to this directory; wait for it, use another --out, or delete ${path} if that process is gone`, dir);
  }
  return inputError('cannot take the lock of this directory', dir);
}
