import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FxInputError, inputError } from '../core/errors.ts';
import { fsReason } from '../core/fs-reason.ts';

export interface JsonlRead {
  /** Lines holding a row (blank lines are not counted). */
  rows: number;
  /** The line number of a torn last line that was skipped (a writer still running). */
  tornLine?: number;
}

/** JSON.parse quotes the text it failed on: a binary file's bytes must not reach the terminal. */
const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

const why = (e: unknown) => fsReason(e) ?? (e as Error).message;

/**
 * Stream a JSON-lines file, calling `onRow(object, lineNumber)` for every non-blank line. A line
 * that is not a JSON object is an FxInputError naming `path:line`. The one exception is a last
 * line without its newline that does not parse but starts as an object: a writer (a sweep still
 * running) is in the middle of it, so it is skipped and reported as `tornLine`. `onRow` may
 * throw its own FxInputError.
 */
export async function readJsonl(path: string, onRow: (row: Record<string, unknown>, line: number) => void): Promise<JsonlRead> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  let rows = 0;
  const handle = (text: string, last: boolean): boolean => {
    line++;
    const s = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (!s.trim()) return true;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch (e) {
      // a torn line is the start of an object line (what a writer was in the middle of); anything else is not JSON lines
      if (last && s.trimStart().startsWith('{')) return false;
      inputError(`not valid JSON (${printable((e as Error).message.split('\n')[0])})`, `${path}:${line}`);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) inputError('expected a JSON object', `${path}:${line}`);
    rows++;
    onRow(v as Record<string, unknown>, line);
    return true;
  };
  try {
    for await (const chunk of createReadStream(path)) {
      pending += decoder.write(chunk as Buffer);
      let start = 0;
      let nl: number;
      while ((nl = pending.indexOf('\n', start)) >= 0) {
        handle(pending.slice(start, nl), false);
        start = nl + 1;
      }
      pending = pending.slice(start);
    }
  } catch (e) {
    if (e instanceof FxInputError) throw e;
    if ((e as NodeJS.ErrnoException).code) inputError(`cannot read: ${why(e)}`, path);
    throw e;
  }
  pending += decoder.end();
  if (pending && !handle(pending, true)) return { rows, tornLine: line };
  return { rows };
}
