/**
 * Streaming metrics: `metrics.jsonl` and `metrics.csv` in an output directory, one row per call.
 *
 * These two files are *streamed*: each row is appended with a single write as soon as it is
 * given (so `tail -f` and a crash both see every finished row), and a file never ends in a
 * partial line. Final artifacts (.npy, .mem, reports, checkpoints) are different: they are
 * written atomically (temporary file in the same directory + rename), see `files.ts`.
 *
 * Conventions (deterministic for deterministic rows):
 * - Rows are plain objects; nested objects (and arrays, by index) are flattened with dots:
 *   `{ events: { L0: { mac: { overflows: 3 } } } }` is the column `events.L0.mac.overflows`.
 * - metrics.jsonl: one JSON object per line, `\n`-terminated, keys in the row's own order
 *   (nested, not flattened). bigint values are written as JSON numbers when
 *   |v| <= Number.MAX_SAFE_INTEGER (2^53 - 1), otherwise as JSON strings of their decimal digits
 *   (`"123456789012345678901"`), so no JSON reader silently rounds them. Numbers are written in
 *   full (shortest round-trip) precision; NaN and ±Infinity, which JSON cannot express, become
 *   null.
 * - metrics.csv: the header is the flattened keys of the first row, in order, and is fixed for
 *   the file: a later row's missing columns are empty cells, and keys the header does not have
 *   go to metrics.jsonl only (the JSONL file is the complete record). Integers (bigint, or
 *   integer-valued numbers) are written in full decimal, never in exponent notation; other
 *   numbers with at most 6 significant digits (`0.874`, `1.23457e-7`); NaN/±Infinity as `nan`,
 *   `inf`, `-inf` (as pandas and numpy read them); booleans as `true`/`false`; null/undefined as
 *   an empty cell; strings quoted per RFC 4180 when they contain `,`, `"` or a line break.
 *   Lines end in `\n`.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type MetricValue = number | bigint | string | boolean | null | undefined | MetricRow | readonly MetricValue[];
export interface MetricRow {
  readonly [key: string]: MetricValue;
}

export interface MetricsWriterOptions {
  /** File name stem: `<stem>.jsonl` and `<stem>.csv`. Default 'metrics'. */
  stem?: string;
  /**
   * false (default): start both files afresh. true: append to existing files (e.g. a resumed
   * run); the CSV header is then taken from the existing file's first line.
   */
  append?: boolean;
}

/** Flatten a row into [dotted key, leaf value] pairs, in key order. */
export function flattenRow(row: MetricRow, prefix = '', out: [string, Exclude<MetricValue, MetricRow | readonly MetricValue[]>][] = []) {
  for (const [k, v] of Object.entries(row)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) flattenRow(Object.fromEntries(v.map((x, i) => [String(i), x])), key, out);
    else if (v !== null && typeof v === 'object') flattenRow(v as MetricRow, key, out);
    else out.push([key, v as Exclude<MetricValue, MetricRow | readonly MetricValue[]>]);
  }
  return out;
}

/** A CSV cell per the conventions above. */
export function csvCell(v: MetricValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (v === Infinity) return 'inf';
    if (v === -Infinity) return '-inf';
    if (Number.isInteger(v)) return BigInt(v).toString();
    const r = Number(v.toPrecision(6));
    return Number.isInteger(r) ? BigInt(r).toString() : String(r);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One JSON line per the conventions above (no trailing newline). */
export function jsonLine(row: MetricRow): string {
  return JSON.stringify(row, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  });
}

/** Split the first line of an existing CSV file into its column names. */
function parseCsvHeader(line: string): string[] {
  const cols: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote in CSV header');
        s += line.slice(i, q);
        if (line[q + 1] === '"') {
          s += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cols.push(s);
      i++; // comma
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      cols.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cols;
}

export class MetricsWriter {
  readonly jsonlPath: string;
  readonly csvPath: string;
  private jsonFd: number | undefined;
  private csvFd: number | undefined;
  private header: string[] | undefined;
  private rows = 0;

  private constructor(dir: string, opts: MetricsWriterOptions) {
    const stem = opts.stem ?? 'metrics';
    mkdirSync(dir, { recursive: true });
    this.jsonlPath = join(dir, `${stem}.jsonl`);
    this.csvPath = join(dir, `${stem}.csv`);
    if (opts.append) {
      let existing = '';
      try {
        existing = readFileSync(this.csvPath, 'utf8');
      } catch {
        /* no file yet */
      }
      const nl = existing.indexOf('\n');
      if (nl > 0) this.header = parseCsvHeader(existing.slice(0, nl));
    }
    const flags = opts.append ? 'a' : 'w';
    this.jsonFd = openSync(this.jsonlPath, flags);
    try {
      this.csvFd = openSync(this.csvPath, flags);
    } catch (e) {
      closeSync(this.jsonFd);
      throw e;
    }
  }

  /** Open (creating the directory if needed) `<dir>/metrics.jsonl` and `<dir>/metrics.csv`. */
  static open(dir: string, opts: MetricsWriterOptions = {}): MetricsWriter {
    return new MetricsWriter(dir, opts);
  }

  /** The CSV columns, once the first row has fixed them. */
  get columns(): readonly string[] | undefined {
    return this.header;
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Append one row to both files; each file gets it in a single write, so lines are never torn. */
  write(row: MetricRow): void {
    if (this.jsonFd === undefined || this.csvFd === undefined) throw new Error('MetricsWriter.write after close()');
    const flat = flattenRow(row);
    let csv = '';
    if (!this.header) {
      this.header = flat.map(([k]) => k);
      csv += `${this.header.map(csvCell).join(',')}\n`;
    }
    const byKey = new Map(flat);
    csv += `${this.header.map((k) => csvCell(byKey.get(k))).join(',')}\n`;
    writeAll(this.jsonFd, `${jsonLine(row)}\n`);
    writeAll(this.csvFd, csv);
    this.rows++;
  }

  /** Close both files. Every row written is complete on disk as a full line. Idempotent. */
  close(): void {
    const fds = [this.jsonFd, this.csvFd];
    this.jsonFd = this.csvFd = undefined;
    for (const fd of fds) if (fd !== undefined) closeSync(fd);
  }
}

function writeAll(fd: number, s: string): void {
  const buf = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}
