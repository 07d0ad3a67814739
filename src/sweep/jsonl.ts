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

/** Read a JSONL file (missing: empty). A bad line before the last one is an FxInputError: the file was edited, not torn. */
export function readJsonl<T>(path: string): JsonlContent<T> {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], goodBytes: 0, torn: false };
    throw e;
  }
  const rows: T[] = [];
  let start = 0;
  let line = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl < 0) break; // no newline: a torn tail (or nothing)
    line++;
    let row: T;
    try {
      row = JSON.parse(buf.subarray(start, nl).toString('utf8')) as T;
    } catch {
      if (nl + 1 < buf.length) inputError(`line ${line} is not JSON, and it is not the last line (a torn write is always last): fix or remove it`, path);
      break; // the last line, written in part before a crash
    }
    rows.push(row);
    start = nl + 1;
  }
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
