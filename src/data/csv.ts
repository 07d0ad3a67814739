import { basename } from 'node:path';
import { tryParseDecimal } from '../core/decimal.ts';
import { inputError } from '../core/errors.ts';
import { readDataFile } from './read-file.ts';
import type { Dataset, Split, SplitOrigin } from './types.ts';
import { valueRange } from './value-range.ts';

export interface CsvOptions {
  /** The label column: a header name, or a 0-based index (negative counts from the end: -1 is the last column). */
  labelColumn: string | number;
  /** Whether the first non-blank line is a header. Default: true when labelColumn is a name, else false. */
  header?: boolean;
  /**
   * How labels are read. 'integer': class indices 0..K-1; 'string': names mapped to indices in
   * order of first appearance; 'auto' (default): integer when every label is a plain
   * non-negative integer, else string.
   */
  labels?: 'auto' | 'integer' | 'string';
  /** Integer labels must lie in 0..classes-1 (default: largest label + 1); string labels may number at most this. */
  classes?: number;
  /** An existing name -> index mapping to continue (forces string labels): the test file of a train/test pair. */
  labelNames?: readonly string[];
  /** Dataset name, default the file's base name. */
  name?: string;
}

interface Field {
  text: string;
  /** 1-based column of the field's first character */
  col: number;
}

/** Comma-separated fields, trimmed; a field may be "quoted" with "" for a literal quote. */
function splitFields(line: string, where: (col: number) => string): Field[] {
  const out: Field[] = [];
  let i = 0;
  const n = line.length;
  const isSpace = (c: string) => c === ' ' || c === '\t';
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    const col = i + 1;
    let text: string;
    if (line[i] === '"') {
      let s = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) inputError('unterminated quoted field', where(col));
        if (line[j] === '"') {
          if (line[j + 1] === '"') { s += '"'; j += 2; continue; }
          j++;
          break;
        }
        s += line[j++];
      }
      while (j < n && isSpace(line[j])) j++;
      if (j < n && line[j] !== ',') inputError('unexpected text after a closing quote', where(j + 1));
      text = s;
      i = j;
    } else {
      let j = i;
      while (j < n && line[j] !== ',') j++;
      text = line.slice(i, j).trimEnd();
      i = j;
    }
    out.push({ text, col });
    if (i >= n) return out;
    i++; // the comma
  }
}

const INT_LABEL = /^\d+$/;

/**
 * A CSV file of decimal features and one label column. Features are parsed exactly (decimal
 * text -> rational num/10^e); the split's raw values are the numerators over the file's common
 * denominator 10^max(e) (scale 1/10^max(e)), in a Float64Array when all fit in 2^53, else bigints.
 * Errors name path:line:col: a bad number, a wrong column count, an unterminated quote; and the
 * file for an empty file or a missing label column. Blank lines are skipped; the file may be gzipped.
 */
export function loadCsv(path: string, options: CsvOptions): Dataset {
  const { labelColumn } = options;
  const header = options.header ?? typeof labelColumn === 'string';
  let mode = options.labelNames ? 'string' : (options.labels ?? 'auto');
  const readLines = () => new TextDecoder('utf-8').decode(readDataFile(path)).replace(/^\uFEFF/, '').split(/\r?\n/);
  const lines = readLines();
  const at = (line: number, col?: number) => (col === undefined ? `${path}:${line}` : `${path}:${line}:${col}`);

  let ncols = -1;
  let firstRow = 0; // 1-based line number of the row that fixed the column count
  let labelIdx = -1;
  let names: string[] | undefined;
  let headerSeen = !header;
  const labelTokens: Field[] = [];
  const labelLines: number[] = [];
  const nums: bigint[] = [];
  const exps: number[] = [];
  let maxExp = 0;

  const resolveLabel = (lineNo: number) => {
    if (typeof labelColumn === 'string') {
      if (!names) inputError(`label column '${labelColumn}' is a name, which needs header: true`, path);
      labelIdx = names.indexOf(labelColumn);
      if (labelIdx < 0) inputError(`no column named '${labelColumn}' in the header (columns: ${names.join(', ')})`, at(lineNo));
    } else {
      if (!Number.isInteger(labelColumn)) inputError(`label column index must be an integer, got ${labelColumn}`, path);
      labelIdx = labelColumn < 0 ? ncols + labelColumn : labelColumn;
      if (labelIdx < 0 || labelIdx >= ncols) inputError(`label column index ${labelColumn} is outside the ${ncols} columns`, at(lineNo));
    }
    if (ncols < 2) inputError(`only ${ncols} column: there is no feature column besides the label`, at(lineNo));
  };
  const colName = (j: number) => (names ? `'${names[j]}'` : `index ${j}`);

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    if (line.trim() === '') continue;
    const lineNo = li + 1;
    const fields = splitFields(line, (col) => at(lineNo, col));
    if (!headerSeen) {
      headerSeen = true;
      names = fields.map((f) => f.text);
      ncols = fields.length;
      firstRow = lineNo;
      resolveLabel(lineNo);
      continue;
    }
    if (ncols < 0) {
      ncols = fields.length;
      firstRow = lineNo;
      resolveLabel(lineNo);
    } else if (fields.length !== ncols) {
      const col = fields.length > ncols ? fields[ncols].col : line.length + 1;
      inputError(`expected ${ncols} columns (${names ? 'as in the header' : `as on line ${firstRow}`}), found ${fields.length}`, at(lineNo, col));
    }
    for (let j = 0; j < ncols; j++) {
      const f = fields[j];
      if (j === labelIdx) {
        labelTokens.push(f);
        labelLines.push(lineNo);
        continue;
      }
      const r = tryParseDecimal(f.text);
      if (typeof r === 'string') {
        const hint = !header && lineNo === firstRow ? ' (is this line a header? set header: true)' : '';
        inputError(`bad number '${f.text}' in column ${colName(j)}: ${r}${hint}`, at(lineNo, f.col));
      }
      const e = r.den.toString().length - 1; // den = 10^e
      nums.push(r.num);
      exps.push(e);
      if (e > maxExp) maxExp = e;
    }
  }
  if (ncols < 0) inputError('empty file (no rows)', path);
  const count = labelTokens.length;
  if (count === 0) inputError('no data rows after the header', path);

  // labels
  if (mode === 'auto') mode = labelTokens.every((f) => INT_LABEL.test(f.text)) ? 'integer' : 'string';
  const { classes: given } = options;
  if (given !== undefined && (!Number.isInteger(given) || given < 1)) inputError(`classes must be a positive integer, got ${given}`, path);
  let classes: number;
  let labelNames: string[] | undefined;
  const ids = new Int32Array(count);
  if (mode === 'integer') {
    let max = 0;
    labelTokens.forEach((f, i) => {
      const where = at(labelLines[i], f.col);
      if (!INT_LABEL.test(f.text)) inputError(`label '${f.text}' is not an integer class index`, where);
      const v = Number(f.text);
      if (v > 0x7fffffff) inputError(`label ${f.text} is too large for a class index`, where);
      if (given !== undefined && v >= given) inputError(`label ${v} is outside 0..${given - 1} (classes: ${given})`, where);
      ids[i] = v;
      if (v > max) max = v;
    });
    classes = given ?? max + 1;
  } else {
    labelNames = [...(options.labelNames ?? [])];
    const index = new Map(labelNames.map((s, i) => [s, i]));
    labelTokens.forEach((f, i) => {
      let id = index.get(f.text);
      if (id === undefined) {
        id = labelNames!.length;
        labelNames!.push(f.text);
        index.set(f.text, id);
        if (given !== undefined && id >= given) inputError(`label '${f.text}' is distinct label number ${id + 1}, but classes is ${given}`, at(labelLines[i], f.col));
      }
      ids[i] = id;
    });
    classes = given ?? labelNames.length;
  }
  const labels = classes <= 256 ? Uint8Array.from(ids) : ids;

  // features over the common denominator 10^maxExp
  const pow = (e: number) => 10n ** BigInt(e);
  const scaled = nums.map((v, i) => (exps[i] === maxExp ? v : v * pow(maxExp - exps[i])));
  const LIM = 2n ** 53n;
  const raw = scaled.every((v) => v <= LIM && v >= -LIM) ? Float64Array.from(scaled, Number) : scaled;
  const features = ncols - 1;
  const rowLines = Int32Array.from(labelLines);
  const labelCols = Int32Array.from(labelTokens, (f) => f.col);
  const origin: SplitOrigin = {
    // the cell is read again from the file: only a message needs it
    value: (i, j) => {
      const line = rowLines[i];
      const c = j < labelIdx ? j : j + 1; // feature j's column in the file
      let f: Field | undefined;
      try {
        const again = readLines()[line - 1];
        f = again === undefined ? undefined : splitFields(again, () => path)[c];
      } catch {
        f = undefined; // the file changed since it was loaded: the line alone
      }
      return { where: f ? at(line, f.col) : at(line), column: colName(c), text: f?.text };
    },
    label: (i) => ({
      where: at(rowLines[i], labelCols[i]),
      text: labelNames ? `label '${labelNames[labels[i]]}' (class ${labels[i]})` : `label ${labels[i]}`,
    }),
  };
  const train: Split = { source: path, count, features, labels, raw, scale: { num: 1n, den: pow(maxExp) }, origin };
  return {
    name: options.name ?? basename(path),
    features,
    classes,
    train,
    valueRange: valueRange([train]),
    ...(labelNames ? { labelNames } : {}),
  };
}
