import { inputError } from './errors.ts';
import { makeFormat, type Format } from './format.ts';
import { parseOverflowMode, parseQuantMode, type OverflowMode, type QuantMode } from './modes.ts';

/** A format as written by a user, with the modes an `ap_fixed<W,I,Q,O,N>` spelling may carry. */
export interface FormatSpec {
  format: Format;
  rounding?: QuantMode;
  overflow?: OverflowMode;
  nBits?: number;
}

const TEMPLATE = /^\s*(?:(ap|sc)_)?(u?)(fixed|int)\s*<([^>]*)>\s*$/i;
const INTEGER = /^[+-]?\d+$/;

/**
 * Accepts every spelling of SEMANTICS.md: `{signed, width, frac}`, `fixed<W,I>` / `ufixed<W,I>`
 * with optional ap_/sc_ prefix and optional quantization, overflow and n_bits arguments,
 * and the integer shorthands `int<W>` / `uint<W>` (ap_int, sc_int...), which are F = 0.
 */
export function parseFormatSpec(spec: unknown, where?: string): FormatSpec {
  if (typeof spec === 'string') return parseFormatString(spec, where);
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) return { format: parseFormatObject(spec as Record<string, unknown>, where) };
  return inputError(`a format is a string like 'fixed<16,6>' or an object {signed, width, frac}, got ${JSON.stringify(spec)}`, where);
}

export function parseFormat(spec: unknown, where?: string): Format {
  return parseFormatSpec(spec, where).format;
}

function parseFormatObject(o: Record<string, unknown>, where?: string): Format {
  const known = ['signed', 'width', 'frac'];
  for (const k of Object.keys(o)) if (!known.includes(k)) inputError(`unknown format key '${k}' (expected signed, width, frac)`, where);
  if (typeof o.signed !== 'boolean') inputError(`format key 'signed' must be true or false`, where);
  if (typeof o.width !== 'number' || !Number.isInteger(o.width)) inputError(`format key 'width' must be an integer`, where);
  if (typeof o.frac !== 'number' || !Number.isInteger(o.frac)) inputError(`format key 'frac' must be an integer`, where);
  return guarded(() => makeFormat(o.signed as boolean, o.width as number, o.frac as number), where);
}

function parseFormatString(s: string, where?: string): FormatSpec {
  const m = TEMPLATE.exec(s);
  if (!m) return inputError(`bad format '${s}': expected fixed<W,I>, ufixed<W,I>, ap_fixed<W,I,Q,O,N>, int<W> or uint<W>`, where);
  const [, , u, kind, argText] = m;
  const args = argText.split(',').map((a) => a.trim());
  const isInt = kind.toLowerCase() === 'int';
  const numeric = isInt ? 1 : 2;
  if (args.length < numeric || args.length > (isInt ? 1 : 5)) {
    inputError(`bad format '${s}': ${isInt ? `${kind}<W> takes one argument` : 'expected 2 to 5 arguments <W,I[,Q[,O[,N]]]>'}`, where);
  }
  for (let i = 0; i < numeric; i++) {
    if (!INTEGER.test(args[i])) inputError(`bad format '${s}': '${args[i]}' is not an integer`, where);
  }
  const width = Number(args[0]);
  const frac = isInt ? 0 : width - Number(args[1]);
  const format = guarded(() => makeFormat(u === '', width, frac), where, s);
  const out: FormatSpec = { format };
  if (args[2] !== undefined) out.rounding = parseQuantMode(args[2], where);
  if (args[3] !== undefined) out.overflow = parseOverflowMode(args[3], where);
  if (args[4] !== undefined) {
    if (!INTEGER.test(args[4]) || Number(args[4]) < 0) inputError(`bad format '${s}': n_bits '${args[4]}' must be an integer >= 0`, where);
    out.nBits = Number(args[4]);
  }
  return out;
}

function guarded<T>(f: () => T, where?: string, text?: string): T {
  try {
    return f();
  } catch (e) {
    return inputError(`${text ? `bad format '${text}': ` : ''}${(e as Error).message}`, where);
  }
}
