// Browser-safe public API of @dlkit/core. Node-only pieces live in '@dlkit/core/node'.
export { tf } from './tf.js';
export type { Tensor, LayersModel } from './tf.js';
export { DlkitError, isDlkitError, invalidOption, describeValue } from './errors.js';
export type { DlkitErrorCode, DlkitErrorOptions } from './errors.js';
export { checkInt, checkNumber, checkOneOf } from './validate.js';
export { Rng, setSeed, globalRandom } from './rng.js';
export { env, reloadEnv, envFromProcess, BACKENDS } from './config.js';
export type { DlkitEnv, BackendName } from './config.js';
export { createProgress, renderBar } from './progress.js';
export type { Progress, ProgressEvent, ProgressCallback, ProgressOptions } from './progress.js';
export { registerTask, getTask, listTasks } from './task-registry.js';
export type { TaskDefinition, Modality, TaskCli, CliVerb, CliOption, CliIO } from './task-registry.js';
export { selectBackend, ready, backendReport, registerBackendProbe } from './backend/select.js';
export type { BackendReport, BackendStatus, BackendProbe } from './backend/select.js';
export { installKernelFixes } from './kernels/install.js';
