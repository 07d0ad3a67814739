import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { CONFIGS_DIR, closeConfigNames, listConfigs, loadConfig, resolveConfigPath } from '../../src/config/load.ts';

/**
 * Config lookup by name: an argument that is not an existing file is a shipped config,
 * configs/<name>[.yaml] under the package root (from load.ts's own location, not the cwd).
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'fxsim-lookup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(arg: string): string {
  try {
    loadConfig(arg);
  } catch (e) {
    expect(e).toBeInstanceOf(FxInputError);
    return (e as Error).message;
  }
  throw new Error(`loading '${arg}' did not fail`);
}

describe('config lookup by name', () => {
  it('CONFIGS_DIR is the package configs/ directory', () => {
    expect(resolve(CONFIGS_DIR)).toBe(resolve(ROOT, 'configs'));
  });

  it('a name resolves to configs/<name>.yaml, .yaml optional, a leading configs/ accepted', () => {
    const file = join(CONFIGS_DIR, 'study', 'mnist-f16-lr3.yaml');
    for (const arg of ['study/mnist-f16-lr3', 'study/mnist-f16-lr3.yaml', 'configs/study/mnist-f16-lr3']) {
      expect(resolve(resolveConfigPath(arg))).toBe(resolve(file));
    }
    const loaded = loadConfig('study/mnist-f16-lr3');
    expect(loaded.path).toBe(file);
    expect(loaded.datapath.name).toBe('mnist-f16-lr3');
    expect(loaded.model.inputs).toBe(784); // the model path is relative to the resolved file
  });

  it('does not depend on the working directory', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(loadConfig('study/mnist-f20-lr10').path).toBe(join(CONFIGS_DIR, 'study', 'mnist-f20-lr10.yaml'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('an existing file wins over a shipped name', () => {
    const p = join(dir, 'mine.yaml');
    writeFileSync(p, 'name: mine\nmodel: {inputs: 2, layers: [{size: 2}]}\ninput: {format: "fixed<8,2>"}\nlayers:\n  - weights: {format: "fixed<8,1>"}\n    units: [{kind: mac, acc: "fixed<32,19>"}]\n');
    expect(resolveConfigPath(p)).toBe(p);
    expect(loadConfig(p).datapath.name).toBe('mine');
  });

  it('neither a file nor a shipped name: one line, "cannot read config", the close names', () => {
    const msg = errorOf('study/mnist-f16-lr');
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/^cannot read config 'study\/mnist-f16-lr': no such file/);
    expect(msg).toContain('did you mean study/mnist-f16-lr');
    expect(msg).toContain('fxsim configs');
    expect(errorOf('mnist-f20-lr10')).toContain('did you mean study/mnist-f20-lr10'); // same last segment first
    expect(errorOf('zzzz-qqqq')).toMatch(/^cannot read config 'zzzz-qqqq': no such file, nor a shipped config of that name; `fxsim configs` lists the \d+ shipped configs$/);
  });

  it('an absolute path is never looked up; a directory is reported as before', () => {
    expect(errorOf(join(dir, 'absent.yaml'))).toBe(`cannot read config '${join(dir, 'absent.yaml')}': no such file`);
    expect(errorOf(dir)).toBe(`cannot read config '${dir}': is a directory`);
  });

  it('closeConfigNames ranks the same last segment, then containment, then edit distance', () => {
    const names = ['study/mnist-f12-lr3', 'study/mnist-f16-lr3', 'mlp/mnist-784-128-10', 'iris/softmax-ce'];
    expect(closeConfigNames('mnist-f16-lr3', names)[0]).toBe('study/mnist-f16-lr3');
    expect(closeConfigNames('study/mnist-f61-lr3', names)).toContain('study/mnist-f16-lr3');
    expect(closeConfigNames('iris/softmax', names)).toEqual(['iris/softmax-ce']);
    expect(closeConfigNames('qqqqqqqq', names)).toEqual([]);
  });
});

describe('listConfigs', () => {
  it('lists every shipped .yaml by name, sorted, with its description', () => {
    const list = listConfigs();
    const names = list.map((c) => c.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('study/mnist-f20-lr10');
    expect(names).toContain('mlp/mnist-784-128-10');
    expect(names.some((n) => n.includes('schema'))).toBe(false);
    const study = list.find((c) => c.name === 'study/mnist-f20-lr10')!;
    expect(study.path).toBe(join(CONFIGS_DIR, 'study', 'mnist-f20-lr10.yaml'));
    expect(study.description).toMatch(/In \[384\]/);
    // every listed name loads by that name
    for (const c of list) expect(resolve(resolveConfigPath(c.name))).toBe(resolve(c.path));
  });

  it('a directory that does not exist lists nothing', () => {
    expect(listConfigs(join(dir, 'none'))).toEqual([]);
  });
});
