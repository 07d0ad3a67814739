import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WASM_PATH, assembleKernel } from '../../../src/train/fused/assemble.ts';

describe('the committed kernel binary', () => {
  it('is the assembled sgd64.wat (after editing the text, run npm run wasm)', async () => {
    expect(Buffer.from(await assembleKernel()).equals(readFileSync(WASM_PATH))).toBe(true);
  });
});
