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
