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
  it('is one printable line of bounded length, whatever the user text held', () => {
    expect(new FxInputError('bad \u0000 digit\ufeff in\nthere', 'f.hex:3').message).toBe('f.hex:3: bad \\x00 digit\\ufeff in\\nthere');
    const long = new FxInputError(`got '${'9'.repeat(100_000)}'`).message;
    expect(long.length).toBeLessThanOrEqual(1000);
    expect(long).toMatch(/^got '9{800,}\.\.\. \(100006 characters in all\)$/);
  });
  it('inputError throws one', () => {
    expect(() => inputError('nope', 'x')).toThrow(FxInputError);
    expect(() => inputError('nope', 'x')).toThrow('x: nope');
  });
});
