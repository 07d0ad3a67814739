import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { evalParamExpr, substitute } from '../../src/config/params.ts';
import { formatName } from '../../src/core/format.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'fxsim-params-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('params expressions', () => {
  it('evaluates arithmetic with the usual precedence', () => {
    const p = { F: 20, W: 64, R: 'RND_CONV' };
    expect(evalParamExpr('64 - 2*F', p)).toBe(24);
    expect(evalParamExpr('(W - F) * 2 + -F', p)).toBe(68);
    expect(evalParamExpr('F // 3', p)).toBe(6);
    expect(evalParamExpr('-7 // 2', p)).toBe(-4);
    expect(evalParamExpr('-7 % 2', p)).toBe(1);
    expect(evalParamExpr('F / 4', p)).toBe(5);
    expect(evalParamExpr('min(F, 16, W) + max(1, 2)', p)).toBe(18);
    expect(evalParamExpr('R', p)).toBe('RND_CONV');
  });
  it('agrees with integer arithmetic on random expressions a - b*c and a // b', () => {
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), (a, b, c) => {
      expect(evalParamExpr('a - b*c', { a, b, c })).toBe(a - b * c);
      if (b !== 0) expect(evalParamExpr('a // b', { a, b })).toBe(Math.floor(a / b));
    }));
  });
  it('refuses what it cannot do exactly or does not know, with a reason', () => {
    expect(() => evalParamExpr('F / 3', { F: 20 })).toThrow('20 / 3 is not exact (use // to floor)');
    expect(() => evalParamExpr('G + 1', { F: 20 })).toThrow("unknown parameter 'G' (params has F)");
    expect(() => evalParamExpr('R + 1', { R: 'TRN' })).toThrow("the left operand of + is the string 'TRN', not a number");
    expect(() => evalParamExpr('F +', { F: 1 })).toThrow('ends too early');
    expect(() => evalParamExpr('F $ 2', { F: 1 })).toThrow("unexpected '$'");
    expect(() => evalParamExpr('sqrt(F)', { F: 1 })).toThrow("unknown function 'sqrt'");
    expect(() => evalParamExpr('F // 0', { F: 1 })).toThrow('division by zero');
  });
  it('a whole-string ${...} gives its value; otherwise results are spliced into the string', () => {
    expect(substitute('${F}', { F: 12 })).toBe(12);
    expect(substitute(' ${F + 1} ', { F: 12 })).toBe(13);
    expect(substitute('fixed<64,${64 - F}>', { F: 12 })).toBe('fixed<64,52>');
    expect(substitute('ap_fixed<${W},${W - F},${R}>', { W: 16, F: 10, R: 'AP_RND' })).toBe('ap_fixed<16,6,AP_RND>');
    expect(() => substitute('fixed<64,${64 - F>', { F: 1 })).toThrow("unclosed '${'");
  });
});

describe('params in configs', () => {
  it('--set params.F moves every register of the study config at once', () => {
    const base = loadConfig('study/mnist-f20-lr10');
    const f12 = loadConfig('study/mnist-f20-lr10', ['params.F=12']);
    const fmts = (l: typeof base) => {
      const layer = l.datapath.layers[0];
      return [l.datapath.input.format, layer.weights.format, layer.mac.spec.acc, ...layer.post.map((u) => u.ports.output)].map(formatName);
    };
    expect(fmts(base)).toEqual(['fixed<64,44>', 'fixed<64,44>', 'fixed<64,24>', 'fixed<64,44>', 'fixed<64,44>']);
    expect(fmts(f12)).toEqual(['fixed<64,52>', 'fixed<64,52>', 'fixed<64,40>', 'fixed<64,52>', 'fixed<64,52>']);
    expect(f12.resolved.params).toEqual({ F: 12 });
  });
  it('the resolved config has the values written out, and loads to the same datapath', () => {
    const f12 = loadConfig('study/mnist-f20-lr10', ['params.F=12']);
    const path = join(dir, 'resolved.yaml');
    writeFileSync(path, stringify(f12.resolved));
    const again = loadConfig(path);
    expect(stringify(again.resolved)).toBe(stringify(f12.resolved));
    expect(JSON.stringify(f12.resolved)).not.toContain('${');
  });
  const write = (text: string) => {
    const p = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(p, text);
    return p;
  };
  const cfg = (params: string, by: string) => [
    'name: p',
    'model: { inputs: 2, layers: [{ size: 2 }] }',
    params,
    'input: { format: "fixed<16,8>" }',
    'layers:',
    '  - weights: { format: "fixed<16,8>" }',
    '    units:',
    '      - { kind: mac, acc: "fixed<40,24>" }',
    `      - { kind: shift, by: ${by}, output: "fixed<16,8>" }`,
    '',
  ].join('\n');
  it('errors name the file, line and column of the value, or the --set that wrote it', () => {
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { F: 8 }', '"${G}"'))))).toMatch(/\.yaml:9:28: '\$\{G\}': unknown parameter 'G' \(params has F\)$/);
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { F: 8 }', '"${F}"')), ['layers.0.units.1.by=${F // 0}']))).toBe("--set layers.0.units.1.by=${F // 0}: '${F // 0}': division by zero in ${F // 0}");
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { 2F: 8 }', '8'))))).toMatch(/:3:11: params\.2F: '2F' is not a parameter name/);
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { F: [1] }', '8'))))).toMatch(/:3:14: params\.F: a parameter is a number or a string$/);
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { F: "${G}" }', '8'))))).toMatch(/params\.F: a parameter cannot use other parameters$/);
    expect(inputErrorOf(() => loadConfig(write(cfg('params: 3', '8'))))).toMatch(/:3:9: params: must be a mapping/);
    // a substituted value that is wrong for its key is reported as that key's problem, where the
    // value is written, naming the --set that gave the parameter
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { F: 8 }', '"${F}"')), ['params.F=x']))).toMatch(/:9:28 \(with --set params\.F=x\): layers\.0\.units\.1\.by: expected (a number|an integer), got 'x'/);
    // a --set cannot add a parameter nothing uses (a typo: params.f for F)
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { F: 8 }', '"${F}"')), ['params.f=7']))).toBe("--set params.f=7: no value uses parameter 'f' (params has F): a --set changes a parameter, it does not add one");
    // names come from params only, not from JavaScript's object prototype
    expect(inputErrorOf(() => loadConfig(write(cfg('params: { F: 8 }', '"${constructor}"'))))).toMatch(/unknown parameter 'constructor' \(params has F\)/);
  });
  it('a config without params may still not use ${...}', () => {
    expect(inputErrorOf(() => loadConfig(write(cfg('', '"${F}"'))))).toMatch(/unknown parameter 'F' \(this config has no params section\)$/);
  });
});
