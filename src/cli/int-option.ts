import { inputError } from '../core/errors.ts';

/**
 * An integer option read from its text (yargs would turn `abc` into NaN and `''` into 0): absent,
 * or one whole number in [min, max]; anything else is an input error naming the option and
 * echoing what was typed.
 */
export function intOption(name: string, raw: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) inputError(`given ${raw.length} times (${raw.join(', ')}): give it once`, `--${name}`);
  const text = String(raw).trim();
  const v = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
  if (!Number.isSafeInteger(v) || v < min || v > max) inputError(`expected a whole number ${range}, got '${String(raw)}'`, `--${name}`);
  return v;
}
