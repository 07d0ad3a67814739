import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listConfigs } from '../../src/config/load.ts';

/** `fxsim configs` through the real executable, from another working directory (one spawn, ~0.3 s). */
const BIN = fileURLToPath(new URL('../../src/cli/fxsim.js', import.meta.url));

describe('fxsim configs (spawned)', () => {
  it('prints each shipped config name and description, one per line', async () => {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'configs'], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const list = listConfigs();
    expect(lines).toHaveLength(list.length);
    lines.forEach((line, i) => {
      expect(line.startsWith(list[i].name + ' ')).toBe(true);
      expect(line.endsWith(list[i].description ?? '')).toBe(true);
    });
    expect(r.stdout).toMatch(/^study\/mnist-f20-lr10 +Integer training study/m);
  });
});
