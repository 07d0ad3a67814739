import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonErrorOffset, readManifest } from '../../src/golden/manifest.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const GOLDEN = join('golden', 'slice-stoch');
const tmp = mkdtempSync(join(tmpdir(), 'fxsim-manifest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A copy of the golden set whose manifest text is `edit` of the original. */
function edited(edit: (text: string) => string): { dir: string; file: string } {
  const dir = join(tmp, `g${n++}`);
  cpSync(GOLDEN, dir, { recursive: true });
  const file = join(dir, 'manifest.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return { dir, file };
}

describe('readManifest', () => {
  it('JSON syntax errors: file:line:col and the parser\'s words, on one line', () => {
    // a missing comma between two tensor lines: the next entry's opening brace
    const comma = edited((t) => t.replace(/\},\n(\s*)\{"order":3,/, '}\n$1{"order":3,'));
    const line = readFileSync(comma.file, 'utf8').split('\n').findIndex((l) => l.includes('{"order":3,')) + 1;
    expect(inputErrorOf(() => readManifest(comma.dir))).toBe(`${comma.file}:${line}:5: not valid JSON: Expected ',' or ']' after array element`);
    // V8 gives no position here, only a snippet with newlines in it
    const brace = edited((t) => t.replace('"mode": ', '"mode": }'));
    const bl = readFileSync(brace.file, 'utf8').split('\n').findIndex((l) => l.includes('"mode": }')) + 1;
    expect(inputErrorOf(() => readManifest(brace.dir))).toBe(`${brace.file}:${bl}:11: not valid JSON: Unexpected token '}'`);
    const cut = edited((t) => t.slice(0, 40));
    expect(inputErrorOf(() => readManifest(cut.dir))).toMatch(new RegExp(`^${cut.file}:\\d+:\\d+: not valid JSON: `));
    const empty = edited(() => '');
    expect(inputErrorOf(() => readManifest(empty.dir))).toBe(`${empty.file}:1:1: not valid JSON: Unexpected end of JSON input`);
  });

  it('a tensor entry without a field names the entry and the field', () => {
    const noName = edited((t) => t.replace(/\{"order":2,"name":"[^"]*",/, '{"order":2,'));
    expect(inputErrorOf(() => readManifest(noName.dir))).toBe(`${noName.file}: tensors[2]: no 'name' field`);
    const noSha = edited((t) => t.replace(/(\{"order":4,.*),"sha256":\{[^}]*\}\}/, '$1}'));
    expect(inputErrorOf(() => readManifest(noSha.dir))).toMatch(new RegExp(`^${noSha.file}: tensors\\[4\\] \\([^)]+\\): no 'sha256' field$`));
    const badName = edited((t) => t.replace(/("order":2,"name":)"[^"]*"/, '$1"../x"'));
    expect(inputErrorOf(() => readManifest(badName.dir))).toBe(`${badName.file}: tensors[2] (../x): bad name "../x"`);
  });
});

describe('jsonErrorOffset', () => {
  it('-1 exactly when JSON.parse accepts the text; where V8 gives a position, the same one', () => {
    const text = readFileSync(join(GOLDEN, 'manifest.json'), 'utf8').slice(0, 600);
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '1', '-', '.', 'e', ' ', '\n', 't', 'x', '\t'];
    fc.assert(
      fc.property(fc.nat(599), fc.nat(599), fc.constantFrom(...alphabet), fc.boolean(), (a, b, c, del) => {
        const s = del ? text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b)) : text.slice(0, a) + c + text.slice(a);
        let ok = true;
        let pos: number | undefined;
        try {
          JSON.parse(s);
        } catch (e) {
          ok = false;
          const m = /at position (\d+)/.exec((e as Error).message);
          pos = m ? Number(m[1]) : undefined;
        }
        const at = jsonErrorOffset(s);
        expect(at < 0).toBe(ok);
        if (pos !== undefined) expect(at).toBe(pos);
      }),
      { numRuns: 2000 },
    );
    expect(jsonErrorOffset(readFileSync(join(GOLDEN, 'manifest.json'), 'utf8'))).toBe(-1);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
  });
});
