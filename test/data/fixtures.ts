/** Small generated data files for the data tests, written under os.tmpdir(). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'fxsim-data-'));
}

function u32be(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** IDX bytes: magic, then dims, then data (written independently of src/data). */
export function idxBytes(magic: number, dims: number[], data: ArrayLike<number>): Uint8Array {
  return Uint8Array.from([...u32be(magic), ...dims.flatMap(u32be), ...Array.from(data)]);
}

/** n images of rows x cols with pixel (k, i) = (7k + 13i) mod 256, labels k mod classes. */
export function idxPair(n: number, rows: number, cols: number, classes: number): { images: Uint8Array; labels: Uint8Array; pixels: number[]; labelList: number[] } {
  const pixels: number[] = [];
  for (let k = 0; k < n; k++) for (let i = 0; i < rows * cols; i++) pixels.push((7 * k + 13 * i) % 256);
  const labelList = Array.from({ length: n }, (_, k) => k % classes);
  return { images: idxBytes(0x803, [n, rows, cols], pixels), labels: idxBytes(0x801, [n], labelList), pixels, labelList };
}

export function write(dir: string, name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
