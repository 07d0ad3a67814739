import { magnitudeBits } from '../core/exact.ts';
import { formatName, maxRaw, minRaw, type Format } from '../core/format.ts';
import {
  bitsFor, formatRange, hullRange, productRange, rangeFits, shiftRange, sumRange, type RawRange,
} from '../core/growth.ts';
import type { OverflowMode, QuantMode } from '../core/modes.ts';
import type { ActivationUnit } from '../units/activation.ts';
import type { ShiftUnit } from '../units/shift.ts';
import type { SoftmaxUnit } from '../units/softmax.ts';
import type { Datapath, Register } from './build.ts';

/**
 * `fxsim inspect`: a static range analysis of a built datapath. For every unit: its port formats
 * and modes, the exact worst-case range of its result before the narrowing into its output
 * register (BigInt, from the formats and the declared input range, propagated unit by unit), the
 * register width that range needs, and verdicts: can it overflow (and what the overflow mode then
 * does), does it round. Width growth comes from core/growth.ts, nothing is re-derived here.
 */

export interface FormatInfo {
  /** `fixed<16,6>` */
  name: string;
  signed: boolean;
  width: number;
  frac: number;
}

export interface RangeInfo {
  /** Raw integers at `frac`. */
  lo: bigint;
  hi: bigint;
  frac: number;
}

export interface Verdict {
  overflow: boolean;
  /** Smallest width, in the output register's signedness, that holds the result (null: none, an unsigned register cannot hold negative values). */
  needBits: number | null;
  hasBits: number;
  inexact: boolean;
  /** One-line human verdicts, overflow first. */
  notes: string[];
}

export interface UnitReport extends Verdict {
  name: string;
  kind: 'mac' | 'shift' | 'activation' | 'softmax';
  inputs: Record<string, FormatInfo>;
  output: FormatInfo;
  /** e.g. "RND_CONV SAT", "WRAP n_bits=2"; the MAC shows its accumulator overflow. */
  modes: string;
  /** Worst-case exact result before narrowing into `output`. */
  result: RangeInfo;
  /** MAC only: the accumulator the configured fan-in needs for no overflow. */
  acc?: { fanIn: number; needBits: number | null; hasBits: number };
}

export interface LayerReport {
  index: number;
  name: string;
  fanIn: number;
  size: number;
  weights: { format: FormatInfo; overflow: OverflowMode; nBits: number };
  bias?: { format: FormatInfo; overflow: OverflowMode; nBits: number };
  units: UnitReport[];
}

export interface InspectReport {
  name: string;
  description?: string;
  model: { name?: string; inputs: number; layers: number[] };
  input: {
    format: FormatInfo;
    rounding: QuantMode;
    range?: [number, number];
    /** Raw values the input can take after quantization. */
    raw: RangeInfo;
    notes: string[];
  };
  layers: LayerReport[];
  training?: { lrShift: number; target?: number };
}

const info = (f: Format): FormatInfo => ({ name: formatName(f), signed: f.signed, width: f.width, frac: f.frac });
/** `fixed<16,6> (s,16,10)`: the SystemC spelling and the (signed, W, F) triple. */
export const formatText = (f: FormatInfo | Format): string => `${formatName(f)} (${f.signed ? 's' : 'u'},${f.width},${f.frac})`;

const modesText = (m: { rounding?: QuantMode; overflow: OverflowMode; nBits: number }) =>
  [m.rounding, m.overflow, m.nBits ? `n_bits=${m.nBits}` : undefined].filter(Boolean).join(' ');

/**
 * The values a register can hold after a narrowing of r into f: r itself when it fits; a SAT
 * mode clamps (SAT_ZERO may also give 0, SAT_SYM never the most negative code); a WRAP mode can
 * give anything in the format.
 */
export function afterOverflow(r: RawRange, f: Format, mode: OverflowMode): RawRange {
  if (rangeFits(r, f)) return r;
  const lo = mode === 'SAT_SYM' && f.signed ? -maxRaw(f) : minRaw(f);
  const clamp = (v: bigint) => (v < lo ? lo : v > maxRaw(f) ? maxRaw(f) : v);
  if (mode === 'SAT' || mode === 'SAT_SYM') return { lo: clamp(r.lo), hi: clamp(r.hi) };
  if (mode === 'SAT_ZERO') return hullRange({ lo: clamp(r.lo), hi: clamp(r.hi) }, { lo: 0n, hi: 0n });
  return formatRange(f);
}

/** Raw value of real x at frac `frac`, rounded with `mode` (STOCH: `dir` picks floor or ceil). Exact. */
function realToRaw(x: number, frac: number, mode: QuantMode, dir: 'lo' | 'hi'): bigint {
  let v = x * 2 ** frac; // exact for the formats a range check accepted
  let k = 0;
  while (!Number.isInteger(v) && k < 1100) { v *= 2; k++; }
  const r = shiftRange({ lo: BigInt(v), hi: BigInt(v) }, k, mode);
  return dir === 'lo' ? r.lo : r.hi;
}

function verdict(result: RawRange, out: Format, mode: OverflowMode, nBits: number, rounding: string | undefined, fanIn?: number): Verdict {
  const need = bitsFor(result, out.signed);
  const overflow = !rangeFits(result, out);
  const notes: string[] = [];
  const mtext = mode + (nBits ? ` n_bits=${nBits}` : '');
  const at = fanIn === undefined ? '' : ` at fan-in ${fanIn}`;
  if (need === Infinity) notes.push(`can overflow: negative results into an unsigned register (${mtext})`);
  else if (overflow) notes.push(`can overflow: needs ${need} bits${at}, has ${out.width} (${mtext})`);
  else notes.push(`cannot overflow: needs ${need} bits${at}, has ${out.width}`);
  if (rounding) notes.push(rounding);
  return { overflow, needBits: need === Infinity ? null : need, hasBits: out.width, inexact: !!rounding, notes };
}

/** Activations whose extremes on an interval lie at its ends or at 0 (monotone or piecewise linear with a knee at 0). */
const ENDPOINT_EXACT = new Set(['linear', 'relu', 'leaky_relu', 'clipped_relu', 'hard_sigmoid', 'hard_tanh']);

function activationRange(u: ActivationUnit, x: RawRange): RawRange {
  const k = u.kernel;
  if (ENDPOINT_EXACT.has(u.spec.def.name)) {
    const pts = [x.lo, x.hi, ...(x.lo < 0n && x.hi > 0n ? [0n] : [])].map((r) => k.exactRef(r));
    return { lo: pts.reduce((a, b) => (b < a ? b : a)), hi: pts.reduce((a, b) => (b > a ? b : a)) };
  }
  // any other activation: the kernel's documented bound, |f(r)| <= 2^(magnitudeBits(input) + growBits)
  const b = 1n << BigInt(magnitudeBits(u.spec.input) + k.growBits);
  return { lo: -b, hi: b };
}

const rangeInfo = (r: RawRange, frac: number): RangeInfo => ({ lo: r.lo, hi: r.hi, frac });

function registerInfo(r: Register) {
  return { format: info(r.format), overflow: r.overflow, nBits: r.nBits };
}

export function inspectDatapath(dp: Datapath): InspectReport {
  const inF = dp.input.format;
  const inputNotes: string[] = [];
  let inputRaw: RawRange = formatRange(inF);
  if (dp.input.range) {
    const [lo, hi] = dp.input.range;
    const rounded = { lo: realToRaw(lo, inF.frac, dp.input.rounding, 'lo'), hi: realToRaw(hi, inF.frac, dp.input.rounding, 'hi') };
    if (!rangeFits(rounded, inF)) inputNotes.push(`can overflow: the range rounded ${dp.input.rounding} reaches raw [${rounded.lo}, ${rounded.hi}], beyond ${formatName(inF)}`);
    inputRaw = rangeFits(rounded, inF) ? rounded : afterOverflow(rounded, inF, 'WRAP');
  }
  inputNotes.push(`inexact: input values are rounded ${dp.input.rounding} to steps of 2^${-inF.frac}`);
  let x = inputRaw;

  const layers = dp.layers.map((l): LayerReport => {
    const units: UnitReport[] = [];
    // --- MAC
    const s = l.mac.spec;
    const w = formatRange(s.weight);
    let term = productRange(w, x);
    let termFrac = s.weight.frac + s.input.frac;
    const macNotes: string[] = [];
    let macInexact = false;
    if (s.product) {
      const pf = s.product.format;
      const k = termFrac - pf.frac;
      const q = shiftRange(term, k, s.product.modes.rounding);
      if (!rangeFits(q, pf)) macNotes.push(`product register can overflow: needs ${bitsFor(q, pf.signed)} bits, has ${pf.width} (${s.product.modes.overflow})`);
      if (k > 0) { macInexact = true; macNotes.push(`inexact: each product rounds ${k} bits (${s.product.modes.rounding})`); }
      term = afterOverflow(q, pf, s.product.modes.overflow);
      termFrac = pf.frac;
    }
    const bias = s.bias ? shiftRange(formatRange(s.bias), -(s.acc.frac - s.bias.frac), 'TRN') : undefined;
    const accRange = sumRange(term, l.fanIn, bias);
    const accVerdict = verdict(accRange, s.acc, s.accOverflow, s.accNBits ?? 0, undefined, l.fanIn);
    if (!macInexact) accVerdict.notes.push('exact (no rounding)');
    accVerdict.notes.splice(1, 0, ...macNotes);
    accVerdict.inexact = macInexact;
    const macInputs: Record<string, FormatInfo> = { x: info(s.input), w: info(s.weight) };
    if (s.bias) macInputs.bias = info(s.bias);
    units.push({
      name: l.mac.name, kind: 'mac', inputs: macInputs, output: info(s.acc),
      modes: modesText({ overflow: s.accOverflow, nBits: s.accNBits ?? 0 }),
      result: rangeInfo(accRange, termFrac),
      acc: { fanIn: l.fanIn, needBits: accVerdict.needBits, hasBits: s.acc.width },
      ...accVerdict,
    });
    x = afterOverflow(accRange, s.acc, s.accOverflow);
    let xFrac = s.acc.frac;

    // --- shifts, activations, softmax
    for (const u of l.post as (ShiftUnit | ActivationUnit | SoftmaxUnit)[]) {
      const m = u.spec.modes;
      const out = u.spec.output;
      let result: RawRange;
      let resultFrac: number;
      let drop: number;
      const extra: string[] = [];
      let roundingNote: string | undefined;
      if (u.kind === 'shift') {
        drop = u.spec.shift;
        result = shiftRange(x, drop, m.rounding);
        resultFrac = xFrac - drop;
        if (out.frac !== resultFrac) {
          extra.push(`note: the output is read at frac ${out.frac}, the shifted value has frac ${resultFrac}: real values scale by 2^${resultFrac - out.frac}`);
        }
      } else if (u.kind === 'softmax') {
        // p = exp / sum lies in [0, 1] whatever z is; 1.0 needs frac + 1 bits unsigned
        drop = 0;
        result = shiftRange({ lo: 0n, hi: 1n }, -out.frac, m.rounding);
        resultFrac = out.frac;
        roundingNote = `inexact: exp approximated (cubic 2^f, log2e_frac ${u.log2eFrac}, exp_frac ${u.expFrac}); p = exp / sum rounds (${m.rounding})`;
      } else {
        const exact = activationRange(u, x);
        const exactFrac = xFrac + u.kernel.extraFrac;
        drop = exactFrac - out.frac;
        result = shiftRange(exact, drop, m.rounding);
        resultFrac = out.frac;
      }
      const rounding = roundingNote ?? (drop > 0 ? `inexact: rounds ${drop} bit${drop === 1 ? '' : 's'} (${m.rounding})` : 'exact (no rounding)');
      const v = verdict(result, out, m.overflow, m.nBits, rounding);
      v.inexact = drop > 0 || roundingNote !== undefined;
      v.notes.push(...extra);
      units.push({
        name: u.name, kind: u.kind, inputs: { x: info(u.spec.input) }, output: info(out),
        modes: (u.kind === 'activation' ? `${u.spec.def.name} ` : '') + modesText(m),
        result: rangeInfo(result, resultFrac),
        ...v,
      });
      x = afterOverflow(result, out, m.overflow);
      xFrac = out.frac;
    }
    return {
      index: l.index, name: l.name, fanIn: l.fanIn, size: l.size,
      weights: registerInfo(l.weights), ...(l.bias && { bias: registerInfo(l.bias) }), units,
    };
  });

  return {
    name: dp.name,
    ...(dp.description !== undefined && { description: dp.description }),
    model: { ...(dp.model.name !== undefined && { name: dp.model.name }), inputs: dp.model.inputs, layers: dp.model.layers.map((m) => m.size) },
    input: {
      format: info(inF), rounding: dp.input.rounding, ...(dp.input.range && { range: dp.input.range }),
      raw: rangeInfo(inputRaw, inF.frac), notes: inputNotes,
    },
    layers,
    ...(dp.lrShift !== undefined && { training: { lrShift: dp.lrShift, ...(dp.target !== undefined && { target: dp.target }) } }),
  };
}

// ---------------------------------------------------------------------------------------------
// Text and JSON

/** A raw integer, exact up to 15 digits, else 4 significant digits. */
function rawText(v: bigint): string {
  const s = v.toString();
  const digits = s.replace('-', '').length;
  if (digits <= 15) return s;
  return Number(v).toExponential(3).replace('e+', 'e');
}

function realText(v: bigint, frac: number): string {
  const x = Number(v) * 2 ** -frac;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e15) return String(Number(x.toPrecision(7)));
  return x.toExponential(3).replace('e+', 'e');
}

const rangeText = (r: RangeInfo) =>
  `raw [${rawText(r.lo)}, ${rawText(r.hi)}] = real [${realText(r.lo, r.frac)}, ${realText(r.hi, r.frac)}]`;

/** Word-wrap `text` to `width`, continuation lines indented by `indent` spaces. */
function wrap(first: string, text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    const sep = line.trim() === '' || line.endsWith(' ') ? '' : ' ';
    if (line.length + sep.length + word.length > width && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = ' '.repeat(indent) + word;
    } else line += sep + word;
  }
  lines.push(line.trimEnd());
  return lines;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The report as a table readable in `width` (default 100) columns. */
export function formatInspectTable(r: InspectReport, width = 100): string {
  const out: string[] = [];
  const push = (first: string, text: string, indent: number) => out.push(...wrap(first, text, width, indent));
  out.push(`datapath ${r.name}`);
  if (r.description) push('         ', r.description, 9);
  const m = r.model;
  out.push(`model    ${m.name ? `${m.name}: ` : ''}${[m.inputs, ...m.layers].join(' -> ')}`);
  if (r.training) out.push(`training lr_shift ${r.training.lrShift}${r.training.target !== undefined ? `, target ${r.training.target}` : ''}`);
  out.push('');
  const inp = r.input;
  push('input    ', `${formatText(inp.format)}${inp.range ? `, range [${inp.range[0]}, ${inp.range[1]}]` : ''}, rounding ${inp.rounding}`, 9);
  push('         ', `-> ${rangeText(inp.raw)}`, 12);
  for (const n of inp.notes) push('         ', n, 11);

  const nameW = Math.min(16, Math.max(4, ...r.layers.flatMap((l) => l.units.map((u) => u.name.length))));
  const kindW = 10;
  const inW = 27;
  const outW = 23;
  const col = 2 + nameW + 1 + kindW + 1; // where the `in` column and the detail lines start
  const row = (name: string, kind: string, inp: string, outp: string, modes: string) =>
    ('  ' + pad(name, nameW) + ' ' + pad(kind, kindW) + ' ' + pad(inp, inW) + ' ' + pad(outp, outW) + ' ' + modes).trimEnd();
  for (const l of r.layers) {
    out.push('');
    const bias = l.bias ? `, bias ${formatText(l.bias.format)} ${modesText(l.bias)}` : '';
    push(`layer ${l.name}: `, `${l.fanIn} -> ${l.size}, weights ${formatText(l.weights.format)} ${modesText(l.weights)}${bias}`, 4);
    out.push(row('unit', 'kind', 'in', 'out', 'modes'));
    for (const u of l.units) {
      const ins = Object.entries(u.inputs).map(([p, f]) => `${p} ${formatText(f)}`);
      const long = u.name.length > nameW;
      if (long) out.push('  ' + u.name);
      out.push(row(long ? '' : u.name, u.kind, ins[0] ?? '', formatText(u.output), u.modes));
      for (const extra of ins.slice(1)) out.push(row('', '', extra, '', ''));
      const ind = ' '.repeat(col);
      push(ind, `result ${rangeText(u.result)}`, col + 7);
      // verdicts joined by '; '; one that does not fit starts a new line
      let prefix = ind + (u.overflow ? '! ' : '  ');
      let text = '';
      u.notes.forEach((n, i) => {
        if (i > 0 && prefix.length + text.length + 2 + n.length > width) {
          push(prefix, text + ';', col + 2);
          prefix = ind + '  ';
          text = n;
        } else text += (i > 0 ? '; ' : '') + n;
      });
      push(prefix, text, col + 2);
    }
  }
  return out.join('\n') + '\n';
}

/** The report as JSON text: bigints become decimal strings. */
export function inspectJson(r: InspectReport): string {
  return JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n';
}
