import { closeSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { inputError } from '../core/errors.ts';
import { jsonLine, type MetricRow } from '../io/metrics.ts';

/**
 * JSON-lines files that a killed process may have left with a torn last line. Lines are appended
 * with one write each, so only the last line can be incomplete; a reader drops it.
 */

export interface JsonlContent<T> {
  rows: T[];
  /** Bytes of complete, parsable lines at the start of the file. */
  goodBytes: number;
  /** The file had bytes after them: a torn last line. */
  torn: boolean;
}

/** Why a file cannot be read, in words (an errno code; anything else is a bug and is rethrown). */
export function readProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (!code) throw e;
  return code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is not a directory' : (e as Error).message;
}

/**
 * Read a JSONL file (missing: empty). A bad line before the last one is an FxInputError: the file
 * was edited, not torn. `check` turns each parsed line into a row or throws an FxInputError at
 * `where` (`file:line`); blank lines are skipped, as the plotter skips them.
 */
export function readJsonl<T>(path: string, check: (row: unknown, where: string) => T = (row) => row as T): JsonlContent<T> {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], goodBytes: 0, torn: false };
    return inputError(`cannot read: ${readProblem(e)}`, path);
  }
  const rows: T[] = [];
  let start = 0;
  let line = 0; // lines read whole (the tail starts on line + 1)
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl < 0) break; // no newline: a torn tail (or nothing)
    const text = buf.subarray(start, nl).toString('utf8');
    let row: unknown;
    try {
      row = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      if (nl + 1 < buf.length) inputError('not valid JSON, and not the last line (a torn write is always last): fix or remove it', `${path}:${line + 1}`);
      break; // the last line, written in part before a crash
    }
    line++;
    if (row !== undefined) rows.push(check(row, `${path}:${line}`));
    start = nl + 1;
  }
  // a torn line is the start of an object line; anything else is not this file's (cutting it off would lose it)
  const tail = buf.subarray(start).toString('utf8').trimStart();
  if (tail !== '' && !tail.startsWith('{')) inputError('not valid JSON, nor the start of a JSON object (as a torn last line is)', `${path}:${line + 1}`);
  return { rows, goodBytes: start, torn: start < buf.length };
}

/** Read a JSONL file and cut a torn last line off it, so that appends start on a fresh line. */
export function repairJsonl<T>(path: string): T[] {
  const c = readJsonl<T>(path);
  if (c.torn) truncateSync(path, c.goodBytes);
  return c.rows;
}

/** Appends whole lines, one write call each; `sync` makes them durable. */
export class JsonlAppender {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  append(row: unknown): void {
    if (this.fd === undefined) throw new Error(`JsonlAppender.append after close: ${this.path}`);
    const buf = Buffer.from(`${jsonText(row)}\n`, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }

  sync(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** JSON text of a row, per metrics.ts conventions (non-finite numbers as null, big bigints as strings). */
export const jsonText = (row: unknown): string => jsonLine(row as MetricRow);

/** The text of a whole JSONL file. */
export const jsonlText = (rows: readonly unknown[]): string => rows.map((r) => `${jsonText(r)}\n`).join('');
