// The sweep worker thread's entry: a worker thread does not inherit the main thread's tsx
// loader, so register it here before loading the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const { default: sweepWorker } = await import('./worker.ts');
export default sweepWorker;
