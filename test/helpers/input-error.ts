import { expect } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';

/**
 * The message of the FxInputError that f throws: the CLI prints it as the one line of a bad-input
 * exit, so it must be one line. Fails the test on any other outcome.
 */
export function inputErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FxInputError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected an FxInputError, but nothing was thrown');
}

/** inputErrorOf for a promise: the one-line message of the FxInputError it rejects with. */
export async function inputErrorOfAsync(p: Promise<unknown>): Promise<string> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  return inputErrorOf(() => {
    if (error === undefined) return;
    throw error;
  });
}
