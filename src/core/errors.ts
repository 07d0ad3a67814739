/**
 * A problem with what the user gave us (a format string, a config key, a data file).
 * The CLI prints `message` as one line and exits 2; it never shows a stack trace.
 * `where` is "file:line:col" or "file" or a key path, prefixed to the message when present.
 */
export class FxInputError extends Error {
  constructor(message: string, readonly where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'FxInputError';
  }
}

export function inputError(message: string, where?: string): never {
  throw new FxInputError(message, where);
}
