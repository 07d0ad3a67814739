import { basename } from 'node:path';
import { inputError } from '../core/errors.ts';
import { readDataFile } from './read-file.ts';
import type { Dataset, Split } from './types.ts';
import { valueRange } from './value-range.ts';

/** IDX magic numbers: 0x00 0x00, type 0x08 (unsigned byte), number of dimensions. */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

const hex8 = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');

function readU32BE(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

function readIdx(path: string, magic: number, what: string, dimNames: string[]): { dims: number[]; data: Uint8Array } {
  const b = readDataFile(path);
  const header = 4 + 4 * dimNames.length;
  if (b.length < 4) inputError(`truncated IDX file: ${b.length} bytes, too short for the 4-byte magic`, path);
  const found = readU32BE(b, 0);
  if (found !== magic) inputError(`expected IDX magic ${hex8(magic)} (${what}), found ${hex8(found)}`, path);
  if (b.length < header) inputError(`truncated IDX file: ${b.length} bytes, the header needs ${header}`, path);
  const dims = dimNames.map((_, i) => readU32BE(b, 4 + 4 * i));
  const declared = dims.reduce((a, d) => a * d, 1);
  const actual = b.length - header;
  const shape = dims.join('×') + (dims.length > 1 ? ` = ${declared}` : '');
  if (actual < declared) inputError(`truncated IDX file: header declares ${shape} bytes of data, found ${actual}`, path);
  if (actual > declared) inputError(`IDX file has ${actual - declared} bytes after the ${shape} bytes of data its header declares`, path);
  return { dims, data: b.subarray(header) };
}

export interface IdxOptions {
  /** Number of classes; labels must lie in 0..classes-1. Default: largest label + 1. */
  classes?: number;
  /** Dataset name, default the images file's base name. */
  name?: string;
  /** Split source for messages, default the images path. */
  source?: string;
}

/**
 * Load an IDX image file (magic 0x00000803: n x rows x cols unsigned bytes) and its IDX label
 * file (0x00000801: n unsigned bytes), each optionally gzip-compressed. The result has the
 * pair as its train split, raw pixel bytes with scale 1/255, and shape [rows, cols].
 */
export function loadIdxPair(imagesPath: string, labelsPath: string, options: IdxOptions = {}): Dataset {
  const images = readIdx(imagesPath, IDX_IMAGES_MAGIC, 'ubyte images, 3 dims', ['count', 'rows', 'cols']);
  const labels = readIdx(labelsPath, IDX_LABELS_MAGIC, 'ubyte labels, 1 dim', ['count']);
  const [n, rows, cols] = images.dims;
  const m = labels.dims[0];
  if (n === 0) inputError('IDX image file declares 0 images', imagesPath);
  if (n !== m) inputError(`${n} images but ${labelsPath} has ${m} labels`, imagesPath);
  const { classes: given } = options;
  if (given !== undefined && (!Number.isInteger(given) || given < 1 || given > 256)) {
    inputError(`classes must be an integer 1..256 for IDX byte labels, got ${given}`);
  }
  let maxLabel = 0;
  const lab = labels.data;
  for (let i = 0; i < lab.length; i++) {
    const v = lab[i];
    if (given !== undefined && v >= given) inputError(`label ${v} at index ${i} is outside 0..${given - 1} (classes: ${given})`, labelsPath);
    if (v > maxLabel) maxLabel = v;
  }
  const train: Split = {
    source: options.source ?? imagesPath,
    count: n,
    features: rows * cols,
    labels: lab,
    raw: images.data,
    scale: { num: 1n, den: 255n },
    origin: { label: (i) => ({ where: labelsPath, text: `label ${lab[i]} at index ${i}` }) },
  };
  return {
    name: options.name ?? basename(imagesPath),
    features: rows * cols,
    classes: given ?? maxLabel + 1,
    train,
    valueRange: valueRange([train]),
    shape: [rows, cols],
  };
}
