import { FxInputError } from '../core/errors.ts';
import { prepareTraining, type PreparedSamples } from '../train/run.ts';
import { train, type LayerMetrics, type TrainResult } from '../train/trainer.ts';

/** What a worker needs to train one run: plain data, cheap to send to a thread. */
export interface RunTask {
  run: number;
  /** The base config file. */
  config: string;
  sets: string[];
}

export interface CurveRow {
  step: number;
  running_accuracy: number;
  interval_accuracy: number;
  layers: Record<string, LayerMetrics>;
}

export type RunOutcome =
  | (Pick<TrainResult, 'steps' | 'runningAccuracy' | 'testAccuracy' | 'testSamples' | 'elapsedMs' | 'usPerSample' | 'events'> & {
    ok: true;
    run: number;
    final: Record<string, LayerMetrics>;
    resolved: unknown;
    curves: CurveRow[];
  })
  /** `input`: a problem with the user's input (exit 2), else a bug (exit 3). Errors are returned, not thrown: their class does not survive a thread boundary. */
  | { ok: false; run: number; input: boolean; message: string; stack?: string };

/** Train one run in this thread; `cache` keeps quantized datasets between runs. */
export function trainRun(task: RunTask, cache: Map<string, PreparedSamples>): RunOutcome {
  try {
    const { loaded, plan, data } = prepareTraining({ config: task.config, sets: task.sets }, cache);
    const curves: CurveRow[] = [];
    const r = train(plan, data, {
      onMetrics: (m) => curves.push({ step: m.step, running_accuracy: m.running_accuracy, interval_accuracy: m.interval_accuracy, layers: m.layers }),
    });
    return {
      ok: true,
      run: task.run,
      steps: r.steps,
      runningAccuracy: r.runningAccuracy,
      ...(r.testAccuracy !== undefined && { testAccuracy: r.testAccuracy }),
      testSamples: r.testSamples,
      elapsedMs: r.elapsedMs,
      usPerSample: r.usPerSample,
      final: r.lastMetrics?.layers ?? {},
      events: r.events,
      resolved: loaded.resolved,
      curves,
    };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, run: task.run, input: e instanceof FxInputError, message: err.message, stack: err.stack };
  }
}
