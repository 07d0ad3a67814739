import { Piscina } from 'piscina';
import type { PreparedSamples } from '../train/run.ts';
import { trainRun, type RunOutcome, type RunTask } from './train-run.ts';

/** Where runs train: in this thread, or in a pool of worker threads. */
export interface RunExecutor {
  readonly threads: number;
  run(task: RunTask): Promise<RunOutcome>;
  close(): Promise<void>;
}

/** One run at a time in this thread (no thread start-up cost; the dataset cache is this executor's). */
export function inProcessExecutor(): RunExecutor {
  const cache = new Map<string, PreparedSamples>();
  return {
    threads: 1,
    run: async (task) => {
      // let timers and I/O callbacks run between two (synchronous) trainings
      await new Promise((r) => setImmediate(r));
      return trainRun(task, cache);
    },
    close: async () => undefined,
  };
}

/** `threads` worker threads, each with its own dataset cache. A crashed worker is an internal-error outcome. */
export function poolExecutor(threads: number): RunExecutor {
  const pool = new Piscina<RunTask, RunOutcome>({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  return {
    threads,
    run: (task) => pool.run(task).catch((e: unknown): RunOutcome => {
      const err = e instanceof Error ? e : new Error(String(e));
      return { ok: false, run: task.run, input: false, message: `worker thread: ${err.message}`, stack: err.stack };
    }),
    close: () => pool.destroy(),
  };
}
