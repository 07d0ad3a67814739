/**
 * fxsim's public API, listed explicitly: anything not exported here is internal.
 */
// arithmetic core
export { FxInputError, FxConfigError } from './core/errors.ts';
export { makeFormat, minRaw, maxRaw, intBits, formatName, fromBits, toBits, inRange, sameFormat, type Format } from './core/format.ts';
export { parseFormat, parseFormatSpec, type FormatSpec } from './core/parse-format.ts';
export { QUANT_MODES, OVERFLOW_MODES, QUANT_MODE_NAMES, OVERFLOW_MODE_NAMES, parseQuantMode, parseOverflowMode, type QuantMode, type OverflowMode } from './core/modes.ts';
export { quantizeRef, ROUNDING } from './core/quantize.ts';
export { overflowRef, OVERFLOW, checkOverflowArgs } from './core/overflow.ts';
export { castRef, DEFAULT_CAST, type CastModes } from './core/cast.ts';
export { quantizeFast, overflowFast, overflowPlan, castFast, castVectorFast, type OverflowPlan } from './core/fast.ts';
export { FAST_BITS, fitsFast, castFitsFast, magnitudeBits } from './core/exact.ts';
export { Lfsr, Xoshiro128ss, LFSR_TAPS, DEFAULT_LFSR_WIDTH, makeRandomSource, type RandomSource, type RandomConfig } from './core/random.ts';
export { newCounters, addCounters, resetCounters, type EventCounters } from './core/events.ts';
// units
export type { RawVec } from './units/vec.ts';
export type { Unit, UnitPorts } from './units/unit.ts';
export { MacArray, type MacSpec } from './units/mac.ts';
export { ShiftUnit, type ShiftSpec } from './units/shift.ts';
export { ActivationUnit, type ActivationDef, type ActivationKernel, type ActivationSpec } from './units/activation.ts';
export { ACTIVATIONS } from './units/activations/index.ts';
// configs
export { configSchema, modelSchema, type DatapathConfig, type ModelConfig } from './config/schema.ts';
export { buildDatapath, type Datapath, type LayerPath, type Register } from './config/build.ts';
export { loadConfig, resolveDatapath, type LoadedConfig, type ResolvedConfig } from './config/load.ts';
export { inspectDatapath, formatInspectTable } from './config/inspect.ts';
export { configJsonSchema } from './config/json-schema.ts';
export { evalParamExpr, substitute as substituteParams, type ParamValue } from './config/params.ts';
export { productFormat, sumFormat, shiftFormat, sumGrowthBits } from './core/growth.ts';
export { fastPaths, referenceOnly } from './core/exact.ts';
export { parseDecimal, rationalToRaw, rawToDecimal } from './core/decimal.ts';
// more units
export { MulUnit, type MulSpec } from './units/mul.ts';
export { UpdateUnit, type UpdateSpec } from './units/update.ts';
// data
export { loadDataset, loadMnist, loadIris, loadCsv, loadIdxPair, quantizeInputs, datasetSpecSchema, type Dataset, type DatasetSpec } from './data/index.ts';
// files
export { encodeNpy, decodeNpy, decodeNpyRaw } from './io/npy.ts';
export { encodeMemh, decodeMemh } from './io/hex.ts';
export { MetricsWriter } from './io/metrics.ts';
// training
export { buildTrainPlan, type TrainPlan } from './train/plan.ts';
export { trainStep, forward, backward, update, type LayerState } from './train/step.ts';
export { train, evaluate, initialState, type TrainResult, type MetricsRow } from './train/trainer.ts';
export { FusedTrainer, fusedKernel } from './train/fused/kernel.ts';
export { kernelSpec, type KernelSpec } from './train/fused/eligibility.ts';
export { rawSamples, type SampleSource, type SampleCsr } from './train/data.ts';
export { runTraining, prepareTraining, type RunOptions, type RunSummary } from './train/run.ts';
export { NumpyRandomState } from './train/numpy-random.ts';
// sweeps
export { loadSweepFile, sweepFileSchema, type SweepFile, type SweepAxis, type SweepValue } from './sweep/sweep-file.ts';
export { expandPoints, runId, runPoint, type SweepPoint } from './sweep/expand.ts';
export { planSweep, runSets, type SweepPlan, type PlannedPoint } from './sweep/plan.ts';
export { parseShard, inShard, shardRuns, type Shard } from './sweep/shard.ts';
export { runSweep, type SweepOptions, type SweepOutcome } from './sweep/run-sweep.ts';
export { mergeSweeps, type MergeOutcome } from './sweep/merge.ts';
export type { ResultLine, CurveLine } from './sweep/records.ts';
export type { SweepManifest } from './sweep/manifest.ts';
// pictures (fxsim plot)
export { plotResults, type PlotOptions, type PlotOutcome } from './plot/index.ts';
export { readResults } from './plot/read-results.ts';
export { readCurves, type CurvesRead } from './plot/read-curves.ts';
export { bandStats, Z68, Z95, type Band } from './plot/bands.ts';
export { seriesByStep, type SeriesStep } from './plot/series.ts';
export { selectCurvePoints, MAX_CURVES, type CurveSelection } from './plot/select.ts';
export { chooseHeatmapAxes, type HeatmapAxes } from './plot/heatmap-axes.ts';
export { heatmapSpec } from './plot/heatmap.ts';
export { curvesSpec } from './plot/curves.ts';
export { deltaSpec } from './plot/delta.ts';
export { inactiveSpec } from './plot/inactive.ts';
export { specToSvg, svgToPng } from './plot/render.ts';
export { reportHtml, type ReportInput, type ReportChart } from './plot/report.ts';
export { PLOT_FORMATS, type PlotFormat, type AccuracyKey, type Results, type RunRecord, type CurveRow, type Axis, type PlotHints } from './plot/types.ts';
// minimum precision (fxsim minprec)
export { searchMinimum, searchLr, coarseLrs, SearchInconsistency, type Evaluate, type Accuracy, type LrRange, type LrTrial, type Probe, type MinimumOptions, type MinimumResult } from './minprec/search.ts';
export { runMinprec, parseRange, parseModes, type MinprecOptions, type MinprecResult, type MinprecRow, type MinprecMetric, type SearchReport } from './minprec/run-minprec.ts';
export { minprecTable } from './minprec/table.ts';
// the study's answers from sweep results (fxsim findings)
export { findingsMarkdown, FINDINGS_TARGETS, lrFractionFindings, lrFractionMarkdown, readResultsCsv, roundingFindings, roundingMarkdown, type CsvRow, type FractionRow, type LrFractionFindings, type RoundingCell, type RoundingFindings } from './findings/index.ts';
