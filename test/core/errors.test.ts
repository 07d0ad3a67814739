import { describe, expect, it } from 'vitest';
import { FxInputError, inputError } from '../../src/core/errors.ts';

describe('FxInputError', () => {
  it('carries the message, prefixed by where when given', () => {
    const e = new FxInputError('bad thing', 'cfg.yaml:3:1');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FxInputError');
    expect(e.message).toBe('cfg.yaml:3:1: bad thing');
    expect(e.where).toBe('cfg.yaml:3:1');
    expect(new FxInputError('plain').message).toBe('plain');
    expect(new FxInputError('plain').where).toBeUndefined();
  });
  it('inputError throws one', () => {
    expect(() => inputError('nope', 'x')).toThrow(FxInputError);
    expect(() => inputError('nope', 'x')).toThrow('x: nope');
  });
});
