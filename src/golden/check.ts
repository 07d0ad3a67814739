import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { rawToDecimal } from '../core/decimal.ts';
import { inputError } from '../core/errors.ts';
import { formatName, toBits, type Format } from '../core/format.ts';
import { decodeMemh } from '../io/hex.ts';
import { decodeNpyRaw, multiIndex } from '../io/npy.ts';
import type { RawVec } from '../units/vec.ts';
import { MANIFEST_FILE, readManifest, tensorFormat, type Manifest, type ManifestTensor } from './manifest.ts';
import { fsReason } from '../core/fs-reason.ts';

/**
 * `fxsim check`: compare a design's dumps with a golden set, tensor by tensor in execution order
 * (the manifest's order), element by element, bit for bit.
 *
 * DUT_DIR holds files named as the manifest's: `<name>.hex` and/or `<name>.npy` (both are
 * checked when both exist). A manifest tensor with neither is missing; a file in DUT_DIR that is
 * not a manifest tensor's (nor manifest.json) is extra (listed, not a failure). `only` restricts
 * the tensors considered: the others are neither compared nor missing.
 *
 * Unreadable input is an FxInputError naming the file (and the line, for hex): a DUT dump that is
 * a directory or a dangling symlink, a golden argument that is not a directory, a bad hex digit,
 * a word wider than the format, a wrong number of words or npy shape, a corrupt npy, a value
 * outside the format's range, and for the golden dir a file whose sha256 is not the manifest's.
 */

export interface CheckOptions {
  /** Tensor-name patterns (see tensorMatcher); absent: every manifest tensor. */
  only?: readonly string[];
}

export interface Mismatch {
  tensor: ManifestTensor;
  /** The DUT file, as a path. */
  file: string;
  index: number;
  expected: bigint;
  actual: bigint;
  /** 1-based line of the word in a hex file. */
  line?: number;
}

export interface FileResult {
  tensor: ManifestTensor;
  file: string;
  kind: 'hex' | 'npy';
  elements: number;
  mismatches: number;
  first?: Mismatch;
}

export interface TensorResult {
  tensor: ManifestTensor;
  files: FileResult[];
  ok: boolean;
}

export interface CheckResult {
  manifest: Manifest;
  goldenDir: string;
  dutDir: string;
  /** Compared tensors, in execution order. */
  compared: TensorResult[];
  missing: ManifestTensor[];
  /** Files in DUT_DIR that belong to no manifest tensor. */
  extra: string[];
  /** Manifest tensors left out by --only. */
  skipped: number;
  /** The first divergence in execution order. */
  first?: Mismatch;
  /** Elements compared (once per tensor). */
  elements: number;
  ok: boolean;
}

const GLOB = /[*?]/;

/**
 * A tensor-name filter from --only patterns; a name is selected when any pattern matches:
 * `/regex/` (a JavaScript regular expression, searched); a glob with `*` / `?` (matched against
 * the whole name; `*` also crosses dots); otherwise a prefix (`s0000.L0` selects every tensor of
 * sample 0, layer L0; `t0001.` every tensor of training step 1).
 */
export function tensorMatcher(patterns: readonly string[]): (name: string) => boolean {
  const tests = patterns.map((p): ((n: string) => boolean) => {
    if (p.length >= 2 && p.startsWith('/') && p.endsWith('/')) {
      let re: RegExp;
      try {
        re = new RegExp(p.slice(1, -1));
      } catch (e) {
        return inputError(`--only ${p}: bad regular expression: ${(e as Error).message}`);
      }
      return (n) => re.test(n);
    }
    if (GLOB.test(p)) {
      const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      return (n) => re.test(n);
    }
    return (n) => n.startsWith(p);
  });
  return (name) => tests.some((t) => t(name));
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    return inputError(`cannot read: ${fsReason(e) ?? (e as Error).message}`, path);
  }
}

/** Whether there is a DUT dump at p: nothing there is false; anything but a readable file (a directory, a dangling symlink) is an input error. */
const isDump = (p: string): boolean => {
  try {
    lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    return inputError(`cannot read: ${(e as Error).message}`, p);
  }
  let st: Stats;
  try {
    st = statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return inputError(`cannot read: ${code === 'ENOENT' ? 'a symbolic link to a missing file' : (e as Error).message}`, p);
  }
  if (!st.isFile()) inputError(`cannot read: ${st.isDirectory() ? 'is a directory' : 'not a regular file'}`, p);
  return true;
};

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Lines (1-based) of the words of a $readmemh text, as decodeMemh splits them: word k -> wordLines[k]. */
function wordLines(text: string, upTo: number): number[] {
  const out: number[] = [];
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length && out.length <= upTo; ln++) {
    let line = lines[ln];
    const c = line.indexOf('//');
    if (c >= 0) line = line.slice(0, c);
    for (const w of line.split(/[ \t\r\f\v]+/)) if (w !== '') out.push(ln + 1);
  }
  return out;
}

/** Decode a hex file with exactly product(shape) words; a wrong count names the file and line. */
function readHex(path: string, format: Format, shape: readonly number[]): { values: bigint[]; text: string } {
  const text = readFile(path).toString('utf8');
  const values = decodeMemh(text, format, path);
  const n = count(shape);
  if (values.length > n) {
    const line = wordLines(text, n)[n];
    inputError(`expected ${n} words (shape [${shape.join(',')}]), found ${values.length}: word ${n + 1} is extra`, `${path}:${line}`);
  }
  if (values.length < n) {
    const lines = text.split('\n');
    const last = lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
    inputError(`expected ${n} words (shape [${shape.join(',')}]), found ${values.length}: the file ends early`, `${path}:${Math.max(last, 1)}`);
  }
  return { values, text };
}

function readNpy(path: string, format: Format, shape: readonly number[]): RawVec {
  const { shape: got, values } = decodeNpyRaw(readFile(path), path, format);
  if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
    inputError(`shape [${got.join(',')}] does not match the manifest's [${shape.join(',')}]`, path);
  }
  return values;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Golden values of one tensor, after checking both files' sha256 against the manifest. */
function goldenValues(dir: string, t: ManifestTensor): bigint[] {
  const hexPath = join(dir, t.hex);
  const npyPath = join(dir, t.npy);
  const hexBuf = readFile(hexPath);
  if (sha256(hexBuf) !== t.sha256.hex) inputError(`sha256 ${sha256(hexBuf)} does not match the manifest's ${t.sha256.hex}: the golden file was changed`, hexPath);
  const npyBuf = readFile(npyPath);
  if (sha256(npyBuf) !== t.sha256.npy) inputError(`sha256 ${sha256(npyBuf)} does not match the manifest's ${t.sha256.npy}: the golden file was changed`, npyPath);
  const format = tensorFormat(t);
  const values = decodeMemh(hexBuf.toString('utf8'), format, hexPath);
  if (values.length !== count(t.shape)) inputError(`expected ${count(t.shape)} words (shape [${t.shape.join(',')}]), found ${values.length}`, hexPath);
  return values;
}

function compare(t: ManifestTensor, file: string, kind: 'hex' | 'npy', expected: bigint[], actual: RawVec, text?: string): FileResult {
  let mismatches = 0;
  let first: Mismatch | undefined;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const av = typeof a === 'bigint' ? a : BigInt(a);
    if (av !== expected[i]) {
      if (!first) first = { tensor: t, file, index: i, expected: expected[i], actual: av, line: text === undefined ? undefined : wordLines(text, i)[i] };
      mismatches++;
    }
  }
  return { tensor: t, file, kind, elements: expected.length, mismatches, first };
}

export function checkGolden(goldenDir: string, dutDir: string, opts: CheckOptions = {}): CheckResult {
  let golden: Stats | undefined;
  try {
    golden = statSync(goldenDir);
  } catch {
    golden = undefined; // readManifest says what is missing
  }
  if (golden && !golden.isDirectory()) inputError('the golden argument must be a directory (the one fxsim golden wrote, with manifest.json), not a file', goldenDir);
  const manifest = readManifest(goldenDir);
  try {
    if (!statSync(dutDir).isDirectory()) inputError('not a directory', dutDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) inputError('cannot read the DUT directory: no such directory', dutDir);
    throw e;
  }
  const selected = opts.only && opts.only.length ? tensorMatcher(opts.only) : () => true;
  const tensors = [...manifest.tensors].sort((a, b) => a.order - b.order);
  // a pattern that selects nothing is a typo, not a pass (a CI job would go green checking nothing)
  if (opts.only?.length && !tensors.some((t) => selected(t.name))) inputError(`--only ${opts.only!.join(' --only ')}: no tensor of the golden set matches (e.g. ${tensors[0]?.name ?? 'none'})`);
  const known = new Set<string>([MANIFEST_FILE]);
  for (const t of tensors) { known.add(`${t.name}.hex`); known.add(`${t.name}.npy`); }
  const extra = readdirSync(dutDir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !known.has(e.name))
    .map((e) => e.name)
    .sort();

  const compared: TensorResult[] = [];
  const missing: ManifestTensor[] = [];
  let skipped = 0;
  let first: Mismatch | undefined;
  let elements = 0;
  for (const t of tensors) {
    if (!selected(t.name)) { skipped++; continue; }
    const hexPath = join(dutDir, `${t.name}.hex`);
    const npyPath = join(dutDir, `${t.name}.npy`);
    const hasHex = isDump(hexPath);
    const hasNpy = isDump(npyPath);
    if (!hasHex && !hasNpy) { missing.push(t); continue; }
    const expected = goldenValues(goldenDir, t);
    const format = tensorFormat(t);
    const files: FileResult[] = [];
    if (hasHex) {
      const { values, text } = readHex(hexPath, format, t.shape);
      files.push(compare(t, hexPath, 'hex', expected, values, text));
    }
    if (hasNpy) files.push(compare(t, npyPath, 'npy', expected, readNpy(npyPath, format, t.shape)));
    for (const f of files) if (!first && f.first) first = f.first;
    elements += expected.length;
    compared.push({ tensor: t, files, ok: files.every((f) => f.mismatches === 0) });
  }
  return {
    manifest, goldenDir, dutDir, compared, missing, extra, skipped, first, elements,
    ok: !first && missing.length === 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The report

const hexOf = (raw: bigint, f: Format): string => `0x${toBits(raw, f).toString(16).padStart(Math.ceil(f.width / 4), '0')}`;

const realOf = (raw: bigint, f: Format): string => {
  const d = rawToDecimal(raw, f.frac);
  return d.includes('.') ? d : `${d}.0`;
};

/** `MISMATCH t0001.L0.shift1.out [3]: expected 0x0f (0.9375) got 0x10 (1.0), bits differ 0x1f` */
export function mismatchLine(m: Mismatch): string {
  const f = tensorFormat(m.tensor);
  const diff = toBits(m.expected, f) ^ toBits(m.actual, f);
  return `MISMATCH ${m.tensor.name} [${m.index}]: expected ${hexOf(m.expected, f)} (${realOf(m.expected, f)}) got ${hexOf(m.actual, f)} (${realOf(m.actual, f)}), bits differ 0x${diff.toString(16).padStart(Math.ceil(f.width / 4), '0')}`;
}

/** Where a tensor sits in the run: `training step 1, layer L0, unit shift1, stage out`. */
export function tensorContext(t: ManifestTensor): string {
  const parts: string[] = [];
  if (t.phase === 's') parts.push(`inference sample ${t.step}`);
  else if (t.phase === 't') parts.push(`training step ${t.step}`);
  else parts.push(t.phase === 'init' ? 'initial state' : 'dataset');
  if (t.layer !== null) parts.push(`layer ${t.layer}`);
  if (t.unit !== null) parts.push(`unit ${t.unit}`);
  parts.push(`stage ${t.stage}`);
  return parts.join(', ');
}

/** The context lines under the first MISMATCH line. */
export function mismatchContext(m: Mismatch): string[] {
  const t = m.tensor;
  const f = tensorFormat(t);
  return [
    `  at ${tensorContext(t)}`,
    `  element [${m.index}]${t.shape.length > 1 ? ` = ${multiIndex(m.index, t.shape)}` : ''} of shape [${t.shape.join(',')}], format ${formatName(f)} (${f.signed ? 'signed' : 'unsigned'}, ${f.width}, ${f.frac})`,
    `  file ${m.file}${m.line !== undefined ? `:${m.line}` : ''}`,
  ];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The printed report: the first divergence, per-file mismatch counts, missing and extra tensors, a summary. */
export function formatCheckReport(r: CheckResult, maxReport = 20): string {
  const out: string[] = [];
  const capped = <T>(items: readonly T[], line: (x: T) => string, more: (n: number) => string) => {
    for (const x of items.slice(0, maxReport)) out.push(line(x));
    if (items.length > maxReport) out.push(more(items.length - maxReport));
  };
  const nTensors = r.compared.length;
  if (r.ok) {
    out.push(`OK: ${plural(nTensors, 'tensor')}, ${plural(r.elements, 'element')} match bit for bit${r.skipped ? ` (${r.skipped} left out by --only)` : ''}`);
    if (r.extra.length) {
      out.push(`extra (not in the manifest, not compared): ${r.extra.length}`);
      capped(r.extra, (f) => `  ${f}`, (n) => `  ... and ${n} more`);
    }
    return `${out.join('\n')}\n`;
  }
  if (r.first) out.push(mismatchLine(r.first), ...mismatchContext(r.first));
  else if (r.missing.length) out.push(`MISSING ${r.missing[0].name}: no ${r.missing[0].name}.hex or .npy in ${r.dutDir}`, `  at ${tensorContext(r.missing[0])}`);
  const bad = r.compared.flatMap((c) => c.files.filter((f) => f.mismatches > 0));
  if (bad.length) {
    const names = bad.map((f) => `${f.tensor.name}.${f.kind}`);
    const w = Math.max('tensor'.length, ...names.slice(0, maxReport).map((n) => n.length));
    out.push('', `${'tensor'.padEnd(w)}  ${'elements'.padStart(8)}  ${'mismatches'.padStart(10)}`);
    capped(bad, (f) => `${`${f.tensor.name}.${f.kind}`.padEnd(w)}  ${String(f.elements).padStart(8)}  ${String(f.mismatches).padStart(10)}`,
      (n) => `... and ${n} more files with mismatches (--max-report)`);
  }
  if (r.missing.length) {
    out.push('', `missing (no .hex or .npy in ${r.dutDir}): ${r.missing.length}`);
    capped(r.missing, (t) => `  ${t.name}`, (n) => `  ... and ${n} more (--max-report)`);
  }
  if (r.extra.length) {
    out.push('', `extra (not in the manifest, not compared): ${r.extra.length}`);
    capped(r.extra, (f) => `  ${f}`, (n) => `  ... and ${n} more (--max-report)`);
  }
  const badTensors = r.compared.filter((c) => !c.ok).length;
  const badElements = r.compared.reduce((s, c) => s + Math.max(0, ...c.files.map((f) => f.mismatches)), 0);
  out.push('', `FAIL: ${badTensors} of ${plural(nTensors, 'compared tensor')} differ (${badElements} of ${plural(r.elements, 'element')}), ${r.missing.length} missing, ${r.extra.length} extra${r.skipped ? `, ${r.skipped} left out by --only` : ''}`);
  return `${out.join('\n')}\n`;
}
