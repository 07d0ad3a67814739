import { configFiles } from '../helpers/config-files.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { inspectDatapath } from '../../src/config/inspect.ts';
import { FxInputError } from '../../src/core/errors.ts';
import { buildTrainPlan } from '../../src/train/plan.ts';
import { SoftmaxUnit } from '../../src/units/softmax.ts';

/**
 * The softmax unit in configs: where it may go (last unit of the last layer), the loss it trains
 * with (softmax_ce, which needs it), and the shipped Iris config. Errors are one FxInputError line
 * with file:line:col and the dotted key, as the loader reports every config problem.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-softmax-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// line numbers matter: the expected positions below are counted in this text
const BASE = [
  'model: {inputs: 4, layers: [{size: 3}]}', // 1
  'input:', //                                  2
  '  format: fixed<8,2>', //                    3
  'layers:', //                                 4
  '  - weights:', //                            5
  '      format: fixed<8,1>', //                6
  '    units:', //                              7
  '      - kind: mac', //                       8
  '        acc: fixed<32,19>', //               9
  '      - kind: shift', //                     10
  '        by: 7', //                           11
  '        output: fixed<8,2>', //              12
  '      - kind: softmax', //                   13
  '        output: ufixed<9,1>', //             14
  'training:', //                               15
  '  loss: softmax_ce', //                      16
  '  lr_shift: 4', //                           17
].join('\n') + '\n';

const { write, edit, errorOf } = configFiles(() => dir, BASE);

describe('a softmax output unit in a config', () => {
  it('loads: modes from the unit keys, then the format spelling, then defaults; precisions default to 16', () => {
    const { datapath: dp, config } = loadConfig(write(BASE));
    const sm = dp.layers[0].post[1];
    expect(sm).toBeInstanceOf(SoftmaxUnit);
    const u = sm as SoftmaxUnit;
    expect(u.name).toBe('L0.softmax');
    expect(u.spec.input).toEqual({ signed: true, width: 8, frac: 6 });
    expect(u.spec.output).toEqual({ signed: false, width: 9, frac: 8 });
    expect(u.spec.modes).toEqual({ rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    expect([u.log2eFrac, u.expFrac]).toEqual([16, 16]);
    expect(dp.layers[0].output).toEqual({ signed: false, width: 9, frac: 8 });
    expect(config.training?.loss).toBe('softmax_ce');
    const plan = buildTrainPlan(dp, config.training!);
    expect(plan.loss).toBe('softmax_ce');
    // the output delta is cast((target - p) * 1): no f', a 1-bit unsigned operand of value 1
    expect(plan.layers[0].activation).toBeUndefined();
    expect(plan.layers[0].delta.spec.b).toEqual({ signed: false, width: 1, frac: 0 });

    const q = write(edit('        output: ufixed<9,1>\n', "        output: 'ap_ufixed<9,1,AP_RND_CONV,AP_SAT>'\n        name: probs\n        log2e_frac: 20\n        exp_frac: 12\n        overflow: SAT_ZERO\n"));
    const v = loadConfig(q).datapath.layers[0].post[1] as SoftmaxUnit;
    expect(v.name).toBe('probs');
    expect(v.spec.modes).toEqual({ rounding: 'RND_CONV', overflow: 'SAT_ZERO', nBits: 0 });
    expect([v.log2eFrac, v.expFrac]).toEqual([20, 12]);
  });

  it('the resolved config spells the unit out and reloads to the same datapath', () => {
    const a = loadConfig(write(BASE));
    expect(a.resolved.layers[0].units[2]).toEqual({
      kind: 'softmax', name: 'L0.softmax', output: 'ufixed<9,1>', log2e_frac: 16, exp_frac: 16, rounding: 'TRN', overflow: 'WRAP', n_bits: 0,
    });
    expect(a.resolved.training).toMatchObject({ loss: 'softmax_ce', lr_shift: 4, target: 1 });
    const b = loadConfig(write(stringify(a.resolved)));
    expect(b.resolved).toEqual(a.resolved);
    const shape = (u: SoftmaxUnit) => ({ ...u.spec, log2eFrac: u.log2eFrac, expFrac: u.expFrac, log2e: u.log2e, coeffs: u.coeffs });
    expect(shape(b.datapath.layers[0].post[1] as SoftmaxUnit)).toEqual(shape(a.datapath.layers[0].post[1] as SoftmaxUnit));
  });

  it('an inference config (no training) may end in a softmax of any output format', () => {
    const p = write(edit('        output: ufixed<9,1>\n', '        output: ufixed<8,0>\n').replace(/training:[\s\S]*$/, ''));
    expect(loadConfig(p).datapath.layers[0].output).toEqual({ signed: false, width: 8, frac: 8 });
  });

  it('inspect reports the probability range and the approximation', () => {
    const rep = inspectDatapath(loadConfig(write(BASE)).datapath);
    const u = rep.layers[0].units[2];
    expect(u.kind).toBe('softmax');
    expect(u.result).toEqual({ lo: 0n, hi: 256n, frac: 8 });
    expect(u.overflow).toBe(false);
    expect(u.inexact).toBe(true);
    const narrow = inspectDatapath(loadConfig(write(edit('ufixed<9,1>', 'ufixed<8,0>').replace(/training:[\s\S]*$/, ''))).datapath);
    expect(narrow.layers[0].units[2].notes[0]).toBe('can overflow: needs 9 bits, has 8 (WRAP)');
  });
});

describe('softmax config errors: file:line:col: key: message', () => {
  it('a softmax that is not the last unit of its layer', () => {
    const p = write(edit('      - kind: shift\n        by: 7\n        output: fixed<8,2>\n      - kind: softmax\n        output: ufixed<9,1>\n',
      '      - kind: softmax\n        output: ufixed<9,1>\n      - kind: shift\n        by: 7\n        output: fixed<8,2>\n'));
    expect(errorOf(p)).toBe(`${p}:10:15: layers.0.units.1.kind: a softmax unit must be the last unit of the last layer`);
  });

  it('a softmax in a layer that is not the last', () => {
    const text = [
      'model: {inputs: 4, layers: [{size: 3}, {size: 2}]}', // 1
      'input: {format: "fixed<8,2>"}', //                     2
      'layers:', //                                           3
      '  - weights: {format: "fixed<8,1>"}', //               4
      '    units:', //                                        5
      '      - {kind: mac, acc: "fixed<32,19>"}', //          6
      '      - {kind: softmax, output: "fixed<8,2>"}', //     7
      '  - weights: {format: "fixed<8,1>"}', //               8
      '    units:', //                                        9
      '      - {kind: mac, acc: "fixed<32,19>"}', //         10
    ].join('\n') + '\n';
    const p = write(text);
    expect(errorOf(p)).toBe(`${p}:7:16: layers.0.units.1.kind: a softmax unit must be the last unit of the last layer`);
  });

  it('loss softmax_ce without a softmax output names training.loss', () => {
    const p = write(edit('      - kind: softmax\n        output: ufixed<9,1>\n', '      - kind: activation\n        function: relu\n'));
    expect(errorOf(p)).toBe(`${p}:16:9: training.loss: loss softmax_ce needs a softmax unit as the last unit of the last layer`);
  });

  it('a softmax output trained with mse: written, or by default (then at the training mapping)', () => {
    const p = write(edit('loss: softmax_ce', 'loss: mse'));
    expect(errorOf(p)).toBe(`${p}:16:9: training.loss: softmax output trains with loss: softmax_ce`);
    const q = write(edit('  loss: softmax_ce\n', ''));
    expect(errorOf(q)).toBe(`${q}:16:3: training.loss: softmax output trains with loss: softmax_ce`);
    expect(errorOf(write(BASE), ['training.loss=mse'])).toBe('--set training.loss=mse: softmax output trains with loss: softmax_ce');
  });

  it('an unknown loss', () => {
    const p = write(edit('loss: softmax_ce', 'loss: ce'));
    expect(errorOf(p)).toBe(`${p}:16:9: training.loss: unknown loss 'ce' (one of mse, softmax_ce)`);
  });

  it('softmax_ce trains toward one-hot probabilities: the target must be 1', () => {
    const p = write(edit('  lr_shift: 4', '  lr_shift: 4\n  target: 0.5'));
    expect(errorOf(p)).toBe(`${p}:18:11: training.target: softmax_ce trains toward one-hot probabilities: the target must be 1`);
  });

  it('an output format that cannot hold the target 1.0', () => {
    const p = write(edit('ufixed<9,1>', 'ufixed<8,0>'));
    expect(errorOf(p)).toBe(`${p}:13:9: layers.0.units.2: the training target 1 does not fit ufixed<8,0> (range 0 .. 0.99609375)`);
  });

  it('STOCH rounding, from the unit or from the defaults, at the unit', () => {
    const p = write(edit('        output: ufixed<9,1>\n', '        output: ufixed<9,1>\n        rounding: STOCH\n'));
    expect(errorOf(p)).toBe(`${p}:13:9: layers.0.units.2: softmax does not support STOCH rounding (the division exp/sum has no binary remainder); use a deterministic mode`);
    const q = write(`defaults: {rounding: TRN}\n${BASE}`);
    expect(errorOf(q, ['defaults.rounding=STOCH'])).toMatch(/^\S+:14:9: layers\.0\.units\.2: softmax does not support STOCH rounding/);
  });

  it('bad keys and precisions', () => {
    const p = write(edit('        output: ufixed<9,1>\n', '        output: ufixed<9,1>\n        exp_frac: 0\n'));
    expect(errorOf(p)).toBe(`${p}:15:19: layers.0.units.2.exp_frac: must be >= 1, got 0`);
    const q = write(edit('        output: ufixed<9,1>\n', '        output: ufixed<9,1>\n        log2e_frac: 65\n'));
    expect(errorOf(q)).toBe(`${q}:15:21: layers.0.units.2.log2e_frac: must be <= 64, got 65`);
    const r = write(edit('        output: ufixed<9,1>\n', '        output: ufixed<9,1>\n        by: 3\n'));
    expect(errorOf(r)).toBe(`${r}:15:9: layers.0.units.2.by: unknown key 'by' (expected one of kind, name, output, log2e_frac, exp_frac, rounding, overflow, n_bits)`);
    const s = write(edit('        output: ufixed<9,1>\n', ''));
    expect(errorOf(s)).toBe(`${s}:13:9: layers.0.units.2.output: missing required key 'output'`);
  });
});

describe('configs/iris/softmax-ce.yaml', () => {
  it('loads: Iris 4-3, fixed<16,4> datapath, softmax into ufixed<17,1>, loss softmax_ce, dataset iris', () => {
    const { datapath: dp, config, resolved } = loadConfig('configs/iris/softmax-ce.yaml');
    expect(dp.model).toMatchObject({ name: 'iris-4-3', inputs: 4, layers: [{ size: 3 }] });
    const f16 = { signed: true, width: 16, frac: 12 };
    expect(dp.input).toEqual({ format: f16, range: [0, 7.9], rounding: 'RND_CONV' });
    const [l] = dp.layers;
    expect(l.weights).toEqual({ format: f16, overflow: 'SAT', nBits: 0 });
    expect(l.bias).toEqual({ format: f16, overflow: 'SAT', nBits: 0 });
    expect(l.mac.spec.acc).toEqual({ signed: true, width: 32, frac: 24 });
    expect(l.post.map((u) => u.kind)).toEqual(['shift', 'softmax']);
    const sm = l.post[1] as SoftmaxUnit;
    expect(sm.spec.input).toEqual(f16);
    expect(sm.spec.output).toEqual({ signed: false, width: 17, frac: 16 });
    expect(sm.spec.modes).toEqual({ rounding: 'RND_CONV', overflow: 'SAT', nBits: 0 });
    expect(config.training).toMatchObject({ loss: 'softmax_ce', lr_shift: 6 });
    expect(config.dataset).toEqual({ name: 'iris', test_fraction: 0.2, split_seed: 1 });
    expect(loadConfig(write(stringify(resolved))).resolved).toEqual(resolved);
  });
});
