import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFormat } from '../../src/core/format.ts';
import { loadDataset } from '../../src/data/load.ts';
import { sampleSources } from '../../src/train/data.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { idxBytes, tempDir, write } from '../data/fixtures.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sampleSources on byte data (one quantized value per byte that occurs)', () => {
  // fixed<8,1> holds -1 .. 127/128: every pixel p/255 fits except p = 255 (1.0)
  const f = makeFormat(true, 8, 7);
  const labels = write(dir, 'lab', idxBytes(0x801, [3], [0, 1, 0]));

  it('a byte value that cannot be represented but never occurs is no error', () => {
    write(dir, 'img-ok', idxBytes(0x803, [3, 1, 2], [0, 254, 128, 0, 7, 254]));
    const s = sampleSources(loadDataset({ name: 'idx', images: 'img-ok', labels: 'lab' }, dir), f, 'TRN', 2).train;
    // floor(p / 255 * 2^7): 254 -> 127, 128 -> 64, 7 -> 3
    expect(Array.from(s.input(0) as Float64Array)).toEqual([0, 127]);
    expect(Array.from(s.input(1) as Float64Array)).toEqual([64, 0]);
    expect(Array.from(s.input(2) as Float64Array)).toEqual([3, 127]);
    expect(s.csr!().table[255]).toBe(0); // never looked up
  });

  it('one that occurs is reported at its first sample and feature, not at the byte value', () => {
    write(dir, 'img-bad', idxBytes(0x803, [3, 1, 2], [0, 254, 128, 0, 7, 255]));
    expect(inputErrorOf(() => sampleSources(loadDataset({ name: 'idx', images: 'img-bad', labels: 'lab' }, dir), f, 'TRN', 2))).toBe(
      `${dir}/img-bad: sample 2, feature 1: value 1 (byte 255) does not fit the input format fixed<8,1> (-1 to 0.9921875): it quantizes to raw 128, outside [-128, 127]`,
    );
  });
});
