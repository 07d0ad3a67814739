import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../core/errors.ts';
import { fsReason } from '../core/fs-reason.ts';

/** An output directory, created if needed; a path that cannot be one is an input error. */
export function makeOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const why = fsReason(e, 'no such directory');
    if (why) inputError(`cannot create the output directory: ${why}`, dir);
    throw e;
  }
}

/**
 * Check before any work that `path` can be written: its directory exists and it is not a
 * directory itself (a command should not train for minutes and then fail to save).
 */
export function checkOutFile(path: string): void {
  if (path === '') inputError('an output file name is empty', 'the output path');
  const dir = dirname(path);
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) inputError(`cannot write: no such directory '${dir}'`, path);
  if (!st.isDirectory()) inputError(`cannot write: '${dir}' is not a directory`, path);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) inputError('cannot write: is a directory', path);
}

/**
 * Write a file so that readers see either the old content or the complete new content, never a
 * partial file: write a temporary file in the same directory, fsync it, rename it over `path`,
 * then fsync the directory (best effort). Every command writes its output files through this.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  if (path === '') inputError('an output file name is empty', 'the output path');
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx').catch((e: unknown) => {
    const why = fsReason(e, 'no such directory');
    return why ? inputError(`cannot write: ${why}`, path) : Promise.reject(e);
  });
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    const why = fsReason(e, 'no such directory');
    if (why) inputError(`cannot write: ${why}`, path);
    throw e;
  }
  // make the rename itself durable; not every platform lets a directory be opened and synced
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Thrown by a command that has printed its result and ends with a non-zero status that is not an
 * error (`fxsim check`: 1 when the vectors differ). main() returns `code` and prints nothing more.
 */
export class ExitStatus extends Error {
  constructor(readonly code: number) {
    super(`exit status ${code}`);
    this.name = 'ExitStatus';
  }
}
