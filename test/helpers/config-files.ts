import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { inputErrorOf } from './input-error.ts';

/**
 * Config files for error tests: `write` a text into the directory (given lazily: tests create it
 * in beforeAll), `edit` a base text (the edited part must exist).
 */
export function configFiles(dir: () => string, base: string) {
  let n = 0;
  return {
    write(text: string, name = `c${++n}.yaml`): string {
      const p = join(dir(), name);
      writeFileSync(p, text);
      return p;
    },
    edit(from: string, to: string): string {
      expect(base).toContain(from);
      return base.replace(from, to);
    },
    /** The one-line message loading the config throws. */
    errorOf(path: string, sets: string[] = []): string {
      return inputErrorOf(() => loadConfig(path, sets));
    },
  };
}
