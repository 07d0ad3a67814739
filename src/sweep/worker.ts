import type { PreparedSamples } from '../train/run.ts';
import { trainRun, type RunOutcome, type RunTask } from './train-run.ts';

/** The piscina task of a sweep worker thread. The cache lives as long as the thread. */
const cache = new Map<string, PreparedSamples>();

export default function sweepWorker(task: RunTask): RunOutcome {
  return trainRun(task, cache);
}
