import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Write a file so that readers see either the old content or the complete new content, never a
 * partial file: write a temporary file in the same directory, fsync it, rename it over `path`,
 * then fsync the directory (best effort). Every command writes its output files through this.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
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
