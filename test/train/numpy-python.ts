/**
 * Running the numpy oracles of test/train/fixtures/ from the tests.
 *
 * Python discovery: `python3` if it can `import numpy`, else `/usr/bin/python3`. Without numpy a
 * test that needs it fails under CI (process.env.CI set) and is skipped elsewhere, both with
 * NUMPY_REQUIRED as the message.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { decodeNpy } from '../../src/io/npy.ts';

export const NUMPY_REQUIRED = 'numpy is required (apt-get install python3-numpy)';
export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

let found: string | null | undefined;

/** The first Python that can import numpy, or undefined. */
export function numpyPython(): string | undefined {
  if (found === undefined) {
    found = null;
    for (const py of ['python3', '/usr/bin/python3']) {
      const r = spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' });
      if (r.status === 0) {
        found = py;
        break;
      }
    }
  }
  return found ?? undefined;
}

/** The numpy Python for a test; without one: fail under CI, skip otherwise. */
export function needNumpy(ctx: TestContext): string {
  const py = numpyPython();
  if (py) return py;
  if (process.env.CI) throw new Error(NUMPY_REQUIRED);
  return ctx.skip(NUMPY_REQUIRED);
}

/** Run a fixture script; a non-zero exit throws with Python's stderr. */
export function runFixture(py: string, script: string, args: string[]): void {
  const r = spawnSync(py, [join(FIXTURES, script), ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${py} ${script} exited with ${r.status}:\n${r.stderr}`);
}

/** An int64 .npy file as bigints (row-major) with its shape. */
export function readInt64Npy(path: string): { shape: number[]; values: bigint[] } {
  const d = decodeNpy(readFileSync(path), path);
  if (d.dtype !== '<i8') throw new Error(`${path}: expected dtype <i8, got ${d.dtype}`);
  return { shape: d.shape, values: d.values as bigint[] };
}

/** A float64 .npy file with its shape. */
export function readFloat64Npy(path: string): { shape: number[]; values: Float64Array } {
  const d = decodeNpy(readFileSync(path), path);
  if (d.dtype !== '<f8') throw new Error(`${path}: expected dtype <f8, got ${d.dtype}`);
  return { shape: d.shape, values: d.values as Float64Array };
}
