import { inputError } from '../core/errors.ts';

/** Shard i of N (1-based i): the runs with run % N === i - 1. Shards need no coordination. */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard 3/8` -> { index: 3, count: 8 }; anything else is a one-line FxInputError. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    inputError(`expected i/N with 1 <= i <= N, e.g. --shard 1/8 (the first of 8 shards)`, `--shard ${text}`);
  }
  return { index, count };
}

export const inShard = (run: number, shard: Shard | undefined): boolean => !shard || run % shard.count === shard.index - 1;

export const shardName = (s: Shard): string => `shard-${s.index}-of-${s.count}`;

/** The run ids of a shard (all runs without one), ascending. */
export function shardRuns(totalRuns: number, shard: Shard | undefined): number[] {
  const out: number[] = [];
  for (let r = shard ? shard.index - 1 : 0; r < totalRuns; r += shard ? shard.count : 1) out.push(r);
  return out;
}
