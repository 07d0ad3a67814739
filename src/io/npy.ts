/**
 * NumPy `.npy` files for raw fixed-point values, bit-exact and byte-for-byte deterministic.
 *
 * Writing (`encodeNpy`) always produces format version 1.0 with the header NumPy itself writes:
 * `{'descr': '<i8', 'fortran_order': False, 'shape': (10, 784), }`, the same spare spaces NumPy
 * adds for growth, padded with spaces so that the 10-byte preamble plus the header is a multiple
 * of 64 bytes, terminated by `\n`; then the data in C (row-major) order. For the same values,
 * shape and dtype the bytes equal those of `np.save`.
 *
 * dtype of the file, from the format `(signed, W, F)` (the file holds raw integers r; the real
 * value r * 2^-F is not recorded, so keep the format next to the file, e.g. in its name or a
 * manifest). Option `dtype`:
 * - 'int64' (default): `<i8` for every format with W <= 63 (signed or not: numpy mixes int64 and
 *   uint64 into float64), `<u8` for a 64-bit unsigned format.
 * - 'smallest': the narrowest integer dtype that holds the format: signed W <= 8 / 16 / 32 / 64
 *   gives `|i1` / `<i2` / `<i4` / `<i8`; unsigned W <= 8 / 16 / 32 / 64 gives `|u1` / `<u2` /
 *   `<u4` / `<u8` (NumPy spells the one-byte dtypes with `|`: byte order does not apply).
 * - W > 64: always the limb layout below.
 *
 * Limb layout for W > 64 (NumPy has no integer dtype that wide, and object arrays are pickles,
 * which are unsafe to load): an array of logical shape `S` is stored with dtype `<u8` and shape
 * `S + [L]`, `L = ceil(W / 64)`. The L limbs of an element are the W-bit two's-complement pattern
 * of its raw value, least significant limb first; bits above W in the last limb are zero. In
 * NumPy the raw values are `sum(int(a[..., k]) << (64 * k) for k in range(L))`, minus `2**W` when
 * the format is signed and that sum is >= `2**(W-1)`. `decodeNpyRaw` reassembles and sign-extends
 * (it also accepts a last limb sign-extended to 64*L bits).
 *
 * Reading (`decodeNpy`) accepts versions 1.0, 2.0 and 3.0, C order, the dtypes bool, int8..int64,
 * uint8..uint64 and float16/32/64 in either byte order, and rejects anything else (including
 * object arrays and structured dtypes) with an FxInputError that names the file.
 */
import { inputError } from '../core/errors.ts';
import { fitsFast } from '../core/exact.ts';
import { formatName, fromBits, maxRaw, minRaw, toBits, type Format } from '../core/format.ts';
import { isFastVec, type RawVec } from '../units/vec.ts';

export type NpyDtypeChoice = 'smallest' | 'int64';

export interface NpyEncodeOptions {
  /** 'int64' (default): `<i8` up to 63 bits, `<u8` for 64-bit unsigned; 'smallest': the narrowest integer dtype. Ignored for W > 64. */
  dtype?: NpyDtypeChoice;
}

/** How raw values of a format are laid out in an .npy file. */
export interface NpyLayout {
  /** The dtype string written to the header. */
  descr: string;
  /** Bytes per stored integer. */
  itemsize: 1 | 2 | 4 | 8;
  signed: boolean;
  /** 0 for one integer per element; L = ceil(W/64) for the limb layout (an extra trailing axis). */
  limbs: number;
}

export interface DecodedNpy {
  shape: number[];
  /** The dtype as written in the file, e.g. '<i8', '|u1', '>f4'. */
  dtype: string;
  /**
   * Row-major values. 64-bit integer dtypes give bigint[] (exact); bool, 8/16/32-bit integer and
   * float dtypes give a Float64Array (exact for all of them).
   */
  values: bigint[] | Float64Array;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21; // numpy/lib/format.py: spare header room for growing axis 0
const TWO32 = 2 ** 32;
const MASK64 = (1n << 64n) - 1n;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function npyLayout(format: Format, choice: NpyDtypeChoice = 'int64'): NpyLayout {
  const w = format.width;
  if (w > 64) return { descr: '<u8', itemsize: 8, signed: false, limbs: Math.ceil(w / 64) };
  const itemsize = choice === 'int64' ? 8 : w <= 8 ? 1 : w <= 16 ? 2 : w <= 32 ? 4 : 8;
  // int64 also for unsigned formats that fit it (W <= 63): numpy turns uint64 mixed with int64
  // into float64, silently losing bits in a testbench; only a full 64-bit unsigned needs <u8
  const signed = format.signed || (choice === 'int64' && w <= 63);
  const kind = signed ? 'i' : 'u';
  return { descr: `${itemsize === 1 ? '|' : '<'}${kind}${itemsize}`, itemsize, signed, limbs: 0 };
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Python's repr of a tuple of ints: (), (5,), (10, 784). */
const pyTuple = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

function npyHeader(descr: string, shape: readonly number[]): Buffer {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyTuple(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const hlen = dict.length + 1; // + '\n'
  const pad = ARRAY_ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ARRAY_ALIGN);
  const total = hlen + pad;
  if (total > 0xffff) throw new Error(`npy header of ${total} bytes does not fit format 1.0`);
  const out = Buffer.alloc(10 + total, 0x20);
  MAGIC.copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(total, 8);
  out.write(dict, 10, 'latin1');
  out[out.length - 1] = 0x0a;
  return out;
}

/**
 * Encode raw values of `format` (row-major, `product(shape)` of them) as an .npy file.
 * A value outside the format's range, a non-integer, or a length that does not match the shape is
 * a bug in the caller and throws a plain Error.
 */
export function encodeNpy(values: RawVec, shape: readonly number[], format: Format, opts: NpyEncodeOptions = {}): Buffer {
  for (const d of shape) if (!Number.isSafeInteger(d) || d < 0) throw new Error(`encodeNpy: bad shape [${shape.join(', ')}]`);
  const n = product(shape);
  if (values.length !== n) throw new Error(`encodeNpy: ${values.length} values for shape [${shape.join(', ')}] (${n} elements)`);
  const layout = npyLayout(format, opts.dtype ?? 'int64');
  const fileShape = layout.limbs ? [...shape, layout.limbs] : [...shape];
  const header = npyHeader(layout.descr, fileShape);
  const out = Buffer.alloc(header.length + n * layout.itemsize * Math.max(1, layout.limbs));
  header.copy(out, 0);
  const dv = new DataView(out.buffer, out.byteOffset + header.length, out.length - header.length);
  const where = (i: number, v: number | bigint) => `encodeNpy: value ${v} at index ${i} is not a raw value of ${formatName(format)}`;

  if (layout.limbs) {
    const big = isFastVec(values) ? Array.from(values, (x, i) => (Number.isInteger(x) ? BigInt(x) : failNum(where(i, x)))) : values;
    const lo = minRaw(format);
    const hi = maxRaw(format);
    let off = 0;
    for (let i = 0; i < n; i++) {
      const v = big[i];
      if (typeof v !== 'bigint' || v < lo || v > hi) throw new Error(where(i, v));
      let bits = toBits(v, format);
      for (let k = 0; k < layout.limbs; k++, off += 8) {
        dv.setBigUint64(off, bits & MASK64, true);
        bits >>= 64n;
      }
    }
    return out;
  }

  const size = layout.itemsize;
  if (isFastVec(values)) {
    // numbers: every value must be an integer within the format (hence within 2^53 and the dtype)
    const lo = Math.max(Number(minRaw(format)), -(2 ** 53));
    const hi = Math.min(Number(maxRaw(format)), 2 ** 53);
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (!(Number.isInteger(x) && x >= lo && x <= hi)) throw new Error(where(i, x));
    }
    if (size === 8) {
      for (let i = 0; i < n; i++) {
        const x = values[i];
        const h = Math.floor(x / TWO32);
        dv.setUint32(i * 8, x - h * TWO32, true);
        dv.setUint32(i * 8 + 4, h >>> 0, true);
      }
    } else if (LITTLE_ENDIAN_HOST && (out.byteOffset + header.length) % size === 0) {
      // the data starts at a multiple of 64 in a fresh ArrayBuffer, so typed views are aligned;
      // typed-array stores wrap modulo 2^(8*size), which is the two's-complement pattern
      const off = out.byteOffset + header.length;
      const view = size === 4 ? new Int32Array(out.buffer, off, n) : size === 2 ? new Int16Array(out.buffer, off, n) : new Int8Array(out.buffer, off, n);
      view.set(values);
    } else {
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (size === 4) dv.setUint32(i * 4, x >>> 0, true);
        else if (size === 2) dv.setUint16(i * 2, x & 0xffff, true);
        else dv.setUint8(i, x & 0xff);
      }
    }
    return out;
  }
  const lo = minRaw(format);
  const hi = maxRaw(format);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'bigint' || v < lo || v > hi) throw new Error(where(i, v));
    const off = i * size;
    if (size === 8) {
      if (layout.signed) dv.setBigInt64(off, v, true);
      else dv.setBigUint64(off, v, true);
    }
    else {
      const x = Number(v);
      if (size === 4) dv.setUint32(off, x >>> 0, true);
      else if (size === 2) dv.setUint16(off, x & 0xffff, true);
      else dv.setUint8(off, x & 0xff);
    }
  }
  return out;
}

function failNum(msg: string): never {
  throw new Error(msg);
}

// ---------------------------------------------------------------- header parsing

type PyValue = string | number | boolean | null | PyValue[] | { tuple: PyValue[] } | Map<string, PyValue>;

/** A parser for the Python-literal subset NumPy headers use: dicts, tuples, lists, strings, ints, True/False/None. */
class PyLiteral {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): PyValue {
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected text after the dict');
    return v;
  }

  private fail(msg: string): never {
    throw new SyntaxError(`${msg} at offset ${this.i}`);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }

  private value(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.fail('unexpected end');
    if (c === '{') return this.dict();
    if (c === '(') return { tuple: this.seq('(', ')') };
    if (c === '[') return this.seq('[', ']');
    if (c === "'" || c === '"') return this.str();
    const m = /^(?:True|False|None|-?\d+L?)/.exec(this.s.slice(this.i));
    if (!m) this.fail(`unexpected character ${JSON.stringify(c)}`);
    this.i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  }

  private str(): string {
    const q = this.s[this.i++];
    const end = this.s.indexOf(q, this.i);
    if (end < 0) this.fail('unterminated string');
    const v = this.s.slice(this.i, end);
    if (v.includes('\\')) this.fail('escapes in strings are not supported');
    this.i = end + 1;
    return v;
  }

  private seq(open: string, close: string): PyValue[] {
    this.i++; // open
    const items: PyValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return items;
      }
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  private dict(): Map<string, PyValue> {
    this.i++;
    const m = new Map<string, PyValue>();
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return m;
      }
      const k = this.value();
      if (typeof k !== 'string') this.fail('dict keys must be strings');
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      if (m.has(k)) this.fail(`duplicate key '${k}'`);
      m.set(k, this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail("expected ',' or '}'");
    }
  }
}

interface Dtype {
  kind: 'b' | 'i' | 'u' | 'f';
  size: number;
  little: boolean;
}

function parseDtype(descr: PyValue, name: string): Dtype {
  if (typeof descr !== 'string') {
    inputError('unsupported dtype (structured and record dtypes are not supported): expected bool, int8..int64, uint8..uint64 or float16/32/64', name);
  }
  const m = /^([<>|=]?)([biuf])(\d+)$/.exec(descr);
  const ok = m && (m[2] === 'b' ? m[3] === '1' : m[2] === 'f' ? ['2', '4', '8'].includes(m[3]) : ['1', '2', '4', '8'].includes(m[3]));
  if (!m || !ok) {
    const why = descr.endsWith('O') ? ' (object arrays are pickles, which fxsim does not load)' : '';
    inputError(`unsupported dtype '${descr}'${why}: expected bool, int8..int64, uint8..uint64 or float16/32/64`, name);
  }
  const order = m[1];
  return { kind: m[2] as Dtype['kind'], size: Number(m[3]), little: order === '>' ? false : order === '=' ? LITTLE_ENDIAN_HOST : true };
}

interface NpyHeader {
  shape: number[];
  descr: string;
  dtype: Dtype;
  dataOffset: number;
}

function readHeader(buf: Buffer, name: string): NpyHeader {
  if (buf.length < 6 || !buf.subarray(0, 6).equals(MAGIC)) inputError('not a NumPy .npy file (bad magic bytes)', name);
  if (buf.length < 8) inputError('truncated .npy file (ends inside the version)', name);
  const major = buf[6];
  const minor = buf[7];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    inputError(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`, name);
  }
  const lenBytes = major === 1 ? 2 : 4;
  if (buf.length < 8 + lenBytes) inputError('truncated .npy file (ends inside the header length)', name);
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = 8 + lenBytes;
  if (start + hlen > buf.length) inputError(`truncated .npy file: the header is ${hlen} bytes but the file has ${buf.length - start} after the preamble`, name);
  const text = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + hlen);
  const shown = text.trimEnd().length > 120 ? `${text.trimEnd().slice(0, 120)}...` : text.trimEnd();
  const bad = (why: string): never => inputError(`unparsable .npy header (${why}): ${JSON.stringify(shown)}`, name);
  let dict: PyValue;
  try {
    dict = new PyLiteral(text).parse();
  } catch (e) {
    return bad((e as Error).message);
  }
  if (!(dict instanceof Map)) return bad('not a dict');
  const keys = [...dict.keys()].sort().join(',');
  if (keys !== 'descr,fortran_order,shape') return bad(`keys must be exactly 'descr', 'fortran_order', 'shape'; got ${[...dict.keys()].map((k) => `'${k}'`).join(', ')}`);
  const fo = dict.get('fortran_order');
  if (typeof fo !== 'boolean') return bad('fortran_order is not True/False');
  const sh = dict.get('shape');
  if (!(sh && typeof sh === 'object' && 'tuple' in sh)) return bad('shape is not a tuple');
  const shape = sh.tuple.map((d) => (typeof d === 'number' && Number.isSafeInteger(d) && d >= 0 ? d : bad(`shape entry ${String(d)} is not a non-negative integer`)));
  const dtype = parseDtype(dict.get('descr')!, name);
  if (fo) inputError("fortran_order=True arrays are not supported; save a C-ordered array (np.save(f, np.ascontiguousarray(a)))", name);
  return { shape, descr: dict.get('descr') as string, dtype, dataOffset: start + hlen };
}

/**
 * Decode an .npy file (`name` is used in error messages). Any problem with the file, including
 * a data length that does not match the header, is an FxInputError naming the file.
 */
export function decodeNpy(buf: Buffer, name: string): DecodedNpy {
  const { h, dv, n } = openNpy(buf, name);
  const { dtype } = h;
  if (is64(dtype)) {
    const out: bigint[] = new Array(n);
    const le = dtype.little;
    if (dtype.kind === 'i') for (let i = 0; i < n; i++) out[i] = dv.getBigInt64(i * 8, le);
    else for (let i = 0; i < n; i++) out[i] = dv.getBigUint64(i * 8, le);
    return { shape: h.shape, dtype: h.descr, values: out };
  }
  const out = new Float64Array(n);
  const get = reader(dv, dtype);
  const s = dtype.size;
  for (let i = 0; i < n; i++) out[i] = get(i * s);
  return { shape: h.shape, dtype: h.descr, values: out };
}

const is64 = (d: Dtype): boolean => (d.kind === 'i' || d.kind === 'u') && d.size === 8;

/** Parse the header and check the data length: the data as a DataView of exactly n items. */
function openNpy(buf: Buffer, name: string): { h: NpyHeader; dv: DataView; n: number } {
  const h = readHeader(buf, name);
  const n = product(h.shape);
  const need = n * h.dtype.size;
  const have = buf.length - h.dataOffset;
  if (!Number.isSafeInteger(need) || have !== need) {
    inputError(`data is ${have} bytes, but shape ${pyTuple(h.shape)} of dtype '${h.descr}' needs ${need} bytes`, name);
  }
  return { h, dv: new DataView(buf.buffer, buf.byteOffset + h.dataOffset, need), n };
}

function reader(dv: DataView, d: Dtype): (off: number) => number {
  const le = d.little;
  switch (`${d.kind}${d.size}`) {
    case 'b1':
      return (o) => (dv.getUint8(o) ? 1 : 0);
    case 'i1':
      return (o) => dv.getInt8(o);
    case 'u1':
      return (o) => dv.getUint8(o);
    case 'i2':
      return (o) => dv.getInt16(o, le);
    case 'u2':
      return (o) => dv.getUint16(o, le);
    case 'i4':
      return (o) => dv.getInt32(o, le);
    case 'u4':
      return (o) => dv.getUint32(o, le);
    case 'f2':
      return (o) => halfToNumber(dv.getUint16(o, le));
    case 'f4':
      return (o) => dv.getFloat32(o, le);
    case 'f8':
      return (o) => dv.getFloat64(o, le);
    default:
      throw new Error(`no reader for dtype ${d.kind}${d.size}`);
  }
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1024 + m) * 2 ** (e - 25);
}

/** `[3, 17]`: the multi-index of flat index i in a row-major array of this shape. */
export function multiIndex(i: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k];
    idx.unshift(d ? i % d : 0);
    i = d ? Math.floor(i / d) : 0;
  }
  return `[${idx.join(', ')}]`;
}

/**
 * Decode an .npy file as raw values of `format`: the limb layout when W > 64 (dtype `<u8`/`>u8`,
 * last axis of length ceil(W/64), removed from the returned shape), otherwise any integer or bool
 * dtype, or a float dtype whose values are all integers. Every value must be in the format's raw
 * range (values, not bit patterns: -1 in an 8-bit signed format is stored as -1, not 255).
 * Returns a Float64Array when the format fits the fast kernels (W <= 53), else bigint[].
 */
export function decodeNpyRaw(buf: Buffer, name: string, format: Format): { shape: number[]; values: RawVec } {
  const { h, dv, n } = openNpy(buf, name);
  const { dtype } = h;
  const fname = formatName(format);
  const lo = minRaw(format);
  const hi = maxRaw(format);
  const outside = (i: number, shape: number[], v: bigint | number): never =>
    inputError(`element ${multiIndex(i, shape)} = ${v} is outside the raw range [${lo}, ${hi}] of ${fname}`, name);
  const notInteger = (i: number, x: number): never =>
    inputError(`element ${multiIndex(i, h.shape)} = ${x} is not an integer; raw values of ${fname} must be integers (dtype '${h.descr}')`, name);
  const le = dtype.little;

  if (format.width > 64) {
    const L = Math.ceil(format.width / 64);
    if (!(dtype.kind === 'u' && dtype.size === 8)) {
      inputError(`${fname} is wider than 64 bits, so raw values must be stored as uint64 limbs ('<u8', shape + (${L},)); got dtype '${h.descr}'`, name);
    }
    if (h.shape.length === 0 || h.shape[h.shape.length - 1] !== L) {
      inputError(`${fname} raw values are stored as ${L} uint64 limbs per element, so the last axis must have length ${L}; got shape ${pyTuple(h.shape)}`, name);
    }
    const shape = h.shape.slice(0, -1);
    const count = n / L;
    const wide = 1n << BigInt(64 * L);
    const top = 1n << BigInt(format.width);
    const out: bigint[] = new Array(count);
    for (let i = 0; i < count; i++) {
      let bits = 0n;
      for (let k = L - 1; k >= 0; k--) bits = (bits << 64n) | dv.getBigUint64((i * L + k) * 8, le);
      if (bits < top) out[i] = fromBits(bits, format);
      else {
        // accept a pattern sign-extended to 64*L bits
        const v = bits - wide;
        if (!format.signed || v < lo) inputError(`element ${multiIndex(i, shape)}: limb pattern 0x${bits.toString(16)} is wider than ${format.width} bits`, name);
        out[i] = v;
      }
    }
    return { shape, values: out };
  }

  const shape = h.shape;
  if (fitsFast(format)) {
    // numbers throughout: every raw value of the format is an exact double
    const nlo = Number(lo);
    const nhi = Number(hi);
    const out = new Float64Array(n);
    if (is64(dtype)) {
      // value = hi32 * 2^32 + lo32, exact whenever hi32 is in [-2^21, 2^21), i.e. |value| <= 2^53
      const signed = dtype.kind === 'i';
      const loOff = le ? 0 : 4;
      const hiOff = le ? 4 : 0;
      for (let i = 0; i < n; i++) {
        const off = i * 8;
        const h32 = signed ? dv.getInt32(off + hiOff, le) : dv.getUint32(off + hiOff, le);
        const x = h32 * TWO32 + dv.getUint32(off + loOff, le);
        if (h32 < -0x200000 || h32 >= 0x200000 || x < nlo || x > nhi) outside(i, shape, signed ? dv.getBigInt64(off, le) : dv.getBigUint64(off, le));
        out[i] = x;
      }
    } else {
      const get = reader(dv, dtype);
      const s = dtype.size;
      for (let i = 0; i < n; i++) {
        const x = get(i * s);
        if (!Number.isInteger(x)) notInteger(i, x);
        if (x < nlo || x > nhi) outside(i, shape, x);
        out[i] = x;
      }
    }
    return { shape, values: out };
  }

  // 54..64 bits: bigint
  const out: bigint[] = new Array(n);
  if (is64(dtype)) {
    for (let i = 0; i < n; i++) {
      const v = dtype.kind === 'i' ? dv.getBigInt64(i * 8, le) : dv.getBigUint64(i * 8, le);
      if (v < lo || v > hi) outside(i, shape, v);
      out[i] = v;
    }
  } else {
    const get = reader(dv, dtype);
    const s = dtype.size;
    for (let i = 0; i < n; i++) {
      const x = get(i * s);
      if (!Number.isInteger(x)) notInteger(i, x);
      const v = BigInt(x);
      if (v < lo || v > hi) outside(i, shape, v);
      out[i] = v;
    }
  }
  return { shape, values: out };
}
