import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutFile, makeOutDir, writeFileAtomic } from '../cli/io.ts';
import { FxInputError } from '../core/errors.ts';
import { encodeMemh } from '../io/hex.ts';
import { encodeNpy } from '../io/npy.ts';
import { MANIFEST_FILE, MANIFEST_SCHEMA, manifestText, readManifest, type Manifest, type ManifestTensor } from './manifest.ts';
import type { GoldenRecording } from './recorder.ts';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Files written at once; each write is atomic (temp file, fsync, rename). */
const PARALLEL = 16;

/**
 * Write a recording into `dir` (created if needed): for every tensor `<name>.hex` ($readmemh,
 * encodeMemh: two `//` header lines, `<name> shape=[..] format=fixed<W,I> (signed, W, F)` and the
 * word count and layout, then one W-bit
 * two's-complement word per line, row-major, ceil(W/4) hex digits, trailing newline) and
 * `<name>.npy` (encodeNpy: `<i8` for W <= 63, `<u8` for unsigned 64, the uint64 limb layout
 * beyond), then manifest.json last. Tensor files of an earlier manifest in `dir` that this one
 * no longer lists are removed (after the new manifest is in place).
 */
export async function writeGolden(dir: string, rec: GoldenRecording, version: string): Promise<Manifest> {
  makeOutDir(dir);
  // every file, before writing any: a set is not left half-written by a name taken by a directory
  for (const t of rec.tensors) for (const ext of ['hex', 'npy']) checkOutFile(join(dir, `${t.name}.${ext}`));
  checkOutFile(join(dir, MANIFEST_FILE));
  let old: Manifest | undefined;
  if (existsSync(join(dir, MANIFEST_FILE))) {
    try {
      old = readManifest(dir);
    } catch (e) {
      if (!(e instanceof FxInputError)) throw e; // an unreadable old manifest is simply replaced
    }
  }
  const entries: ManifestTensor[] = new Array(rec.tensors.length);
  const jobs = rec.tensors.map((t, order) => async () => {
    const hex = encodeMemh(t.values, t.format, { name: t.name, shape: t.shape });
    const npy = encodeNpy(t.values, t.shape, t.format);
    const hexFile = `${t.name}.hex`;
    const npyFile = `${t.name}.npy`;
    await writeFileAtomic(join(dir, hexFile), hex);
    await writeFileAtomic(join(dir, npyFile), npy);
    entries[order] = {
      order, name: t.name, phase: t.phase, step: t.step, layer: t.layer, unit: t.unit, stage: t.stage, shape: t.shape,
      signed: t.format.signed, width: t.format.width, frac: t.format.frac,
      hex: hexFile, npy: npyFile, sha256: { hex: sha256(hex), npy: sha256(npy) },
    };
  });
  for (let i = 0; i < jobs.length; i += PARALLEL) await Promise.all(jobs.slice(i, i + PARALLEL).map((j) => j()));
  const manifest: Manifest = {
    fxsim: version,
    schema: MANIFEST_SCHEMA,
    config: rec.config,
    mode: rec.mode,
    random: rec.random,
    inference: rec.inference,
    training: rec.training,
    init: rec.init,
    tensors: entries,
  };
  await writeFileAtomic(join(dir, MANIFEST_FILE), manifestText(manifest));
  if (old) {
    const keep = new Set(entries.flatMap((e) => [e.hex, e.npy]));
    for (const t of old.tensors) for (const f of [t.hex, t.npy]) if (!keep.has(f)) rmSync(join(dir, f), { force: true });
  }
  return manifest;
}
