/**
 * The dataset model. A split keeps the source values untouched (MNIST pixels 0..255, CSV/Iris
 * decimals as integer numerators over one common denominator) together with the exact rational
 * `scale` that maps a raw source value v to its real value v * scale.num / scale.den.
 * Nothing here is a float: a Float64Array of raw values holds integers only (|v| <= 2^53).
 */

/** An exact rational num/den with den > 0 (not necessarily reduced unless stated). */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

/**
 * Raw source values, row-major count x features: bytes (images), safe integers in a
 * Float64Array (decimal numerators), or bigints when some numerator exceeds 2^53.
 */
export type RawValues = Uint8Array | Float64Array | readonly bigint[];

export interface Split {
  /** Names the data in messages: 'mnist train', 'iris test', a file path. */
  readonly source: string;
  readonly count: number;
  readonly features: number;
  /** Class index of each sample, 0..classes-1. */
  readonly labels: Uint8Array | Int32Array;
  readonly raw: RawValues;
  /** real(v) = v * scale.num / scale.den; num > 0, den > 0. */
  readonly scale: Ratio;
  /** Where the samples are in the data files, for messages (file loaders fill it in). */
  readonly origin?: SplitOrigin;
}

/** Positions of a split's samples in its files: only messages use them. */
export interface SplitOrigin {
  /**
   * Feature j of sample i in a text file (CSV): `file:line:col`, the column ('x0' / index 3)
   * and the cell as written (undefined when the file cannot be read again).
   */
  value?(i: number, j: number): { where: string; column: string; text?: string };
  /** Sample i's label: `file:line:col` or the labels file, and the label (`label 7 at index 2`, `label 'cat' (class 1)`). */
  label(i: number): { where: string; text: string };
}

export interface Dataset {
  /** Names the data in messages: 'mnist', 'iris', the (train) file path of IDX / CSV data. */
  readonly name: string;
  readonly features: number;
  readonly classes: number;
  readonly train: Split;
  readonly test?: Split;
  /** Smallest and largest real feature value over all splits, reduced fractions. */
  readonly valueRange: { readonly min: Ratio; readonly max: Ratio };
  /** Class names in index order, when the source has names (Iris, CSV string labels). */
  readonly labelNames?: readonly string[];
  /** Image shape [rows, cols] for IDX/MNIST data. */
  readonly shape?: readonly number[];
}
