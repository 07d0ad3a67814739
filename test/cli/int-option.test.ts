import { describe, expect, it } from 'vitest';
import { intOption } from '../../src/cli/int-option.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

describe('intOption', () => {
  it('reads one whole number in range, or nothing', () => {
    expect(intOption('steps', undefined, 1)).toBeUndefined();
    expect(intOption('steps', '50', 1)).toBe(50);
    expect(intOption('seed', ' 0 ', 0, 0xffffffff)).toBe(0);
    expect(intOption('seed', '4294967295', 0, 0xffffffff)).toBe(4294967295);
  });
  it('echoes what was typed and names the option', () => {
    expect(inputErrorOf(() => intOption('steps', 'abc', 1))).toBe("--steps: expected a whole number >= 1, got 'abc'");
    expect(inputErrorOf(() => intOption('steps', '', 1))).toBe("--steps: expected a whole number >= 1, got ''");
    expect(inputErrorOf(() => intOption('steps', '1.5', 1))).toBe("--steps: expected a whole number >= 1, got '1.5'");
    expect(inputErrorOf(() => intOption('steps', '0', 1))).toBe("--steps: expected a whole number >= 1, got '0'");
    expect(inputErrorOf(() => intOption('seed', '4294967296', 0, 0xffffffff))).toBe("--seed: expected a whole number in 0..4294967295, got '4294967296'");
    expect(inputErrorOf(() => intOption('steps', '1e3', 1))).toBe("--steps: expected a whole number >= 1, got '1e3'");
    expect(inputErrorOf(() => intOption('steps', ['50', '60'], 1))).toBe('--steps: given 2 times (50, 60): give it once');
  });
});
