import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FxInputError, inputError } from '../core/errors.ts';
import { fsReason } from '../core/fs-reason.ts';

/**
 * The bytes of a data file, inflated with gunzip when they start with the gzip magic 1f 8b.
 * Every failure is one FxInputError located at the path.
 */
export function readDataFile(path: string): Uint8Array {
  let buf: Buffer;
  try {
    // a FIFO or device would block the read (or never end)
    const st = statSync(path);
    if (!st.isFile() && !st.isDirectory()) return inputError('not a regular file', path);
    buf = readFileSync(path);
  } catch (e) {
    if (e instanceof FxInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return inputError('file not found', path);
    if (code === 'EISDIR') return inputError('is a directory, not a data file', path);
    return inputError(fsReason(e) ?? `cannot read the file (${code ?? (e as Error).message})`, path);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      return inputError(`corrupt gzip data: ${(e as Error).message}`, path);
    }
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}
