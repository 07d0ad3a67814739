import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_ID, configJsonSchema, configJsonSchemaText } from '../../src/config/json-schema.ts';

/** configs/fxsim.schema.json is generated (`npm run schema`), and every shipped config satisfies it. */

const COMMITTED = 'configs/fxsim.schema.json';

/** Every datapath config under configs/ (sweep files in configs/sweeps are another kind of file). */
function shippedConfigs(dir = 'configs'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (join(dir, e.name) === join('configs', 'sweeps') ? [] : shippedConfigs(join(dir, e.name))) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []);
}

// allowUnionTypes: `type: [number, string]` (params values) is plain JSON Schema; strict mode only asks to opt in
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(configJsonSchema());

describe('config JSON Schema', () => {
  it('the committed file is what `fxsim schema` generates (regenerate with npm run schema)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(configJsonSchemaText());
  });

  it('is draft 2020-12 with an id, a title and a description', () => {
    const s = configJsonSchema();
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.$id).toBe(CONFIG_SCHEMA_ID);
    expect(s.title).toBe('fxsim datapath config');
    expect(typeof s.description).toBe('string');
  });

  const configs = shippedConfigs();
  it('there are shipped configs', () => expect(configs.length).toBeGreaterThanOrEqual(3));

  it.each(configs)('%s satisfies it and points VS Code at it', (file) => {
    const text = readFileSync(file, 'utf8');
    const ok = validate(parse(text, { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const depth = file.split('/').length - 2; // configs/<dir>/x.yaml -> ../
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${'../'.repeat(depth)}fxsim.schema.json`);
  });

  it('accepts the input spellings: format strings, objects, mode names in any case with AP_ prefix and aliases', () => {
    const cfg = (input: unknown) => ({
      model: 'm.yaml', input,
      layers: [{ weights: { format: { signed: true, width: 8, frac: 7 } }, units: [{ kind: 'mac', acc: 'ap_fixed<32,19>', overflow: 'ap_sat' }] }],
    });
    for (const input of [
      { format: 'fixed<8,2>', rounding: 'RND_CONV' },
      { format: 'ap_ufixed<8,0,AP_RND,AP_SAT>', rounding: 'ap_rnd_conv' },
      { format: ' int<8> ', rounding: 'half_even' },
      { format: 'sc_fixed<16,6>', rounding: 'Convergent' },
    ]) {
      expect(validate(cfg(input)), JSON.stringify(validate.errors)).toBe(true);
    }
    for (const input of [{ format: 'fixd<8,2>' }, { format: 'fixed<8,2>', rounding: 'RND_CONVX' }, { format: 'fixed<8,2>', bogus: 1 }, { format: 8 }]) {
      expect(validate(cfg(input))).toBe(false);
    }
  });

  it('offers the canonical mode names for completion', () => {
    const rounding = (configJsonSchema() as any).properties.input.properties.rounding;
    expect(rounding.anyOf[0].enum).toContain('RND_CONV');
    const fmt = (configJsonSchema() as any).properties.input.properties.format;
    expect(fmt.anyOf[0].examples).toContain('ap_fixed<16,6,AP_RND_CONV,AP_SAT>');
  });
});
