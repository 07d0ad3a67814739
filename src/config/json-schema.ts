import { z } from 'zod';
import { OVERFLOW_MODES, QUANT_MODES } from '../core/modes.ts';
import { configSchema, formatSchema, overflowMode, quantMode } from './schema.ts';

/**
 * The JSON Schema (draft 2020-12) of a config file as written, for editors: VS Code's YAML
 * extension completes and checks a config that starts with
 *   # yaml-language-server: $schema=../fxsim.schema.json
 * It is the INPUT side of the zod schema (io: 'input': format strings and mode names, before the
 * transforms that parse them; keys with defaults are optional). On top of what zod emits, format
 * strings get a pattern and examples, and mode names an enum for completion plus a
 * case-insensitive pattern that accepts exactly what the parsers accept (AP_/SC_ prefixes,
 * aliases). configs/fxsim.schema.json is generated from this by `fxsim schema --out ...`.
 */

export const CONFIG_SCHEMA_ID = 'urn:fxsim:schema:config:1';

/** A regex source that matches `word` in any letter case (JSON Schema patterns have no flags). */
const anyCase = (word: string) => [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');

/** Names as the mode parsers accept them: trimmed, any case, optional AP_/SC_ prefix, or an alias. */
function modePattern(table: Record<string, readonly string[]>): string {
  const names = Object.entries(table).flatMap(([name, aliases]) => [name, ...aliases]);
  // longest first, so that alternatives sharing a prefix are not cut short (irrelevant with ^$, but clearer)
  names.sort((a, b) => b.length - a.length);
  return `^\\s*(?:${anyCase('ap_')}|${anyCase('sc_')})?(?:${names.map(anyCase).join('|')})\\s*$`;
}

/** The format-string shapes parse-format.ts accepts (its arguments are checked by the loader). */
const FORMAT_PATTERN = `^\\s*(?:${anyCase('ap_')}|${anyCase('sc_')})?[Uu]?(?:${anyCase('fixed')}|${anyCase('int')})\\s*<[^>]*>\\s*$`;
const FORMAT_EXAMPLES = ['fixed<16,6>', 'ufixed<8,0>', 'ap_fixed<16,6,AP_RND_CONV,AP_SAT>', 'int<8>'];

type Json = Record<string, unknown>;

/** A value written as one params expression, e.g. `${F}` or `${64 - 2*F}` (src/config/params.ts). */
const PARAM_VALUE: Json = { type: 'string', pattern: '^\\s*\\$\\{[^}]*\\}\\s*$', description: 'a ${...} expression over params' };

export function configJsonSchema(): Json {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const defOf = (s: any) => s._zod.def;
  const schema = z.toJSONSchema(configSchema, {
    io: 'input',
    // a transform or another type JSON Schema cannot express becomes `{}` instead of an exception
    unrepresentable: 'any',
    override: (ctx) => {
      const def = defOf(ctx.zodSchema);
      const js = ctx.jsonSchema as Json;
      if (def === defOf(formatSchema)) {
        const str = (js.anyOf as Json[] | undefined)?.find((b) => b.type === 'string');
        if (str) Object.assign(str, { pattern: FORMAT_PATTERN, examples: FORMAT_EXAMPLES });
      } else if (def === defOf(quantMode) || def === defOf(overflowMode)) {
        const table = def === defOf(quantMode) ? QUANT_MODES : OVERFLOW_MODES;
        js.anyOf = [{ enum: Object.keys(table) }, { pattern: modePattern(table) }, PARAM_VALUE];
      } else if (js.type === 'integer' || js.type === 'number') {
        // a number may be written as a params expression: by: ${F}
        const inner = { ...js };
        for (const k of Object.keys(js)) delete js[k];
        if (inner.description) js.description = inner.description;
        delete inner.description;
        js.anyOf = [inner, PARAM_VALUE];
      }
    },
  }) as Json;
  /* eslint-enable @typescript-eslint/no-explicit-any */
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: CONFIG_SCHEMA_ID,
    title: 'fxsim datapath config',
    description:
      'A fixed-width integer NN datapath for fxsim: input format, per-layer weight registers and units (MAC, shift, activation) with their formats and SystemC/ap_fixed quantization and overflow modes, optional training settings.',
    ...rest,
  };
}

/** The schema as committed: two-space JSON with a trailing newline. */
export const configJsonSchemaText = (): string => JSON.stringify(configJsonSchema(), null, 2) + '\n';
