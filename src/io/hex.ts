/**
 * `$readmemh` files of raw fixed-point values, for golden vectors that Icarus Verilog, Verilator
 * and cocotb testbenches load.
 *
 * Layout written by `encodeMemh` (deterministic, `\n` line endings, trailing newline):
 *
 *     // weights shape=[2,3] format=fixed<8,4> (signed, 8, 4)
 *     // 6 words of 8 bits, one per line, row-major; each is the two's-complement bit pattern of the raw value
 *     ff
 *     7f
 *     80
 *     ...
 *
 * One element per line, in row-major order; each word is the W-bit two's-complement pattern of
 * the raw value (unsigned formats: the value itself), zero-padded to ceil(W/4) lowercase hex
 * digits. No `@addr` lines: element i is at address i.
 *
 * `decodeMemh` reads such files (and hand-written ones): `//` comments (whole-line or trailing),
 * blank lines, CRLF line endings, several whitespace-separated words per line, upper-case digits
 * and `_` separators (as Verilog allows) are accepted. Words with fewer than ceil(W/4) digits are
 * zero-extended, as `$readmemh` does: in an 8-bit signed file `f` is 15, not -1. Rejected with an
 * FxInputError `file:line: ...`: bad hex digits (including x/z), a `0x` prefix, a word wider than
 * W bits, `@addr` directives and block comments.
 */
import { inputError } from '../core/errors.ts';
import { formatName, fromBits, maxRaw, minRaw, toBits, type Format } from '../core/format.ts';
import { isFastVec, type RawVec } from '../units/vec.ts';

export interface MemhHeader {
  /** A name for the array (tensor name, e.g. 'L0.weights'); no line breaks. */
  name: string;
  shape: readonly number[];
}

const hexDigits = (f: Format): number => Math.ceil(f.width / 4);

function headerLines(format: Format, header: MemhHeader, n: number): string {
  const { name, shape } = header;
  if (/[\r\n]/.test(name)) throw new Error(`encodeMemh: name ${JSON.stringify(name)} contains a line break`);
  return (
    `// ${name} shape=[${shape.join(',')}] format=${formatName(format)} (${format.signed ? 'signed' : 'unsigned'}, ${format.width}, ${format.frac})\n` +
    `// ${n} words of ${format.width} bits, one per line, row-major; ` +
    (format.signed ? "each is the two's-complement bit pattern of the raw value\n" : 'each is the raw value\n')
  );
}

/**
 * Encode raw values of `format` as a `$readmemh` file. A value outside the format (or a length
 * that does not match `header.shape`) is a bug in the caller and throws a plain Error.
 */
export function encodeMemh(values: RawVec, format: Format, header: MemhHeader): string {
  const n = header.shape.reduce((a, b) => a * b, 1);
  if (values.length !== n) throw new Error(`encodeMemh: ${values.length} values for shape [${header.shape.join(',')}] (${n} elements)`);
  const digits = hexDigits(format);
  const lo = minRaw(format);
  const hi = maxRaw(format);
  const parts: string[] = [headerLines(format, header, n)];
  const bad = (i: number, v: unknown) => new Error(`encodeMemh: value ${String(v)} at index ${i} is not a raw value of ${formatName(format)}`);
  if (isFastVec(values) && format.width <= 32) {
    // numbers: the pattern is computable without BigInt; small widths use a table of words
    const nlo = Number(lo);
    const nhi = Number(hi);
    const mod = 2 ** format.width;
    const table = format.width <= 12 && n > mod ? Array.from({ length: mod }, (_, b) => `${b.toString(16).padStart(digits, '0')}\n`) : undefined;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (!(Number.isInteger(x) && x >= nlo && x <= nhi)) throw bad(i, x);
      const b = x < 0 ? x + mod : x;
      parts.push(table ? table[b] : `${b.toString(16).padStart(digits, '0')}\n`);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = values[i];
      let v: bigint;
      if (typeof x === 'bigint') v = x;
      else if (Number.isInteger(x)) v = BigInt(x);
      else throw bad(i, x);
      if (v < lo || v > hi) throw bad(i, x);
      parts.push(`${toBits(v, format).toString(16).padStart(digits, '0')}\n`);
    }
  }
  return parts.join('');
}

/**
 * Decode a `$readmemh` file into raw values of `format` (sign-extended from the W-bit patterns).
 * `fileName` prefixes error messages: `weights.mem:12: bad hex digit 'g'`.
 */
export function decodeMemh(text: string, format: Format, fileName: string): bigint[] {
  const out: bigint[] = [];
  const w = format.width;
  const top = 1n << BigInt(w);
  // words of up to 13 digits (52 bits) are parsed as numbers
  const numeric = w <= 52;
  const mod = 2 ** w;
  const half = 2 ** (w - 1);
  const simple = /^[0-9a-fA-F]{1,13}$/;
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    let line = lines[ln];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    // fast path: the line is one plain word, as encodeMemh writes it
    if (numeric && simple.test(line)) {
      const x = parseInt(line, 16);
      if (x >= mod) inputError(`0x${line.toLowerCase()} is wider than ${w} bits`, `${fileName}:${ln + 1}:1`);
      out.push(BigInt(format.signed && x >= half ? x - mod : x));
      continue;
    }
    const where = `${fileName}:${ln + 1}`;
    const c = line.indexOf('//');
    if (c >= 0) line = line.slice(0, c);
    const block = line.indexOf('/*');
    if (block >= 0) inputError('block comments (/* */) are not supported; use // comments', `${where}:${block + 1}`);
    for (const mw of line.matchAll(/[^ \t\r\f\v]+/g)) {
      const word = mw[0];
      const at = `${where}:${mw.index! + 1}`; // file:line:col of the word
      if (word.startsWith('@')) {
        inputError(`address directive '${word}' is not supported: write one word per element, in order, starting at address 0`, at);
      }
      if (/^0[xX]/.test(word) && word.length > 2) inputError(`'${word}': the 0x prefix is not allowed in $readmemh files (write ${word.slice(2)})`, at);
      const m = /[^0-9a-fA-F_]/.exec(word);
      if (m) {
        const d = m[0];
        const why = /[xXzZ?]/.test(d) ? ' (x/z digits have no fixed-point value)' : '';
        inputError(`bad hex digit '${d}' in '${word}'${why}`, `${where}:${mw.index! + m.index + 1}`);
      }
      const digits = word.replace(/_/g, '');
      if (digits === '') inputError(`'${word}' has no hex digits`, at);
      const bits = BigInt(`0x${digits}`);
      if (bits >= top) inputError(`0x${digits.toLowerCase()} is wider than ${w} bits`, at);
      out.push(fromBits(bits, format));
    }
  }
  return out;
}

/** Throw an FxInputError unless a decoded file holds exactly product(shape) words. */
export function expectMemhCount(values: readonly unknown[], shape: readonly number[], fileName: string): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (values.length !== n) {
    inputError(`expected ${n} words (shape [${shape.join(',')}]), found ${values.length}`, fileName);
  }
}

/**
 * Read the first header line `encodeMemh` writes, if present:
 * `// name shape=[2,3] format=fixed<8,4> (signed, 8, 4)`. Returns undefined for files without one.
 */
export function readMemhHeader(text: string): { name: string; shape: number[]; signed: boolean; width: number; frac: number } | undefined {
  const first = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  const m = /^\/\/ (.*) shape=\[([\d,]*)\] format=u?fixed<\d+,-?\d+> \((signed|unsigned), (\d+), (-?\d+)\)\r?$/.exec(first);
  if (!m) return undefined;
  return {
    name: m[1],
    shape: m[2] === '' ? [] : m[2].split(',').map(Number),
    signed: m[3] === 'signed',
    width: Number(m[4]),
    frac: Number(m[5]),
  };
}
