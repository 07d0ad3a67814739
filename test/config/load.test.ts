import { configFiles } from '../helpers/config-files.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { FxInputError } from '../../src/core/errors.ts';
import { loadConfig, type LoadedConfig } from '../../src/config/load.ts';
import { modelSchema } from '../../src/config/schema.ts';

/**
 * The loader: every shipped config loads; every kind of mistake is one FxInputError line with the
 * exact file:line:col (1-based) and dotted key, or the --set argument that caused it.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fxsim-load-'));
  writeFileSync(join(dir, 'm.yaml'), 'inputs: 4\nlayers:\n  - size: 3\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// line numbers matter: the expected positions below are counted in this text
const BASE = [
  'model: m.yaml', //                 1
  'input:', //                        2
  '  format: fixed<8,2>', //          3
  '  range: [0, 1]', //               4
  'layers:', //                       5
  '  - weights:', //                  6
  '      format: fixed<8,1>', //      7
  '    units:', //                    8
  '      - kind: mac', //             9
  '        acc: fixed<32,19>', //     10
  '      - kind: shift', //           11
  '        by: 7', //                 12
  '        output: fixed<8,2>', //    13
  '      - kind: activation', //      14
  '        function: relu', //        15
  'training:', //                     16
  '  lr_shift: 4', //                 17
].join('\n') + '\n';

const { write, edit, errorOf } = configFiles(() => dir, BASE);

const MODES = 'TRN, TRN_ZERO, TRN_INF, TRN_AWAY, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV, RND_CONV_ODD, STOCH';

describe('shipped configs', () => {
  const load = (p: string): LoadedConfig => loadConfig(p);

  it('the study config is notebook In [384] exactly', () => {
    const { datapath: dp, model } = load('configs/study/mnist-f20-lr10.yaml');
    const s64 = (frac: number) => ({ signed: true, width: 64, frac });
    expect(model).toEqual({ name: 'mnist-784-10', description: expect.any(String), inputs: 784, layers: [{ size: 10 }] });
    expect(dp.input).toEqual({ format: s64(20), range: [0, 1], rounding: 'TRN' });
    expect(dp.layers).toHaveLength(1);
    const [l] = dp.layers;
    expect(l.fanIn).toBe(784);
    expect(l.size).toBe(10);
    expect(l.weights).toEqual({ format: s64(20), overflow: 'WRAP', nBits: 0 });
    expect(l.bias).toBeUndefined();
    expect(l.mac.spec).toMatchObject({ input: s64(20), weight: s64(20), acc: s64(40), accOverflow: 'WRAP', accNBits: 0 });
    expect(l.mac.spec.product).toBeUndefined();
    expect(l.post.map((u) => u.kind)).toEqual(['shift', 'activation']);
    const [shift, act] = l.post;
    expect(shift.kind === 'shift' && shift.spec.shift).toBe(20);
    expect(shift.spec.output).toEqual(s64(20));
    expect(shift.spec.modes).toEqual({ rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    expect(act.kind === 'activation' && act.spec.def.name).toBe('relu');
    expect(act.spec.output).toEqual(s64(20));
    expect(act.spec.modes).toEqual({ rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    expect(l.output).toEqual(s64(20));
    expect(dp.lrShift).toBe(10);
    expect(dp.target).toBe(1);
  });

  it('the int8 config: int8 x int8 -> int32 SAT, RND_CONV + SAT back to int8, ReLU, 784-128-10', () => {
    const { datapath: dp } = load('configs/inference/int8-int32-sat.yaml');
    expect(dp.model.inputs).toBe(784);
    expect(dp.layers.map((l) => l.size)).toEqual([128, 10]);
    expect(dp.input.format).toEqual({ signed: true, width: 8, frac: 6 });
    for (const l of dp.layers) {
      expect(l.weights).toEqual({ format: { signed: true, width: 8, frac: 7 }, overflow: 'SAT', nBits: 0 });
      expect(l.mac.spec.acc).toEqual({ signed: true, width: 32, frac: 13 });
      expect(l.mac.spec.accOverflow).toBe('SAT');
      const [shift, act] = l.post;
      expect(shift.kind === 'shift' && shift.spec.shift).toBe(7);
      expect(shift.spec.output).toEqual({ signed: true, width: 8, frac: 6 });
      expect(shift.spec.modes).toEqual({ rounding: 'RND_CONV', overflow: 'SAT', nBits: 0 });
      expect(act.kind === 'activation' && act.spec.def.name).toBe('relu');
    }
    expect(dp.lrShift).toBeUndefined();
  });

  it('the hls4ml config: ap_fixed spellings, modes from the spelling, merge key for layer 2', () => {
    const { datapath: dp } = load('configs/hls4ml/ap-fixed-16-6.yaml');
    const f16 = { signed: true, width: 16, frac: 10 };
    expect(dp.input.format).toEqual(f16);
    expect(dp.layers.map((l) => l.name)).toEqual(['dense_1', 'dense_2']);
    for (const l of dp.layers) {
      expect(l.weights).toEqual({ format: f16, overflow: 'WRAP', nBits: 0 });
      expect(l.mac.spec.acc).toEqual({ signed: true, width: 32, frac: 20 });
      expect(l.mac.spec.accOverflow).toBe('WRAP');
      const [shift, act] = l.post;
      expect(shift.kind === 'shift' && shift.spec.shift).toBe(10);
      expect(shift.spec.output).toEqual(f16);
      expect(shift.spec.modes).toEqual({ rounding: 'RND_CONV', overflow: 'SAT', nBits: 0 });
      expect(act.spec.output).toEqual(f16);
      expect(act.spec.modes).toEqual({ rounding: 'TRN', overflow: 'WRAP', nBits: 0 });
    }
  });

  it.each(['configs/study/mnist-f20-lr10.yaml', 'configs/inference/int8-int32-sat.yaml', 'configs/hls4ml/ap-fixed-16-6.yaml'])(
    'the resolved config of %s reloads to the same datapath', (p) => {
      const a = load(p);
      const again = loadConfig(write(stringify(a.resolved)));
      expect(again.resolved).toEqual(a.resolved);
      // the parts of the datapath a run depends on
      const shape = (x: LoadedConfig) => ({
        input: x.datapath.input, model: x.datapath.model, lrShift: x.datapath.lrShift, target: x.datapath.target,
        layers: x.datapath.layers.map((l) => ({
          name: l.name, fanIn: l.fanIn, size: l.size, weights: l.weights, bias: l.bias, input: l.input, output: l.output,
          mac: l.mac.spec, post: l.post.map((u) => ({ kind: u.kind, ...u.spec, def: 'def' in u.spec ? u.spec.def.name : undefined })),
        })),
      });
      expect(shape(again)).toEqual(shape(a));
      expect(a.resolved.model).toEqual(a.model); // inlined
      expect(a.source.startsWith('# yaml-language-server: $schema=../fxsim.schema.json\n')).toBe(true);
    });

  it.each(['mnist-784-10', 'mnist-784-128-10', 'iris-4-3'])('models/%s.yaml is a valid model', (name) => {
    const text = readFileSync(`models/${name}.yaml`, 'utf8');
    const m = modelSchema.parse(parse(text));
    expect(m.name).toBe(name);
    expect([m.inputs, ...m.layers.map((l) => l.size)].join('-')).toBe(name.replace(/^[a-z]+-/, ''));
  });

  it('resolved fills in every default: names, modes, random source', () => {
    const r = loadConfig(write(BASE)).resolved;
    expect(r.name).toBe('datapath');
    expect(r.input).toEqual({ format: 'fixed<8,2>', range: [0, 1], rounding: 'TRN' });
    expect(r.random).toEqual({ kind: 'lfsr', width: 32, taps: [32, 22, 2, 1], seed: 1 });
    expect(r.model).toEqual({ inputs: 4, layers: [{ size: 3 }] });
    expect(r.layers[0].units).toEqual([
      { kind: 'mac', name: 'L0.mac', acc: 'fixed<32,19>', overflow: 'WRAP', n_bits: 0 },
      { kind: 'shift', name: 'L0.shift1', by: 7, output: 'fixed<8,2>', rounding: 'TRN', overflow: 'WRAP', n_bits: 0 },
      { kind: 'activation', name: 'L0.relu', function: 'relu', output: 'fixed<8,2>', rounding: 'TRN', overflow: 'WRAP', n_bits: 0 },
    ]);
    expect(r.training).toMatchObject({ lr_shift: 4, target: 1 });
  });
});

describe('errors: file:line:col: key: message', () => {
  it('malformed YAML', () => {
    const p = write(edit('range: [0, 1]', 'range: [0, 1'));
    expect(errorOf(p)).toBe(`${p}:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]`);
    const q = write(edit('  range:', '\trange:'));
    expect(errorOf(q)).toBe(`${q}:4:1: Tabs are not allowed as indentation`);
    const d = write(BASE + 'training: {lr_shift: 3}\n');
    expect(errorOf(d)).toBe(`${d}:18:1: Map keys must be unique`);
  });

  it('unknown key at the top level points at the key', () => {
    const p = write(BASE + 'bogus: 1\n');
    expect(errorOf(p)).toMatch(new RegExp(`^${escape(p)}:18:1: bogus: unknown key 'bogus' \\(expected one of fxsim, name, description, model, `));
  });

  it('unknown key nested in a unit points at the key', () => {
    const p = write(edit('        by: 7\n', '        by: 7\n        roundng: RND\n'));
    expect(errorOf(p)).toBe(`${p}:13:9: layers.0.units.1.roundng: unknown key 'roundng' (expected one of kind, name, by, output, rounding, overflow, n_bits)`);
  });

  it('wrong type', () => {
    const p = write(edit('by: 7', 'by: seven'));
    expect(errorOf(p)).toBe(`${p}:12:13: layers.0.units.1.by: expected a number, got 'seven'`);
    const q = write(edit('by: 7', 'by: 1.5'));
    expect(errorOf(q)).toBe(`${q}:12:13: layers.0.units.1.by: expected an integer, got 1.5`);
    const r = write(edit('output: fixed<8,2>', 'output: 8'));
    expect(errorOf(r)).toMatch(new RegExp(`^${escape(r)}:13:17: layers.0.units.1.output: expected a string or a mapping, got 8 \\(A fixed-point format`));
  });

  it('bad format string', () => {
    const p = write(edit('output: fixed<8,2>', 'output: fixed<0,1>'));
    expect(errorOf(p)).toBe(`${p}:13:17: layers.0.units.1.output: bad format 'fixed<0,1>': format width must be an integer >= 1, got 0`);
    const q = write(edit('format: fixed<8,1>', 'format: fixd<8,1>'));
    expect(errorOf(q)).toBe(`${q}:7:15: layers.0.weights.format: bad format 'fixd<8,1>': expected fixed<W,I>, ufixed<W,I>, ap_fixed<W,I,Q,O,N>, int<W> or uint<W>`);
  });

  it('a format in a flow mapping split at its comma gets a hint', () => {
    const p = write(edit('  - weights:\n      format: fixed<8,1>', '  - weights: {format: fixed<8,1>}'));
    expect(errorOf(p)).toBe(
      `${p}:6:23: layers.0.weights.format: bad format 'fixed<8': expected fixed<W,I>, ufixed<W,I>, ap_fixed<W,I,Q,O,N>, int<W> or uint<W> (inside {...} or [...] YAML splits at commas: quote format strings, 'fixed<8,1>')`,
    );
    const q = write(edit('  - weights:\n      format: fixed<8,1>', '  - weights: {format: "fixed<8,1>", ufixed<8,0>}'));
    expect(errorOf(q)).toBe(`${q}:6:37: layers.0.weights.ufixed<8: unknown key 'ufixed<8' (expected one of format, overflow, n_bits) (inside {...} or [...] YAML splits at commas: quote format strings, 'fixed<8,1>')`);
  });

  it('unknown mode', () => {
    const p = write(edit('        by: 7\n', '        by: 7\n        rounding: RND_FOO\n'));
    expect(errorOf(p)).toBe(`${p}:13:19: layers.0.units.1.rounding: unknown rounding mode 'RND_FOO' (one of ${MODES})`);
    const q = write(edit('      format: fixed<8,1>', '      format: fixed<8,1>\n      overflow: SATURATE_PLEASE'));
    expect(errorOf(q)).toBe(`${q}:8:17: layers.0.weights.overflow: unknown overflow mode 'SATURATE_PLEASE' (one of SAT, SAT_ZERO, SAT_SYM, WRAP, WRAP_SM)`);
  });

  it('W < 1', () => {
    const p = write(edit('format: fixed<8,1>', 'format: {signed: true, width: 0, frac: 0}'));
    expect(errorOf(p)).toBe(`${p}:7:15: layers.0.weights.format: format width must be an integer >= 1, got 0`);
  });

  it('WRAP_SM on an unsigned format: at the overflow key, or at the register when the spelling carries it', () => {
    const p = write(edit('format: fixed<8,1>', 'format: ufixed<8,1>\n      overflow: WRAP_SM'));
    expect(errorOf(p)).toBe(`${p}:8:17: layers.0.weights.overflow: WRAP_SM overflow is defined for signed formats only`);
    const q = write(edit('format: fixed<8,1>', 'format: ufixed<8,1,TRN,WRAP_SM>'));
    expect(errorOf(q)).toBe(`${q}:7:7: layers.0.weights.overflow: WRAP_SM overflow is defined for signed formats only`);
  });

  it('MAC accumulator frac different from the product frac', () => {
    const p = write(edit('acc: fixed<32,19>', 'acc: fixed<32,12>'));
    expect(errorOf(p)).toBe(
      `${p}:10:14: layers.0.units.0.acc: accumulator fixed<32,12> has 20 fraction bits but the product w*x (fixed<8,1> x fixed<8,2>) has 13; make them equal (narrow with a product format or a shift unit)`,
    );
  });

  it('an input range the input format cannot hold', () => {
    const p = write(edit('range: [0, 1]', 'range: [0, 4]'));
    expect(errorOf(p)).toBe(`${p}:4:14: input.range.1: input range bound 4 does not fit fixed<8,2> (range -2 .. 1.984375)`);
  });

  it('a training target the output format cannot hold', () => {
    const p = write(edit('  lr_shift: 4', '  lr_shift: 4\n  target: 3'));
    expect(errorOf(p)).toBe(`${p}:14:9: layers.0.units.2: the training target 3 does not fit fixed<8,2> (range -2 .. 1.984375)`);
  });

  it('layer count different from the model', () => {
    const p = write(edit('model: m.yaml', 'model: {inputs: 4, layers: [{size: 3}, {size: 2}]}'));
    expect(errorOf(p)).toBe(`${p}:6:3: layers: the config has 1 layers but the model has 2`);
  });

  it('missing model file: at the config model key', () => {
    const p = write(edit('model: m.yaml', 'model: nope.yaml'));
    expect(errorOf(p)).toBe(`${p}:1:8: model: cannot read model file '${join(dir, 'nope.yaml')}': no such file`);
  });

  it('bad model: errors name the model file, or the inline model key', () => {
    writeFileSync(join(dir, 'bad-model.yaml'), 'name: bad\ninputs: 0\nlayers:\n  - size: 3\n');
    const p = write(edit('model: m.yaml', 'model: bad-model.yaml'));
    expect(errorOf(p)).toBe(`${join(dir, 'bad-model.yaml')}:2:9: inputs: must be >= 1, got 0`);
    writeFileSync(join(dir, 'bad-model2.yaml'), 'inputs: 4\nlayers:\n  - size: 3\n    bias: true\n');
    const q = write(edit('model: m.yaml', 'model: bad-model2.yaml'));
    expect(errorOf(q)).toBe(`${join(dir, 'bad-model2.yaml')}:4:5: layers.0.bias: unknown key 'bias' (expected one of size, name)`);
    writeFileSync(join(dir, 'bad-model3.yaml'), 'inputs: [4\n');
    const r = write(edit('model: m.yaml', 'model: bad-model3.yaml'));
    expect(errorOf(r)).toMatch(new RegExp(`^${escape(join(dir, 'bad-model3.yaml'))}:2:1: `));
    const s = write(edit('model: m.yaml', 'model: {inputs: 4, layers: [{size: 0}]}'));
    expect(errorOf(s)).toBe(`${s}:1:36: model.layers.0.size: must be >= 1, got 0`);
  });

  it('a missing key points at its mapping', () => {
    const p = write(edit('        acc: fixed<32,19>\n', ''));
    expect(errorOf(p)).toBe(`${p}:9:9: layers.0.units.0.acc: missing required key 'acc'`);
    const q = write(edit('      - kind: mac\n        acc', '      - acc'));
    expect(errorOf(q)).toBe(`${q}:9:9: layers.0.units.0.kind: missing required key 'kind' (one of mac, shift, activation, softmax)`);
    const r = write(edit('kind: mac', 'kind: macc'));
    expect(errorOf(r)).toBe(`${r}:9:15: layers.0.units.0.kind: unknown kind 'macc' (one of mac, shift, activation, softmax)`);
  });

  it('an empty file or a non-mapping', () => {
    const p = write('');
    expect(errorOf(p)).toBe(`${p}:1:1: expected a mapping of keys, got nothing (null)`);
    const q = write('- 1\n');
    expect(errorOf(q)).toBe(`${q}:1:1: expected a mapping of keys, got a list`);
  });

  it('a missing config file', () => {
    const p = join(dir, 'does-not-exist.yaml');
    expect(errorOf(p)).toBe(`cannot read config '${p}': no such file`);
  });
});

describe('--set', () => {
  it('overrides values before validation: numbers, format strings, list indexes', () => {
    const p = write(BASE);
    const { datapath: dp } = loadConfig(p, ['layers.0.units.1.by=8', 'input.format=fixed<16,4>', 'layers.0.units.0.acc=fixed<32,13>', 'training.lr_shift=8']);
    const shift = dp.layers[0].post[0];
    expect(shift.kind === 'shift' && shift.spec.shift).toBe(8);
    expect(dp.input.format).toEqual({ signed: true, width: 16, frac: 12 });
    expect(dp.layers[0].mac.spec.acc).toEqual({ signed: true, width: 32, frac: 19 });
    expect(dp.lrShift).toBe(8);
  });

  it('creates missing mappings and takes flow values', () => {
    const p = write(edit('training:\n  lr_shift: 4\n', ''));
    const { datapath: dp } = loadConfig(p, ['training.lr_shift=3', 'input.range=[0, 0.5]', 'layers.0.weights={format: "fixed<8,1>", overflow: SAT}']);
    expect(dp.lrShift).toBe(3);
    expect(dp.input.range).toEqual([0, 0.5]);
    expect(dp.layers[0].weights.overflow).toBe('SAT');
  });

  it('edits the model file content through model.*', () => {
    const p = write(BASE);
    expect(loadConfig(p, ['model.layers.0.size=5']).datapath.layers[0].size).toBe(5);
    expect(errorOf(p, ['model.inputs=0'])).toBe('--set model.inputs=0: must be >= 1, got 0');
  });

  it('a bad value is reported with the --set argument', () => {
    const p = write(BASE);
    expect(errorOf(p, ['layers.0.units.1.by=abc'])).toBe("--set layers.0.units.1.by=abc: expected a number, got 'abc'");
    expect(errorOf(p, ['layers.0.units.0.acc=fixed<32,12>'])).toBe(
      '--set layers.0.units.0.acc=fixed<32,12>: accumulator fixed<32,12> has 20 fraction bits but the product w*x (fixed<8,1> x fixed<8,2>) has 13; make them equal (narrow with a product format or a shift unit)',
    );
    expect(errorOf(p, ['input.range=[0, 1'])).toBe('--set input.range=[0, 1: bad value: Flow sequence must end with a ]');
  });

  it('an unknown key is reported like any other unknown key', () => {
    const p = write(BASE);
    expect(errorOf(p, ['layers.0.units.1.bogus=3'])).toBe(
      "--set layers.0.units.1.bogus=3: unknown key 'bogus' (expected one of kind, name, by, output, rounding, overflow, n_bits)",
    );
    expect(errorOf(p, ['nothere.x=3'])).toMatch(/^--set nothere\.x=3: nothere: unknown key 'nothere' \(expected one of fxsim, /);
    expect(errorOf(p, ['layers.3.name=x'])).toBe('--set layers.3.name=x: layers has 1 item(s): there is no index 3');
    expect(errorOf(p, ['layers'])).toBe('--set layers: expected key=value, e.g. --set training.lr_shift=8');
  });
});

describe('anchors and merge keys', () => {
  const TEXT = [
    'model: {inputs: 4, layers: [{size: 3}, {size: 2}]}', // 1
    'input: {format: "fixed<8,2>"}', //                     2
    'layers:', //                                           3
    '  - &layer', //                                        4
    '    weights: &w', //                                   5
    '      format: fixed<8,1>', //                          6
    '      overflow: SAT', //                               7
    '    units:', //                                        8
    '      - kind: mac', //                                 9
    '        acc: fixed<32,19>', //                        10
    '      - &shift', //                                   11
    '        kind: shift', //                              12
    '        by: 7', //                                    13
    '        output: fixed<8,2>', //                       14
    '  - <<: *layer', //                                   15
    '    name: second', //                                 16
    '    weights:', //                                     17
    '      <<: *w', //                                     18
    '      overflow: WRAP', //                             19
  ].join('\n') + '\n';

  it('aliases and << merges resolve; explicit keys override merged ones', () => {
    const { datapath: dp } = loadConfig(write(TEXT));
    expect(dp.layers.map((l) => l.name)).toEqual(['L0', 'second']);
    expect(dp.layers.map((l) => l.weights.overflow)).toEqual(['SAT', 'WRAP']);
    expect(dp.layers[1].weights.format).toEqual({ signed: true, width: 8, frac: 7 });
    expect(dp.layers[1].post[0].kind).toBe('shift');
  });

  it('an error inside merged content points at where it is written (the anchor)', () => {
    const p = write(TEXT.replace('        by: 7', '        by: x'));
    expect(errorOf(p)).toBe(`${p}:13:13: layers.0.units.1.by: expected a number, got 'x'`);
  });

  it('--set through an alias or a merge changes only that place', () => {
    const p = write(TEXT);
    const { datapath: dp } = loadConfig(p, ['layers.1.units.1.by=6', 'layers.1.weights.format=fixed<16,9>']);
    const by = (i: number) => { const u = dp.layers[i].post[0]; return u.kind === 'shift' ? u.spec.shift : undefined; };
    expect([by(0), by(1)]).toEqual([7, 6]);
    expect(dp.layers.map((l) => l.weights.format.width)).toEqual([8, 16]);
    expect(dp.layers.map((l) => l.weights.overflow)).toEqual(['SAT', 'WRAP']);
    // an error caused by an override but located in merged content points at where that content is written
    expect(errorOf(p, ['layers.1.weights.format=fixed<8,0>'])).toMatch(/^\S+:10:14: layers\.1\.units\.0\.acc: accumulator/);
  });

  it('--set at an anchor, or inside an anchored node, changes only that place; the aliases keep the old value', () => {
    const text = [
      'model: {inputs: 4, layers: [{size: 3}, {size: 2}]}',
      'input: {format: &f "fixed<8,2>"}',
      'layers:',
      '  - &layer',
      '    weights: {format: "fixed<8,1>"}',
      '    units:',
      '      - {kind: mac, acc: "fixed<32,19>"}',
      '      - {kind: shift, by: 7, output: *f}',
      '  - *layer',
    ].join('\n') + '\n';
    const p = write(text);
    // regression: replacing the anchored node left `*f` unresolved ("Unresolved alias")
    const a = loadConfig(p, ['input.format=fixed<10,4>']).datapath;
    expect(a.input.format.width).toBe(10);
    expect(a.layers.map((l) => l.post[0].ports.output.width)).toEqual([8, 8]);
    const b = loadConfig(p, ['layers.0.units.1.output=fixed<10,4>']).datapath;
    expect(b.layers.map((l) => l.post[0].ports.output.width)).toEqual([10, 8]);
    const c = loadConfig(p, ['layers.1.weights.format=fixed<16,9>']).datapath;
    expect(c.layers.map((l) => l.weights.format.width)).toEqual([8, 16]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('bad input found by fuzzing: one located line, never a hang or an internal error', () => {
  it('an unknown alias and a collection key are located', () => {
    const p = write(`${BASE}extra: *nope\n`);
    expect(errorOf(p)).toBe(`${p}:18:8: unknown alias *nope: no anchor &nope before it`);
    const q = write(`${BASE}? [a, b]\n: 1\n`);
    expect(errorOf(q)).toBe(`${q}:18:3: a key must be a plain value, not a list or a mapping`);
  });

  it('two YAML documents: said in the user\'s terms, in the file and in a --set', () => {
    const p = write(`${BASE}---\nb: 2\n`);
    expect(errorOf(p)).toBe(`${p}:18:1: a config is one YAML document: this one has a second after '---'`);
    expect(errorOf(write(BASE), ['training.lr_shift=1\n---\n2'])).toBe("--set training.lr_shift=1\\n---\\n2: bad value: a config is one YAML document: this one has a second after '---'");
  });

  it("an empty or non-mapping file is the file's problem, also with a --set", () => {
    const empty = write('');
    expect(errorOf(empty, ['training.steps=50'])).toBe(`${empty}:1:1: model: missing required key 'model'`);
    const scalar = write('just text\n');
    expect(errorOf(scalar, ['training.steps=50'])).toBe(`${scalar}: expected a mapping of keys at the top level`);
  });

  it('shift amounts, fraction bits and layer sizes are bounded (2^1e9-bit BigInts would hang)', () => {
    const p = write(BASE);
    expect(errorOf(p, ['training.lr_shift=1000000000'])).toBe('--set training.lr_shift=1000000000: must be <= 16384, got 1000000000');
    expect(errorOf(p, ['layers.0.units.1.by=-1000000000'])).toBe('--set layers.0.units.1.by=-1000000000: must be >= -16384, got -1000000000');
    expect(errorOf(p, ['input.format={signed: true, width: 8, frac: 100000}'])).toMatch(/format frac 100000 is outside the supported -16384\.\.16384/);
    expect(errorOf(p, ['model.layers.0.size=100000000'])).toBe('--set model.layers.0.size=100000000: 100000000 x 4 is 400000000 weights, more than fxsim holds in one layer (134217728)');
    expect(errorOf(p, ['model.layers.0.size=1000000000'])).toBe('--set model.layers.0.size=1000000000: must be <= 134217728, got 1000000000');
  });
});

describe('bad input found by the second fuzzing round', () => {
  it('names that would escape the output directory, or collide, are rejected where written', () => {
    const p = write(BASE);
    expect(errorOf(p, ['layers.0.name=../escaped'])).toMatch(/^--set layers\.0\.name=\.\.\/escaped: a layer name is letters, digits, _ and -/);
    expect(errorOf(p, ['name=../x'])).toMatch(/^--set name=\.\.\/x: a name is letters, digits/);
    expect(errorOf(p, ['layers.0.units.1.name=a/b'])).toMatch(/a unit name is letters, digits/);
    expect(errorOf(p, ['layers.0.units.1.name=dup', 'layers.0.units.2.name=dup'])).toBe("--set layers.0.units.2.name=dup: unit name 'dup' is used twice: names must differ (they name counters and tensors)");
    expect(errorOf(p, ['layers.0.units.1.name=fc.shift'])).toBe("--set layers.0.units.1.name=fc.shift: unit name 'fc.shift': the part before the dot must be this layer's name 'L0'");
    const two = write([
      'model: {inputs: 4, layers: [{size: 3, name: fc}, {size: 2, name: fc}]}',
      'input: {format: "fixed<8,2>"}',
      'layers:',
      '  - &layer',
      '    weights: {format: "fixed<8,1>"}',
      '    units: [{kind: mac, acc: "fixed<32,19>"}, {kind: shift, by: 7, output: "fixed<8,2>"}]',
      '  - *layer',
    ].join('\n') + '\n');
    expect(errorOf(two)).toBe(`${two}:1:66: model.layers.1.name: layer name 'fc' is already layer 0's: names must differ (they name files and tensors)`);
  });

  it('register n_bits, batch, window and init bounds are config errors with a location', () => {
    const p = write(BASE);
    expect(errorOf(p, ['layers.0.weights.n_bits=9', 'layers.0.weights.overflow=WRAP_SM'])).toBe('--set layers.0.weights.n_bits=9: n_bits 9 exceeds the format width 8');
    expect(errorOf(p, ['training.delta={n_bits: 30}'])).toBe('--set training.delta={n_bits: 30}: n_bits 30 exceeds the format width 9');
    // 2^32 + 2^12 passed a 32-bit `b & (b - 1)` power-of-two test
    expect(errorOf(p, ['training.batch=4294971392'])).toBe('--set training.batch=4294971392: must be <= 1073741824, got 4294971392');
    expect(errorOf(p, ['training.batch=6'])).toBe('--set training.batch=6: batch must be a power of two (the mean is a shift)');
    expect(errorOf(p, ['training.window=10000000000'])).toBe('--set training.window=10000000000: must be <= 134217728, got 10000000000');
    expect(errorOf(p, ['training.init={dist: uniform, low: 1, high: -1}'])).toMatch(/low must not exceed high/);
    expect(errorOf(p, ['training.update={product: {width: 5000}}'])).toMatch(/must be <= 4096/);
  });

  it('a FIFO is not read (it would block forever)', () => {
    const fifo = join(dir, 'fifo.yaml');
    try { execFileSync('mkfifo', [fifo]); } catch { return; } // no mkfifo: nothing to check
    expect(errorOf(fifo)).toBe(`cannot read config '${fifo}': not a regular file`);
  });
});
