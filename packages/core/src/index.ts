// Browser-safe public API of @dlkit/core. Node-only pieces live in '@dlkit/core/node'.

export type { BackendProbe, BackendReport, BackendStatus } from './backend/select.js';
export { backendReport, ready, registerBackendProbe, selectBackend } from './backend/select.js';
export type { BackendName, DlkitEnv } from './config.js';
export { BACKENDS, env, envFromProcess, reloadEnv } from './config.js';
export type { DlkitErrorCode, DlkitErrorOptions } from './errors.js';
export { DlkitError, describeValue, invalidOption, isDlkitError } from './errors.js';
export type { HfPipelineOptions, TransformersJs } from './hf-pipeline.js';
export { HF_DEVICES, HF_DTYPES, loadHfPipeline } from './hf-pipeline.js';
export type { EmbeddingBagMode, EmbeddingBagOptions } from './kernels/embedding-bag.js';
export { embeddingBag, embeddingBagSimd } from './kernels/embedding-bag.js';
export { installKernelFixes } from './kernels/install.js';
export { lazyFusedConvGrad } from './kernels/lazy-fused-grad.js';
export { convCo1Simd } from './kernels/wasm/conv-co1.js';
export { smallKFilterGrad } from './kernels/wasm/conv-grad.js';
export { installWasmKernels, stockWasmKernel, WASM_KERNELS } from './kernels/wasm/install.js';
export { maxPoolGradSimd } from './kernels/wasm/max-pool-grad-simd.js';
export { simdElementwise } from './kernels/wasm/simd-elementwise.js';
export type { ModelCard, ModelCardWeightsEntry } from './model-card.js';
export { createModelCard, DLKIT_VERSION, validateModelCard } from './model-card.js';
export type { Progress, ProgressCallback, ProgressEvent, ProgressOptions } from './progress.js';
export { createProgress, renderBar } from './progress.js';
export { globalRandom, Rng, seedMathRandom, setSeed, withSeededMathRandom } from './rng.js';
export type { CliIO, CliOption, CliVerb, Modality, TaskCli, TaskDefinition } from './task-registry.js';
export { getTask, listTasks, registerTask } from './task-registry.js';
export type { LayersModel, Tensor } from './tf.js';
export { tf } from './tf.js';
export { checkInt, checkNumber, checkOneOf } from './validate.js';
