/**
 * A problem with what the user gave us (a format string, a config key, a data file).
 * The CLI prints `message` as one line and exits 2; it never shows a stack trace.
 * `where` is "file:line:col" or "file" or a key path, prefixed to the message when present.
 */
export class FxInputError extends Error {
  constructor(message: string, readonly where?: string) {
    // one line, whatever the user's text held (a --set value or a data cell may contain newlines)
    super(oneLine(where ? `${where}: ${message}` : message));
    this.name = 'FxInputError';
  }
}

/** Longest message printed: a damaged file or a 100 KB --set value must not flood the terminal. */
const MAX_MESSAGE = 1000;

/** One printable line: newlines as \n, other control characters and a BOM escaped, long text cut. */
function oneLine(s: string): string {
  const t = s.replace(/\r?\n/g, '\\n').replace(/[\u0000-\u001f\u007f\ufeff]/g, (c) => (c === '\ufeff' ? '\\ufeff' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE - 100)}... (${t.length} characters in all)` : t;
}

export function inputError(message: string, where?: string): never {
  throw new FxInputError(message, where);
}

/** An input error located at a key path inside a config; the loader turns the path into file:line:col. */
export class FxConfigError extends FxInputError {
  constructor(message: string, readonly path: readonly (string | number)[]) {
    super(message);
    this.name = 'FxConfigError';
  }
}

export function configError(message: string, path: readonly (string | number)[]): never {
  throw new FxConfigError(message, path);
}
