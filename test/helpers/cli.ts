import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project root and the real executable, for end-to-end tests (a spawn costs ~0.3 s: keep them few). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../src/cli/fxsim.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run fxsim with args (from `cwd`, default the project root). `stdin` pieces are written one by one
 * with a pause between, so they arrive as separate chunks; without pieces stdin is closed at once.
 */
export function runFxsim(args: string[], opts: { cwd?: string; stdin?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the CLI may exit before reading everything
    (async () => {
      for (const piece of opts.stdin ?? []) {
        child.stdin.write(piece);
        await new Promise((r) => setTimeout(r, 25));
      }
      child.stdin.end();
    })().catch(reject);
  });
}
