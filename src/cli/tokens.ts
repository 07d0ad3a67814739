import type { Writable } from 'node:stream';
import { inputError } from '../core/errors.ts';

/**
 * Streaming helpers shared by commands that read whitespace-separated values and write one
 * line per value: a token splitter that survives tokens cut across chunk boundaries, and a
 * buffered writer that writes large chunks and honours backpressure.
 */

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Splits whitespace-separated tokens (space, tab, CR, LF, VT, FF) from successive string
 * chunks. A token that runs to the end of a chunk is held back until the next chunk (or end()).
 */
export class TokenSplitter {
  private carry = '';
  /** Tokens emitted so far. */
  count = 0;

  /** `label` names tokens in errors ('stdin token'); a token longer than maxLength is an error. */
  constructor(private readonly label = 'token', private readonly maxLength = 1 << 20) {}

  /** Feed one chunk; calls onToken(token, index) for every complete token, index counting from 1. */
  push(chunk: string, onToken: (token: string, index: number) => void): void {
    const s = this.carry === '' ? chunk : this.carry + chunk;
    const n = s.length;
    let i = 0;
    for (;;) {
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) { this.carry = ''; return; }
      const start = i;
      while (i < n && !isSpace(s.charCodeAt(i))) i++;
      if (i >= n) {
        if (n - start > this.maxLength) inputError(`${this.label} ${this.count + 1} is longer than ${this.maxLength} characters`);
        this.carry = s.slice(start);
        return;
      }
      onToken(s.slice(start, i), ++this.count);
    }
  }

  /** The input has ended: emit a held-back last token. */
  end(onToken: (token: string, index: number) => void): void {
    if (this.carry !== '') {
      const t = this.carry;
      this.carry = '';
      onToken(t, ++this.count);
    }
  }
}

/** All tokens of a string (for tests and small inputs). */
export function splitTokens(s: string): string[] {
  const out: string[] = [];
  const sp = new TokenSplitter();
  sp.push(s, (t) => out.push(t));
  sp.end((t) => out.push(t));
  return out;
}

/**
 * Collects output text and writes it to a stream in chunks of at least `chunkSize` characters
 * (not one write per line). Call maybeFlush() between input chunks and flush() at the end.
 */
export class BufferedWriter {
  private buf = '';

  constructor(private readonly stream: Pick<Writable, 'write' | 'once'>, private readonly chunkSize = 1 << 16) {}

  add(s: string): void {
    this.buf += s;
  }

  get pending(): number {
    return this.buf.length;
  }

  /** Write if enough has accumulated; resolves once the stream can take more. */
  maybeFlush(): Promise<void> | undefined {
    return this.buf.length >= this.chunkSize ? this.flush() : undefined;
  }

  /** Write everything accumulated; resolves once the stream is drained. */
  flush(): Promise<void> {
    if (this.buf === '') return Promise.resolve();
    const data = this.buf;
    this.buf = '';
    if (this.stream.write(data)) return Promise.resolve();
    return new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }
}

/** Show a token in a message: quoted, shortened when long, control characters escaped. */
export function showToken(t: string): string {
  const short = t.length > 40 ? t.slice(0, 37) + '...' : t;
  // eslint-disable-next-line no-control-regex
  return `'${short.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}
