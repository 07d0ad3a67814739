import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';

/** buildDatapath's cross-key checks, at the edges where float arithmetic would be wrong. */
describe('value-fits checks are exact', () => {
  const base = readFileSync('configs/study/mnist-f20-lr10.yaml', 'utf8').replace('../../models/', `${resolve('models')}/`);
  const write = (text: string) => {
    const p = join(mkdtempSync(join(tmpdir(), 'fxsim-build-')), 'c.yaml');
    writeFileSync(p, text);
    return p;
  };
  it('2^43 does not fit fixed<64,44> (max (2^63-1)/2^20), though 2^63-1 rounds to 2^63 in float64', () => {
    const p = write(base.replace('range: [0, 1]', 'range: [0, 8796093022208]'));
    expect(() => loadConfig(p)).toThrow(/input\.range\.1: input range bound 8796093022208 does not fit fixed<64,44> \(range -8796093022208 \.\. 8796093022207\.99999904632568359375\)/);
  });
  it('the largest representable value fits', () => {
    const p = write(base.replace('range: [0, 1]', 'range: [0, 8796093022207.99999904632568359375]'));
    // YAML reads the bound as a double (8796093022208 after rounding): the check sees what the user's number is
    expect(() => loadConfig(p)).toThrow(/does not fit/);
    const q = write(base.replace('range: [0, 1]', 'range: [-8796093022208, 8796093022207]'));
    expect(loadConfig(q).datapath.input.range).toEqual([-8796093022208, 8796093022207]);
  });
});
