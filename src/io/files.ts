/**
 * File-level helpers for src/io's encoders. Every final artifact is written atomically through
 * `writeFileAtomic` (a temporary file in the same directory, fsync, rename over the target), so
 * a reader, or a crash, sees either the old file or the complete new one, never a partial file.
 * (metrics.jsonl/metrics.csv are the exception: they are streamed, see metrics.ts.)
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../cli/io.ts';
import { inputError } from '../core/errors.ts';
import type { Format } from '../core/format.ts';
import type { RawVec } from '../units/vec.ts';
import { decodeMemh, encodeMemh, expectMemhCount, type MemhHeader } from './hex.ts';
import { decodeNpy, decodeNpyRaw, encodeNpy, type DecodedNpy, type NpyEncodeOptions } from './npy.ts';
import { fsReason } from '../core/fs-reason.ts';

export { writeFileAtomic };

/** Read a whole input file; a missing or unreadable file is an FxInputError naming it. */
export async function readInputFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    return inputError(`cannot read: ${fsReason(e) ?? (e as Error).message}`, path);
  }
}

export async function writeNpy(path: string, values: RawVec, shape: readonly number[], format: Format, opts?: NpyEncodeOptions): Promise<void> {
  await writeFileAtomic(path, encodeNpy(values, shape, format, opts));
}

export async function readNpy(path: string): Promise<DecodedNpy> {
  return decodeNpy(await readInputFile(path), path);
}

export async function readNpyRaw(path: string, format: Format): Promise<{ shape: number[]; values: RawVec }> {
  return decodeNpyRaw(await readInputFile(path), path, format);
}

export async function writeMemh(path: string, values: RawVec, format: Format, header: MemhHeader): Promise<void> {
  await writeFileAtomic(path, encodeMemh(values, format, header));
}

/** Read a $readmemh file of raw values of `format`; with `shape`, the word count must match it. */
export async function readMemh(path: string, format: Format, shape?: readonly number[]): Promise<bigint[]> {
  const values = decodeMemh((await readInputFile(path)).toString('utf8'), format, path);
  if (shape) expectMemhCount(values, shape, path);
  return values;
}
