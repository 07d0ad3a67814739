import { inputErrorOf } from '../helpers/input-error.ts';
import { gzipSync } from 'node:zlib';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIdxPair } from '../../src/data/idx.ts';
import { idxBytes, idxPair, tempDir, write } from './fixtures.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { images, labels, pixels, labelList } = idxPair(5, 3, 4, 3);
const imgPath = write(dir, 'img-idx3-ubyte', images);
const labPath = write(dir, 'lab-idx1-ubyte', labels);

describe('loadIdxPair', () => {
  it('reads a generated pair', () => {
    const ds = loadIdxPair(imgPath, labPath);
    expect(ds).toMatchObject({ name: 'img-idx3-ubyte', features: 12, classes: 3, shape: [3, 4] });
    expect(ds.train).toMatchObject({ source: imgPath, count: 5, features: 12, scale: { num: 1n, den: 255n } });
    expect(Array.from(ds.train.raw as Uint8Array)).toEqual(pixels);
    expect(Array.from(ds.train.labels)).toEqual(labelList);
    expect(Math.min(...pixels)).toBe(0);
    expect(ds.valueRange.min).toEqual({ num: 0n, den: 1n });
    const { num, den } = ds.valueRange.max; // reduced pmax/255
    expect(num * 255n).toBe(BigInt(Math.max(...pixels)) * den);
    expect(ds.test).toBeUndefined();
  });

  it('origin: a label by the labels file and its index', () => {
    expect(loadIdxPair(imgPath, labPath).train.origin!.label(4)).toEqual({ where: labPath, text: `label ${labelList[4]} at index 4` });
    expect(loadIdxPair(imgPath, labPath).train.origin!.value).toBeUndefined();
  });

  it('gzip round trip: gzipped files load to the same data', () => {
    const gzImg = write(dir, 'img.gz', gzipSync(images));
    const gzLab = write(dir, 'lab.gz', gzipSync(labels));
    const plain = loadIdxPair(imgPath, labPath);
    const gz = loadIdxPair(gzImg, gzLab, { classes: 3 });
    expect(Array.from(gz.train.raw as Uint8Array)).toEqual(Array.from(plain.train.raw as Uint8Array));
    expect(Array.from(gz.train.labels)).toEqual(Array.from(plain.train.labels));
    expect(gz.classes).toBe(3);
  });

  const err = inputErrorOf;

  it('missing file', () => {
    expect(err(() => loadIdxPair(`${dir}/nope`, labPath))).toBe(`${dir}/nope: file not found`);
    expect(err(() => loadIdxPair(imgPath, `${dir}/nolab`))).toBe(`${dir}/nolab: file not found`);
  });

  it('wrong magic: labels given as images and vice versa, a float IDX', () => {
    expect(err(() => loadIdxPair(labPath, labPath))).toBe(
      `${labPath}: expected IDX magic 0x00000803 (ubyte images, 3 dims), found 0x00000801`,
    );
    expect(err(() => loadIdxPair(imgPath, imgPath))).toBe(
      `${imgPath}: expected IDX magic 0x00000801 (ubyte labels, 1 dim), found 0x00000803`,
    );
    const f = write(dir, 'float', idxBytes(0x0d03, [1, 1, 1], [0, 0, 0, 0]));
    expect(err(() => loadIdxPair(f, labPath))).toBe(`${f}: expected IDX magic 0x00000803 (ubyte images, 3 dims), found 0x00000d03`);
    const text = write(dir, 'text.csv', 'a,b\n1,2\n');
    expect(err(() => loadIdxPair(text, labPath))).toBe(`${text}: expected IDX magic 0x00000803 (ubyte images, 3 dims), found 0x612c620a`);
  });

  it('truncated and oversized files', () => {
    const cut = write(dir, 'cut', images.subarray(0, images.length - 7));
    expect(err(() => loadIdxPair(cut, labPath))).toBe(`${cut}: truncated IDX file: header declares 5×3×4 = 60 bytes of data, found 53`);
    const head = write(dir, 'head', images.subarray(0, 10));
    expect(err(() => loadIdxPair(head, labPath))).toBe(`${head}: truncated IDX file: 10 bytes, the header needs 16`);
    const tiny = write(dir, 'tiny', images.subarray(0, 2));
    expect(err(() => loadIdxPair(tiny, labPath))).toBe(`${tiny}: truncated IDX file: 2 bytes, too short for the 4-byte magic`);
    const labCut = write(dir, 'labcut', labels.subarray(0, labels.length - 1));
    expect(err(() => loadIdxPair(imgPath, labCut))).toBe(`${labCut}: truncated IDX file: header declares 5 bytes of data, found 4`);
    const extra = write(dir, 'extra', Uint8Array.from([...images, 1, 2]));
    expect(err(() => loadIdxPair(extra, labPath))).toBe(`${extra}: IDX file has 2 bytes after the 5×3×4 = 60 bytes of data its header declares`);
    const gzCut = write(dir, 'cut.gz', gzipSync(images).subarray(0, 20));
    expect(err(() => loadIdxPair(gzCut, labPath))).toMatch(new RegExp(`^${gzCut}: corrupt gzip data: `));
  });

  it('image/label count mismatch', () => {
    const four = write(dir, 'four-labels', idxBytes(0x801, [4], [0, 1, 2, 0]));
    expect(err(() => loadIdxPair(imgPath, four))).toBe(`${imgPath}: 5 images but ${four} has 4 labels`);
    const none = write(dir, 'none', idxBytes(0x803, [0, 3, 4], []));
    expect(err(() => loadIdxPair(none, four))).toBe(`${none}: IDX image file declares 0 images`);
  });

  it('label out of range for the class count', () => {
    expect(err(() => loadIdxPair(imgPath, labPath, { classes: 2 }))).toBe(`${labPath}: label 2 at index 2 is outside 0..1 (classes: 2)`);
    expect(err(() => loadIdxPair(imgPath, labPath, { classes: 300 }))).toBe('classes must be an integer 1..256 for IDX byte labels, got 300');
  });
});
