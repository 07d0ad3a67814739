import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandPoints, runId, runPoint } from '../../src/sweep/expand.ts';
import { inShard, parseShard, shardRuns } from '../../src/sweep/shard.ts';
import type { SweepAxis } from '../../src/sweep/sweep-file.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/** Point order (grid first key outermost, then explicit points), run numbering, and shards that partition the runs. */

const axis = (key: string, values: (number | string)[]): SweepAxis => ({ key, values, paths: values.map((_, i) => ['grid', key, i]) });

describe('expansion', () => {
  it('the grid: first key outermost, last fastest; then the explicit points', () => {
    const points = expandPoints({
      axes: [axis('a', [1, 2]), axis('b', ['x', 'y', 'z'])],
      points: [{ a: 9 }, { c: 'only here' }],
    });
    expect(points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(points.map((p) => p.params)).toEqual([
      { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' },
      { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' },
      { a: 9 }, { c: 'only here' },
    ]);
    // each value remembers where it was written, to locate an error
    expect(points[4].paths).toEqual({ a: ['grid', 'a', 1], b: ['grid', 'b', 1] });
    expect(points[7].paths).toEqual({ c: ['points', 1, 'c'] });
  });

  it('no grid: the points alone', () => {
    expect(expandPoints({ axes: [], points: [{ a: 1 }] }).map((p) => p.params)).toEqual([{ a: 1 }]);
  });

  it('every grid point once, index = mixed-radix number of its value indices (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), (sizes) => {
      const axes = sizes.map((s, a) => axis(`k${a}`, Array.from({ length: s }, (_, i) => i)));
      const points = expandPoints({ axes, points: [] });
      expect(points).toHaveLength(sizes.reduce((n, s) => n * s, 1));
      for (const p of points) {
        const digits = axes.map((a) => p.params[a.key] as number);
        expect(Object.keys(p.params)).toEqual(axes.map((a) => a.key));
        expect(digits.reduce((n, d, a) => n * sizes[a] + d, 0)).toBe(p.index);
      }
    }));
  });
});

describe('runs', () => {
  it('are numbered point-major: run = point * repeats + repeat', () => {
    expect(runId(0, 0, 3)).toBe(0);
    expect(runId(0, 2, 3)).toBe(2);
    expect(runId(1, 0, 3)).toBe(3);
    expect(runPoint(7, 3)).toEqual({ point: 2, repeat: 1 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 50 }), (run, repeats) => {
      const { point, repeat } = runPoint(run, repeats);
      expect(repeat).toBeLessThan(repeats);
      expect(runId(point, repeat, repeats)).toBe(run);
    }));
  });
});

describe('shards', () => {
  it('parse i/N, 1-based', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '-1/2', '1/2/3', '']) {
      expect(inputErrorOf(() => parseShard(bad))).toMatch(/^--shard .*: expected i\/N with 1 <= i <= N/);
    }
  });

  it('partition the runs exactly: every run in one shard, shard i holds run % N == i - 1 (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 12 }),
      (sizes, repeats, count) => {
        const total = sizes.reduce((n, s) => n * s, 1) * repeats;
        const owner = new Array<number>(total).fill(0);
        for (let index = 1; index <= count; index++) {
          const runs = shardRuns(total, { index, count });
          expect(runs).toEqual([...runs].sort((a, b) => a - b));
          for (const r of runs) {
            expect(inShard(r, { index, count })).toBe(true);
            expect(r % count).toBe(index - 1);
            owner[r]++;
          }
        }
        expect(owner.every((c) => c === 1)).toBe(true);
        expect(shardRuns(total, undefined)).toEqual(Array.from({ length: total }, (_, i) => i));
      },
    ));
  });
});
