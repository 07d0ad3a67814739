import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coarseLrs, searchLr, searchMinimum, type Accuracy, type Evaluate } from '../../src/minprec/search.ts';

/**
 * The minprec search against fake evaluators: accuracy a monotone step function of the precision
 * x (reaches the target from x = T on) and unimodal in the lr (peak at `opt`).
 */

interface Fake {
  evaluate: Evaluate;
  /** Every (x, lr) asked for, in order. */
  calls: [number, number][];
}

function fake(acc: (x: number, lr: number) => Accuracy, delay = false): Fake {
  const calls: [number, number][] = [];
  return {
    calls,
    evaluate: async (x, lrs) => {
      for (const lr of lrs) calls.push([x, lr]);
      // answers arrive in any order: the result must not depend on it
      if (delay) await Promise.all(lrs.map((_, i) => new Promise((r) => setTimeout(r, (x * 7 + i * 3) % 4))));
      return lrs.map((lr) => acc(x, lr));
    },
  };
}

/** Reaches `target` 0.8 from x = T on, best at lr = opt, falling 0.05 per lr step away from it. */
const stepUnimodal = (T: number, opt: number) => (x: number, lr: number) => (x >= T ? 0.9 : 0.6) - 0.05 * Math.abs(lr - opt);

const LR = { lo: 4, hi: 16, center: 10 };
const distinct = (calls: [number, number][]) => new Set(calls.map(([x, lr]) => `${x}/${lr}`)).size;

describe('coarseLrs', () => {
  it("every other lr, with the parity of the config's own lr_shift", () => {
    expect(coarseLrs({ lo: 4, hi: 16, center: 10 })).toEqual([4, 6, 8, 10, 12, 14, 16]);
    expect(coarseLrs({ lo: 4, hi: 16, center: 9 })).toEqual([5, 7, 9, 11, 13, 15]);
    expect(coarseLrs({ lo: 4, hi: 16, center: 30 })).toEqual([4, 6, 8, 10, 12, 14, 16]);
    expect(coarseLrs({ lo: 3, hi: 3 })).toEqual([3]);
    expect(coarseLrs({ lo: 3, hi: 4, center: 4 })).toEqual([4]);
  });
});

describe('searchLr', () => {
  it('finds the best lr of a unimodal accuracy: coarse pass, then the neighbours of the best', async () => {
    const f = fake((_x, lr) => 0.9 - 0.05 * Math.abs(lr - 11));
    const p = await searchLr(f.evaluate, 0, LR, 2, { complete: true });
    expect(p).toMatchObject({ bestLr: 11, complete: true, reached: false });
    expect(p.accuracy).toBeCloseTo(0.9);
    expect(f.calls.map(([, lr]) => lr)).toEqual([4, 6, 8, 10, 12, 14, 16, 9, 11, 13]);
  });

  it('stops after the coarse pass when it reaches the target (unless asked for the best lr)', async () => {
    const f = fake((_x, lr) => 0.9 - 0.05 * Math.abs(lr - 11));
    const p = await searchLr(f.evaluate, 0, LR, 0.8);
    expect(p).toMatchObject({ reached: true, complete: false, bestLr: 10 });
    expect(f.calls).toHaveLength(7);
  });

  it('ties go to the smaller lr_shift; a range where nothing loads has no best lr', async () => {
    const flat = await searchLr(fake(() => 0.5).evaluate, 0, { lo: 1, hi: 5 }, 0.9, { complete: true });
    expect(flat).toMatchObject({ bestLr: 1, accuracy: 0.5, reached: false });
    const f = fake(() => null);
    const none = await searchLr(f.evaluate, 0, { lo: 1, hi: 5 }, 0.9, { complete: true });
    expect(none).toMatchObject({ bestLr: null, accuracy: null, reached: false });
    expect(f.calls).toHaveLength(3); // no refine pass around nothing
  });

  it('property: the complete search finds the maximum of any unimodal accuracy (plateaus allowed), never trying an lr twice', async () => {
    // a unimodal sequence: non-decreasing up to the peak, non-increasing after it, with ties
    const unimodal = fc.tuple(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 10 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 10 }))
      .map(([up, down]) => {
        const vals: number[] = [0];
        for (const u of up) vals.push(vals[vals.length - 1] + u);
        for (const d of down) vals.push(vals[vals.length - 1] - d);
        return vals;
      });
    await fc.assert(fc.asyncProperty(unimodal, fc.integer({ min: -5, max: 5 }), fc.integer({ min: -3, max: 25 }), async (vals, lo, center) => {
      const hi = lo + vals.length - 1;
      const f = fake((_x, lr) => vals[lr - lo]);
      const p = await searchLr(f.evaluate, 0, { lo, hi, center }, Infinity, { complete: true });
      expect(p.accuracy).toBe(Math.max(...vals));
      expect(p.bestLr).not.toBeNull();
      expect(vals[p.bestLr! - lo]).toBe(Math.max(...vals));
      expect(distinct(f.calls)).toBe(f.calls.length);
    }), { numRuns: 300 });
  });
});

describe('searchMinimum', () => {
  it('finds the exact minimum, confirms it (it passes, min - 1 fails, both trained) with the best lr at it', async () => {
    const f = fake(stepUnimodal(13, 9));
    const r = await searchMinimum(f.evaluate, { lo: 0, hi: 32, lr: LR, target: 0.8 });
    expect(r).toMatchObject({ reached: true, min: 13, atLow: false });
    expect(r.atMin).toMatchObject({ x: 13, reached: true, complete: true, bestLr: 9 });
    expect(r.atMin!.accuracy).toBeCloseTo(0.9);
    expect(r.below).toMatchObject({ x: 12, reached: false, complete: true, bestLr: 9 });
    expect(r.below!.accuracy).toBeCloseTo(0.6);
    // both actually trained: min at its best lr, min - 1 at every lr of its search
    expect(f.calls).toContainEqual([13, 9]);
    expect(r.below!.trials.every((t) => f.calls.some(([x, lr]) => x === 12 && lr === t.lr))).toBe(true);
    // the runs counted are the distinct runs asked for, far fewer than the grid
    expect(r.runs).toBe(distinct(f.calls));
    expect(r.runs).toBe(f.calls.length);
    expect(r.grid).toBe(33 * 13);
    expect(r.runs).toBeLessThan(r.grid / 4);
    // probes: the top first, then the bisection, every one in x order
    expect(r.probes.map((p) => p.x)).toEqual([...new Set(f.calls.map(([x]) => x))].sort((a, b) => a - b));
    expect(r.top.x).toBe(32);
  });

  it('never reached: one probe at the top of the range, its best lr and accuracy reported', async () => {
    const f = fake(stepUnimodal(40, 9));
    const r = await searchMinimum(f.evaluate, { lo: 0, hi: 32, lr: LR, target: 0.8 });
    expect(r).toMatchObject({ reached: false, min: null, atMin: null, below: null, atLow: false });
    expect(r.top).toMatchObject({ x: 32, bestLr: 9, reached: false, complete: true });
    expect(r.probes).toHaveLength(1);
    expect(r.runs).toBe(7 + 3); // the coarse pass; 8 and 10 tie for its best: refine 7, 9, 11
  });

  it('reached at the bottom of the range: min = lo, min - 1 not tried', async () => {
    const f = fake(stepUnimodal(-3, 9));
    const r = await searchMinimum(f.evaluate, { lo: 2, hi: 9, lr: LR, target: 0.8 });
    expect(r).toMatchObject({ reached: true, min: 2, atLow: true, below: null });
    expect(f.calls.some(([x]) => x < 2)).toBe(false);
    expect(r.atMin).toMatchObject({ x: 2, complete: true, bestLr: 9 });
  });

  it('a value that does not load counts as not reaching', async () => {
    // x < 7 does not load at all; from 7 on it trains and reaches the target
    const f = fake((x, lr) => (x < 7 ? null : stepUnimodal(7, 9)(x, lr)));
    const r = await searchMinimum(f.evaluate, { lo: 0, hi: 12, lr: LR, target: 0.8 });
    expect(r.min).toBe(7);
    expect(r.below).toMatchObject({ x: 6, reached: false, accuracy: null, bestLr: null });
    const unloaded = r.probes.filter((p) => p.accuracy === null);
    expect(unloaded.length).toBeGreaterThan(0);
    expect(r.unloaded).toBe(unloaded.reduce((s, p) => s + p.trials.length, 0));
    expect(r.runs + r.unloaded).toBe(f.calls.length);
    // the top does not load: not reached
    const top = await searchMinimum(fake((x) => (x > 10 ? null : 0.9)).evaluate, { lo: 0, hi: 12, lr: LR, target: 0.8 });
    expect(top).toMatchObject({ reached: false, min: null });
  });

  it('property: over random thresholds, lr peaks and ranges: the exact minimum, confirmed, within the grid, never a run twice; same result whatever order answers arrive in', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: -5, max: 40 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 6 }), fc.boolean(),
      async (T, opt, lo, span, lrLo, lrSpan, delay) => {
        const hi = lo + span;
        const lr = { lo: lrLo, hi: lrLo + lrSpan, center: lrLo + (opt % (lrSpan + 1)) };
        // the peak may lie outside the lr range: the target is then reached only if the range's best edge is close enough
        const acc = (x: number, l: number) => (x >= T ? 0.95 : 0.6) - 0.02 * Math.abs(l - opt);
        const target = 0.8;
        const reaches = (x: number) => { for (let l = lr.lo; l <= lr.hi; l++) if (acc(x, l) >= target) return true; return false; };
        const f = fake(acc, delay);
        const r = await searchMinimum(f.evaluate, { lo, hi, lr, target });
        let expected: number | null = null;
        for (let x = lo; x <= hi; x++) if (reaches(x)) { expected = x; break; }
        expect(r.min).toBe(expected);
        expect(r.reached).toBe(expected !== null);
        if (expected !== null) {
          expect(r.atMin!.reached).toBe(true);
          expect(r.atLow).toBe(expected === lo);
          if (expected > lo) expect(r.below).toMatchObject({ x: expected - 1, reached: false });
          // the best lr at the minimum is the best of the lr range
          let bestAcc = -Infinity;
          for (let l = lr.lo; l <= lr.hi; l++) bestAcc = Math.max(bestAcc, acc(expected, l));
          expect(r.atMin!.accuracy).toBe(bestAcc);
        } else {
          expect(r.probes.map((p) => p.x)).toEqual([hi]);
        }
        expect(distinct(f.calls)).toBe(f.calls.length);
        expect(r.runs).toBe(f.calls.length);
        expect(r.runs).toBeLessThanOrEqual(r.grid);
        // the same search without delays gives the same result
        const again = await searchMinimum(fake(acc).evaluate, { lo, hi, lr, target });
        expect(again).toEqual(r);
      },
    ), { numRuns: 200 });
  });
});
