// Browser-safe public API of @dlkit/train. File loggers, checkpoints, Ctrl-C/resume and
// PNG plots live in '@dlkit/train/node'.

export type { EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { earlyStopping } from './callbacks/early-stopping.js';
export type { LearningRateSchedulerOptions, ScheduleLike } from './callbacks/lr-scheduler.js';
export { learningRateScheduler } from './callbacks/lr-scheduler.js';
export type { MonitorMode } from './callbacks/monitor.js';
export type { ProgressBarOptions } from './callbacks/progress-bar.js';
export { progressBar } from './callbacks/progress-bar.js';
export type { ReduceLROnPlateauOptions } from './callbacks/reduce-lr.js';
export { reduceLROnPlateau } from './callbacks/reduce-lr.js';
export { terminateOnNaN } from './callbacks/terminate-nan.js';
export type { FineTuneOptions } from './fine-tune.js';
export { fineTune } from './fine-tune.js';
export type { EvaluateOptions, FitOptions, PredictOptions, ValidationData } from './fit.js';
export { evaluate, fit, predict } from './fit.js';
export type { RunLoopOptions, StepInfo } from './loop.js';
export { appendHistory, emptyHistory, runLoop } from './loop.js';
export { cloneOptimizer, getLearningRate, setLearningRate } from './lr.js';
export type { LrFindOptions, LrFindResult } from './lr-find.js';
export { lrFind, plotLrFind, suggest as lrFindSuggestions } from './lr-find.js';
export type { Average, AveragedScores, ClassificationReport, ClassificationReportOptions, ClassifierEvaluation, LabelScore, PerClassScores, PrecisionRecallOptions, ReportRow } from './metrics/classification.js';
export { accuracy, classificationReport, confusionMatrix, precisionRecallF1, topKAccuracy } from './metrics/classification.js';
export type { ClassInput, Values } from './metrics/inputs.js';
export type { Relevant } from './metrics/ranking.js';
export { ndcgAtK, precisionAtK, recallAtK } from './metrics/ranking.js';
export { mae, rmse } from './metrics/regression.js';
export type { PlotHistoryOptions } from './plot/history.js';
export { historySpec, plotHistory } from './plot/history.js';
export type { LineChartSpec, Series } from './plot/svg.js';
export { lineChartSvg, niceTicks } from './plot/svg.js';
export type { CosineDecayOptions, ExponentialDecayOptions, OneCycleOptions, Schedule, StepDecayOptions } from './schedules.js';
export { cosineDecay, exponentialDecay, linearWarmup, oneCycle, stepDecay } from './schedules.js';
export type { VariableGroup } from './step.js';
export { classSampleWeights, customTrainStep, trainableVariables } from './step.js';
export type { Batch, BatchSource, Callback, History, Logs, LrHandle, TensorContainer, TrainContext, TrainParams } from './types.js';
