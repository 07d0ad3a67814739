import { describe, expect, it } from 'vitest';
import { checkCurveLine, checkResultLine, numberProblem } from '../../src/sweep/records.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { curveLine, resultLine } from './helpers.ts';

/**
 * The one check of results.jsonl and curves.jsonl lines that sweep resume, merge and plot share:
 * every field a reader relies on, of the right type, and a run of this sweep; else one line at file:line.
 */

const range = { totalRuns: 6, repeats: 2 };
const at = 'dir/results.jsonl:7';

describe('checkResultLine', () => {
  it('passes a line as fxsim sweep writes it (test_accuracy null without a test split, NaN metrics as null)', () => {
    const line = resultLine(5, 2, { test_accuracy: null, final: { L0: { delta_mean: null, delta_var: 1 } } });
    expect(checkResultLine(line, at, range)).toBe(line);
    expect(checkResultLine(resultLine(999), at)).toEqual(resultLine(999)); // no range: no manifest to hold it to
  });

  it.each([
    ['a list', [1, 2, 3], 'expected a JSON object (a finished run), got a list'],
    ['null', null, 'expected a JSON object (a finished run), got null'],
    ['a run that is text', resultLine(1, 2, { run: 'x' }), 'run: expected a number (got "x")'],
    ['a missing run', resultLine(1, 2, { run: undefined }), 'run: expected a number (missing)'],
    ['a fractional run', resultLine(1, 2, { run: 1.5 }), 'run: expected a whole number >= 0 (got 1.5)'],
    ['a run past the last', resultLine(1, 2, { run: 6, point: 3, repeat: 0 }), 'run: 6 is not a run of this sweep (0..5)'],
    ['a point that is not the run\'s', resultLine(3, 2, { point: 0 }), 'point 0, repeat 1 is not run 3 (run = point * 2 + repeat, with 2 repeat(s))'],
    ['a repeat past the repeats', resultLine(3, 2, { point: 0, repeat: 3 }), 'point 0, repeat 3 is not run 3'],
    ['an accuracy of 5', resultLine(1, 2, { running_accuracy: 5 }), 'running_accuracy: expected an accuracy in [0, 1] (got 5)'],
    ['a test accuracy that is text', resultLine(1, 2, { test_accuracy: 'high' }), 'test_accuracy: expected a number or null (got "high")'],
    ['a missing step count', resultLine(1, 2, { steps: undefined }), 'steps: expected a number (missing)'],
    ['params that are a list', resultLine(1, 2, { params: [8] }), 'params: expected an object of the point\'s values (got [8])'],
    ['no final metrics', resultLine(1, 2, { final: undefined }), 'final: expected an object of per-layer metrics (missing)'],
    ['a final metric that is text', resultLine(1, 2, { final: { L0: { delta_var: 'big' } } }), 'final.L0.delta_var: expected a number or null (got "big")'],
  ])('%s', (_what, line, message) => {
    expect(inputErrorOf(() => checkResultLine(line, at, range))).toContain(`${at}: ${message}`);
  });

  it('shows a long bad value cut short', () => {
    expect(inputErrorOf(() => checkResultLine(resultLine(1, 2, { run: 'x'.repeat(500) }), at, range))).toMatch(/run: expected a number \(got "x{36}\.\.\.\)$/);
  });
});

describe('checkCurveLine', () => {
  it('passes a metrics row, accuracies may be null', () => {
    const c = curveLine(5, 100, 2, { interval_accuracy: null, layers: { L0: { delta_mean: 1, delta_var: null } } });
    expect(checkCurveLine(c, at, range)).toBe(c);
  });

  it.each([
    ['a list', [1], 'expected a JSON object (a metrics row), got a list'],
    ['a run past the last', curveLine(9, 100, 1), 'run: 9 is not a run of this sweep (0..5)'],
    ['a step that is text', curveLine(1, 100, 2, { step: 'x' }), 'step: expected a number (got "x")'],
    ['an accuracy below 0', curveLine(1, 100, 2, { running_accuracy: -1 }), 'running_accuracy: expected an accuracy in [0, 1] (got -1)'],
    ['no layers', curveLine(1, 100, 2, { layers: undefined }), 'layers: expected an object of per-layer metrics (missing)'],
  ])('%s', (_what, line, message) => {
    expect(inputErrorOf(() => checkCurveLine(line, at, range))).toBe(`${at}: ${message}`);
  });
});

describe('numberProblem', () => {
  it('names what a value should be, in the words of the place it is read from', () => {
    expect(numberProblem(3, 'count')).toBeUndefined();
    expect(numberProblem(-1, 'count')).toBe('expected a whole number >= 0');
    expect(numberProblem(NaN, 'number')).toBe('expected a number');
    expect(numberProblem(1, 'accuracy')).toBeUndefined();
    expect(numberProblem(1.01, 'accuracy')).toBe('expected an accuracy in [0, 1]');
    expect(numberProblem('abc', 'accuracy?', 'an empty cell')).toBe('expected a number or an empty cell');
  });
});
