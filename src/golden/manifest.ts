import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.ts';
import { MAX_WIDTH, makeFormat, type Format } from '../core/format.ts';
import type { GoldenRecording, GoldenTensor } from './recorder.ts';
import { fsReason } from '../core/fs-reason.ts';

/**
 * DIR/manifest.json of a golden-vector set, schema 1. Deterministic: no timestamps, no absolute
 * paths; keys in a fixed order, one tensor per line.
 *
 *   {
 *     "fxsim": "0.1.0",                 the fxsim version that wrote it
 *     "schema": 1,
 *     "config": {...},                  the resolved config (every default filled in)
 *     "mode": "inference" | "training" | "both",
 *     "random": { kind, width, taps, seed | kind, seed, "stochastic": bool, "state_words": [...] },
 *     "inference": { "split": "test" | "train", "count": N },
 *     "training": { "split": "train", "count": N },
 *     "init": "how the initial weights were drawn",
 *     "tensors": [ { "order", "name", "phase", "step", "layer", "unit", "stage", "shape",
 *                    "signed", "width", "frac", "hex", "npy", "sha256": { "hex", "npy" } }, ... ]
 *   }
 *
 * `order` is the execution order (0, 1, 2, ...: the order of the array); `phase` is init, data,
 * s (inference sample) or t (training step); `step` the sample / step index (null for init and
 * data), `layer` / `unit` null where they do not apply.
 */

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SCHEMA = 1;

/** A recorded tensor as the manifest lists it: the recorder's fields, its format spelled out, its files. */
export type ManifestTensor = { order: number } & Omit<GoldenTensor, 'format' | 'values'> & {
  signed: boolean;
  width: number;
  frac: number;
  hex: string;
  npy: string;
  sha256: { hex: string; npy: string };
};

export interface Manifest {
  fxsim: string;
  schema: number;
  config: unknown;
  mode: GoldenRecording['mode'];
  random: unknown;
  inference: GoldenRecording['inference'];
  training: GoldenRecording['training'];
  init: string;
  tensors: ManifestTensor[];
}

export const tensorFormat = (t: Pick<ManifestTensor, 'signed' | 'width' | 'frac'>): Format => makeFormat(t.signed, t.width, t.frac);

/** The manifest as text: two-space JSON, each tensor on one line, trailing newline. */
export function manifestText(m: Manifest): string {
  const { tensors, ...head } = m;
  const top = JSON.stringify(head, null, 2);
  const rows = tensors.map((t) => `    ${JSON.stringify(t)}`).join(',\n');
  return `${top.slice(0, -2)},\n  "tensors": [\n${rows}\n  ]\n}\n`;
}

const PHASES = new Set(['init', 'data', 's', 't']);
/** The fields readManifest checks in each tensor entry. */
const FIELDS = ['name', 'phase', 'stage', 'shape', 'signed', 'width', 'frac', 'hex', 'npy', 'sha256'] as const;
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/**
 * Read and validate DIR/manifest.json. Any problem (missing, not JSON, a wrong schema, a tensor
 * entry with a missing or bad field or a file name that leaves DIR) is an FxInputError naming
 * the file (file:line:col for a JSON syntax error; the entry's index for a tensor's field).
 */
export function readManifest(dir: string): Manifest {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return inputError(`cannot read the golden manifest: ${fsReason(e) ?? (e as Error).message}`, file);
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (e) {
    // V8 gives an offset for some errors and a multi-line snippet for others: keep the words, find the line:col
    const why = (e as Error).message.replace(/(, (\.\.\.)?"| in JSON at position \d).*$/s, '').replace(/\s+/g, ' ');
    const at = jsonErrorOffset(text);
    if (at < 0) return inputError(`not valid JSON: ${why}`, file);
    const before = text.slice(0, at).split('\n');
    return inputError(`not valid JSON: ${why}`, `${file}:${before.length}:${before[before.length - 1].length + 1}`);
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) inputError('not a golden manifest (expected a JSON object)', file);
  if (m.schema !== MANIFEST_SCHEMA) inputError(`unsupported manifest schema ${JSON.stringify(m.schema)} (this fxsim reads schema ${MANIFEST_SCHEMA})`, file);
  if (!Array.isArray(m.tensors)) inputError("'tensors' is not an array", file);
  const names = new Set<string>();
  m.tensors.forEach((t, i) => {
    const bad = (why: string): never => inputError(`tensors[${i}]${t && typeof t === 'object' && typeof t.name === 'string' ? ` (${t.name})` : ''}: ${why}`, file);
    if (!t || typeof t !== 'object' || Array.isArray(t)) bad('not an object');
    for (const k of FIELDS) if (!(k in t)) bad(`no '${k}' field`);
    if (typeof t.name !== 'string' || !SAFE_NAME.test(t.name)) bad(`bad name ${JSON.stringify(t.name)}`);
    if (names.has(t.name)) bad('duplicate name');
    names.add(t.name);
    if (!PHASES.has(t.phase)) bad(`bad phase ${JSON.stringify(t.phase)}`);
    if (typeof t.stage !== 'string') bad('bad stage');
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) bad('bad shape');
    if (typeof t.signed !== 'boolean' || !Number.isInteger(t.width) || t.width < 1 || t.width > MAX_WIDTH || !Number.isInteger(t.frac)) bad('bad format (signed, width, frac)');
    for (const k of ['hex', 'npy'] as const) {
      if (typeof t[k] !== 'string' || !SAFE_NAME.test(t[k])) bad(`bad ${k} file name ${JSON.stringify(t[k])}`);
      if (!t.sha256 || typeof t.sha256[k] !== 'string' || !/^[0-9a-f]{64}$/.test(t.sha256[k])) bad(`bad sha256.${k}`);
    }
  });
  return m;
}

/**
 * Offset of the first character at which `text` stops being JSON (RFC 8259), text.length when
 * it ends early, -1 when it is JSON: JSON.parse does not always say where.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const word = (w: string) => {
    for (const c of w) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const isDigit = () => i < text.length && text[i] >= '0' && text[i] <= '9';
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i];
      if (c === '"') { i++; return; }
      if (c < ' ') fail();
      if (c === '\\') {
        i++;
        if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
        } else if (i < text.length && '"\\/bfnrt'.includes(text[i])) i++;
        else fail();
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) { i++; return; }
      for (;;) {
        if (close === '}') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === close) { i++; return; }
        fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return word('true');
    if (c === 'f') return word('false');
    if (c === 'n') return word('null');
    // a number: fail at the first character that breaks it
    const digits = () => {
      if (!isDigit()) fail();
      while (isDigit()) i++;
    };
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') { i++; digits(); }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (e) {
    if (typeof e === 'number') return e;
    return -1; // nested too deep to scan: no position
  }
}
