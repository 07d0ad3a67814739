/**
 * trainStep on tiny hand-made networks, every expected number worked out by hand below.
 *
 * Formats (fixed<W,I>: W bits, I integer bits with the sign, F = W - I fraction bits):
 *   x        fixed<8,4>    F = 4   raw 16 = 1.0
 *   weights  fixed<12,6>   F = 6   raw 64 = 1.0
 *   mac acc  fixed<24,14>  F = 10  (= 6 + 4, the exact product frac)
 *   shift 6 (floor: TRN) -> fixed<10,6>, F = 4; ReLU into the same format
 *   delta    the default: signed, output width + 1 = 11 bits, F = 4
 *   target   1.0 = raw 16 at F = 4
 *   update   shift = F(delta) + F(x) - F(w) + lr_shift = 4 + 4 - 6 + 1 = 3, i.e. floor(delta*x / 8)
 *   backprop (hidden layers) W^T delta in a 64-bit accumulator at F = 6 + 4 = 10, shifted by 6
 *            (floor) to the error frac 4
 * floor(a / 2^k) rounds toward -inf: floor(-4.5) = -5.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { buildTrainPlan, type TrainPlan } from '../../src/train/plan.ts';
import { forward, trainStep, type LayerState } from '../../src/train/step.ts';
import type { RawVec } from '../../src/units/vec.ts';

const dir = mkdtempSync(join(tmpdir(), 'fxsim-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAYER = [
  '  - weights: { format: "fixed<12,6>" }',
  '    units:',
  '      - { kind: mac, acc: "fixed<24,14>" }',
  '      - { kind: shift, by: 6, output: "fixed<10,6>" }',
  '      - { kind: activation, function: relu, output: "fixed<10,6>" }',
];

function plan(name: string, sizes: number[], sets: string[] = []): TrainPlan {
  const text = [
    `name: ${name}`,
    `model: { inputs: 3, layers: [${sizes.map((s) => `{ size: ${s} }`).join(', ')}] }`,
    'input: { format: "fixed<8,4>" }',
    'layers:',
    ...sizes.flatMap(() => LAYER),
    'training:',
    '  lr_shift: 1',
    '',
  ].join('\n');
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  const { config, datapath } = loadConfig(path, sets);
  return buildTrainPlan(datapath, config.training!);
}

const nums = (v: RawVec): number[] => Array.from(v, Number);
const f64 = (a: number[]) => Float64Array.from(a);
const bigs = (a: number[]) => a.map(BigInt);

/** Run one step on number vectors and on bigint vectors (the reference path); both must agree. */
function step(p: TrainPlan, weights: number[][], x: number[], label: number) {
  const fast: LayerState[] = weights.map((w) => ({ w: f64(w) }));
  const ref: LayerState[] = weights.map((w) => ({ w: bigs(w) }));
  const a = trainStep(p, fast, f64(x), label);
  const b = trainStep(p, ref, bigs(x), label);
  const view = (r: typeof a, st: LayerState[]) => ({
    z: r.fwd.pre.map(nums),
    a: r.fwd.outputs.map(nums),
    e: r.bwd.errors.map(nums),
    d: r.bwd.derivs.map(nums),
    delta: r.bwd.deltas.map(nums),
    w: st.map((s) => nums(s.w)),
  });
  const out = view(a, fast);
  expect(view(b, ref)).toEqual(out);
  return out;
}

describe('trainStep: one layer, 3 inputs -> 2 outputs', () => {
  // x = [0.5, 0.3125, 0.75]; W = [[1, -0.5, 0.25], [-1, 0.515625, 0.75]]; label 1
  const W = [[64, -32, 16, -64, 33, 48]];
  const x = [8, 5, 12];

  it('the plan: update shift 3 = 4 + 4 - 6 + 1, target raw 16', () => {
    const p = plan('one', [2]);
    expect(p.layers[0].update.spec.shift).toBe(3);
    expect(p.targetRaw).toBe(16);
    expect(p.layers[0].deltaFormat).toEqual({ signed: true, width: 11, frac: 4 });
  });

  it('TRN: forward, delta and floor-shifted updates by hand', () => {
    // forward, acc at F = 10:
    //   row 0:  64*8 + (-32)*5 + 16*12 = 512 - 160 + 192 = 544;  544 / 64 = 8.5      -> z = 8
    //   row 1: -64*8 +   33*5 + 48*12 = -512 + 165 + 576 = 229;  229 / 64 = 3.578... -> z = 3
    //   ReLU: a = [8, 3] (argmax 0, label 1: a miss)
    // e = target - a = [0 - 8, 16 - 3] = [-8, 13]; f'(z) = [1, 1]; delta = [-8, 13]
    // updates floor(delta * x / 8):
    //   row 0: -8 * [8, 5, 12] = [-64, -40, -96]  -> [-8, -5, -12]
    //   row 1: 13 * [8, 5, 12] = [104, 65, 156]   -> [13, 8.125 -> 8, 19.5 -> 19]
    //   W' = [[64-8, -32-5, 16-12], [-64+13, 33+8, 48+19]] = [[56, -37, 4], [-51, 41, 67]]
    const r = step(plan('one-trn', [2]), W, x, 1);
    expect(r.z).toEqual([[8, 3]]);
    expect(r.a).toEqual([[8, 3]]);
    expect(r.e).toEqual([[-8, 13]]);
    expect(r.d).toEqual([[1, 1]]);
    expect(r.delta).toEqual([[-8, 13]]);
    expect(r.w).toEqual([[56, -37, 4, -51, 41, 67]]);
  });

  it('negative products floor toward -inf; a dead output (z <= 0) gets no update', () => {
    // label 0, W row 1 = [-64, 33, -20]:
    //   row 0: 544 -> z = 8;  row 1: -512 + 165 - 240 = -587; -587 / 64 = -9.17 -> z = -10
    //   a = [8, 0]; e = [16 - 8, 0 - 0] = [8, 0]; f'(z) = [1, 0]; delta = [8, 0]
    //   row 0: 8 * [8, 5, 12] = [64, 40, 96] -> [8, 5, 12]: W'[0] = [72, -27, 28]
    //   row 1: delta 0: unchanged [-64, 33, -20]
    const r = step(plan('one-dead', [2]), [[64, -32, 16, -64, 33, -20]], x, 0);
    expect(r.z).toEqual([[8, -10]]);
    expect(r.a).toEqual([[8, 0]]);
    expect(r.e).toEqual([[8, 0]]);
    expect(r.d).toEqual([[1, 0]]);
    expect(r.delta).toEqual([[8, 0]]);
    expect(r.w).toEqual([[72, -27, 28, -64, 33, -20]]);
    // a too-large output with odd products: label 1, W row 0 = [64, -32, 24], x = [8, 5, 13]
    //   row 0: 512 - 160 + 24*13 = 664;   664 / 64 = 10.375 -> z = 10, a = 10
    //   row 1: -512 + 165 - 20*13 = -607; -607 / 64 = -9.48 -> z = -10, a = 0, f' = 0
    //   e = [0 - 10, 16 - 0] = [-10, 16]; delta = [-10, 0]
    //   row 0: -10 * [8, 5, 13] = [-80, -50, -130] -> [-10, -6.25 -> -7, -16.25 -> -17]
    //   W'[0] = [64-10, -32-7, 24-17] = [54, -39, 7]; row 1 unchanged
    const r2 = step(plan('one-neg', [2]), [[64, -32, 24, -64, 33, -20]], [8, 5, 13], 1);
    expect(r2.z).toEqual([[10, -10]]);
    expect(r2.e).toEqual([[-10, 16]]);
    expect(r2.delta).toEqual([[-10, 0]]);
    expect(r2.w).toEqual([[54, -39, 7, -64, 33, -20]]);
  });

  it('RND rounding of the update (half toward +inf), from --set', () => {
    // the TRN case's products / 8: -8 -> -8, -5 -> -5, -12 -> -12; 13, 8.125 -> 8, 19.5 -> 20
    const r = step(plan('one-rnd', [2], ['training.update.rounding=RND']), W, x, 1);
    expect(r.delta).toEqual([[-8, 13]]);
    expect(r.w).toEqual([[56, -37, 4, -51, 41, 68]]);
    // label 0 instead: a = [8, 3], e = [16 - 8, 0 - 3] = [8, -3] = delta
    //   row 1: -3 * [8, 5, 12] = [-24, -15, -36]
    //   / 8 = [-3, -1.875, -4.5] -> RND [-3, -2, -4] (TRN would give [-3, -2, -5])
    //   row 0: 8 * [8, 5, 12] = [64, 40, 96] -> [8, 5, 12]
    const r2 = step(plan('one-rnd2', [2], ['training.update.rounding=RND']), W, x, 0);
    expect(r2.delta).toEqual([[8, -3]]);
    expect(r2.w).toEqual([[72, -27, 28, -67, 31, 44]]);
    const r3 = step(plan('one-trn2', [2]), W, x, 0);
    expect(r3.w).toEqual([[72, -27, 28, -67, 31, 43]]);
  });

  it('forward alone changes nothing', () => {
    const p = plan('one-fwd', [2]);
    const st: LayerState[] = [{ w: f64(W[0]) }];
    const t = forward(p, st, f64(x));
    expect(nums(t.outputs[0])).toEqual([8, 3]);
    expect(nums(st[0].w)).toEqual(W[0]);
  });
});

describe('trainStep: a hidden layer, 3 -> 2 -> 2, deltas through the pre-update transposed weights', () => {
  // W1 (hidden, 2 x 3) = [[64, -32, 16], [-64, 33, 48]]; W2 (out, 2 x 2) = [[32, 64], [100, -17]]
  const W1 = [64, -32, 16, -64, 33, 48];
  const W2 = [32, 64, 100, -17];
  const x = [8, 5, 12];

  it('the plan: backprop shift 6 (F 10 -> 4), update shifts 3', () => {
    const p = plan('two', [2, 2]);
    expect(p.layers[1].backShift!.spec.shift).toBe(6);
    expect(p.layers.map((l) => l.update.spec.shift)).toEqual([3, 3]);
    expect(p.layers[0].backMac).toBeUndefined();
  });

  it('both hidden units active', () => {
    // hidden: acc [544, 229] -> z = [8, 3] (as the one-layer case), a = [8, 3]
    // out:    row 0: 32*8 + 64*3 = 256 + 192 = 448;        448 / 64 = 7       -> z = 7
    //         row 1: 100*8 + (-17)*3 = 800 - 51 = 749;     749 / 64 = 11.70   -> z = 11
    //         a = [7, 11]; label 0: e = [16 - 7, 0 - 11] = [9, -11]; f' = [1, 1]; delta2 = [9, -11]
    // back:   W2^T delta2 with the weights BEFORE the update:
    //         j = 0: 32*9 + 100*(-11) = 288 - 1100 = -812;  -812 / 64 = -12.69 -> -13
    //         j = 1: 64*9 + (-17)*(-11) = 576 + 187 = 763;  763 / 64 = 11.92   -> 11
    //         e1 = [-13, 11]; f'(z1) = [1, 1]; delta1 = [-13, 11]
    //         (with the updated W2 below, j = 0 would be 41*9 + 89*(-11) = -610 -> -10: wrong)
    // update out (input a1 = [8, 3]):
    //         row 0:   9 * [8, 3] = [72, 27]   -> [9, 3.375 -> 3]      W2'[0] = [41, 67]
    //         row 1: -11 * [8, 3] = [-88, -33] -> [-11, -4.125 -> -5]  W2'[1] = [89, -22]
    // update hidden (input x = [8, 5, 12]):
    //         row 0: -13 * [8, 5, 12] = [-104, -65, -156] -> [-13, -8.125 -> -9, -19.5 -> -20]
    //                W1'[0] = [64-13, -32-9, 16-20] = [51, -41, -4]
    //         row 1:  11 * [8, 5, 12] = [88, 55, 132] -> [11, 6.875 -> 6, 16.5 -> 16]
    //                W1'[1] = [-64+11, 33+6, 48+16] = [-53, 39, 64]
    const r = step(plan('two-active', [2, 2]), [W1, W2], x, 0);
    expect(r.z).toEqual([[8, 3], [7, 11]]);
    expect(r.a).toEqual([[8, 3], [7, 11]]);
    expect(r.e).toEqual([[-13, 11], [9, -11]]);
    expect(r.d).toEqual([[1, 1], [1, 1]]);
    expect(r.delta).toEqual([[-13, 11], [9, -11]]);
    expect(r.w).toEqual([[51, -41, -4, -53, 39, 64], [41, 67, 89, -22]]);
  });

  it('a dead hidden unit: its error is non-zero but its delta is 0, so its row stays', () => {
    // W1 row 1 = [-64, 33, -20]: acc -587 -> z = -10, a = 0, f' = 0
    // hidden a = [8, 0]
    // out:    row 0: 32*8 = 256 -> 4;  row 1: 100*8 = 800 -> 12.5 -> 12;  a = [4, 12]
    //         label 0: e = [16 - 4, 0 - 12] = [12, -12]; delta2 = [12, -12]
    // back:   j = 0: 32*12 + 100*(-12) = 384 - 1200 = -816; -816 / 64 = -12.75 -> -13
    //         j = 1: 64*12 + (-17)*(-12) = 768 + 204 = 972;   972 / 64 = 15.19  -> 15
    //         e1 = [-13, 15]; f'(z1) = [1, 0]; delta1 = [-13, 0]
    // update out (input [8, 0]): row 0: 12 * [8, 0] -> [12, 0]: [44, 64]
    //                            row 1: -12 * [8, 0] -> [-12, 0]: [88, -17]
    // update hidden: row 0 as above: [51, -41, -4]; row 1 (delta 0): [-64, 33, -20]
    const r = step(plan('two-dead', [2, 2]), [[64, -32, 16, -64, 33, -20], W2], x, 0);
    expect(r.z).toEqual([[8, -10], [4, 12]]);
    expect(r.a).toEqual([[8, 0], [4, 12]]);
    expect(r.e).toEqual([[-13, 15], [12, -12]]);
    expect(r.d).toEqual([[1, 0], [1, 1]]);
    expect(r.delta).toEqual([[-13, 0], [12, -12]]);
    expect(r.w).toEqual([[51, -41, -4, -64, 33, -20], [44, 64, 88, -17]]);
  });
});
