import { configError } from '../core/errors.ts';
import { maxRaw, minRaw, type Format } from '../core/format.ts';
import type { TrainingConfig } from '../config/schema.ts';
import type { Register } from '../config/build.ts';
import { NumpyRandomState, rint } from './numpy-random.ts';

/**
 * Initial weights as the study drew them: np.rint(np.random.normal(mean, std, (size, fanIn))),
 * row-major, from the same RandomState that drew the sample order. In `real` units mean and std
 * are real values scaled by 2^frac first. Uniform is np.random.uniform(low, high) then rint.
 * A draw outside the weight register is a config error, not a silent wrap.
 */
export function initWeights(rs: NumpyRandomState, init: TrainingConfig['init'], reg: Register, size: number, fanIn: number, path: (string | number)[]): Float64Array {
  const scale = init.units === 'real' ? 2 ** reg.format.frac : 1;
  const w = new Float64Array(size * fanIn);
  const lo = Number(minRaw(reg.format));
  const hi = Number(maxRaw(reg.format));
  for (let i = 0; i < w.length; i++) {
    let v: number;
    if (init.dist === 'normal') v = rs.normal(init.mean * scale, init.std * scale);
    else {
      const low = (init.low ?? -init.std) * scale;
      const high = (init.high ?? init.std) * scale;
      v = low + (high - low) * rs.nextDouble();
    }
    const r = rint(v);
    if (!Number.isSafeInteger(r) || r < lo || r > hi) configError(`initial weight ${r} does not fit the weight register ${describe(reg.format)}`, path);
    w[i] = r;
  }
  return w;
}

const describe = (f: Format) => `(${f.signed ? 'signed' : 'unsigned'}, W=${f.width}, F=${f.frac})`;
