/**
 * Assemble the kernel's text (sgd64.wat) into the committed binary (sgd64.wasm) with wabt:
 * `npm run wasm`. Run time loads only the binary; a test checks it matches the text.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WAT_PATH = fileURLToPath(new URL('./sgd64.wat', import.meta.url));
export const WASM_PATH = fileURLToPath(new URL('./sgd64.wasm', import.meta.url));

export async function assembleKernel(): Promise<Uint8Array> {
  const wabt = await (await import('wabt')).default();
  const mod = wabt.parseWat('sgd64.wat', readFileSync(WAT_PATH, 'utf8'), { multi_value: true });
  try {
    mod.validate();
    return mod.toBinary({ log: false, write_debug_names: true }).buffer;
  } finally {
    mod.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await assembleKernel().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
  writeFileSync(WASM_PATH, bytes);
  console.log(`${WASM_PATH}: ${bytes.length} bytes`);
}
