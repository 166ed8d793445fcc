/**
 * Loading a transformers.js pipeline the dlkit way, shared by the text, vision and speech
 * wrappers: options checked up front, transformers.js' global `env` set offline-first, and a
 * load failure turned into a DlkitError that says which files to put where. Core does not depend
 * on transformers.js: the caller passes a thunk that imports it (it is large; imported lazily).
 */
import { DlkitError, invalidOption } from './errors.js';

export const HF_DEVICES = ['auto', 'cpu', 'wasm', 'webgpu', 'cuda'] as const;
export const HF_DTYPES = ['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const;

export interface HfPipelineOptions {
  /** Hub id or a folder name under localModelPath. */
  model: string;
  /** Fetch from the Hugging Face hub when not found locally (transformers.js default true; dlkit default false: offline-first). */
  allowRemoteModels?: boolean;
  /** Folder holding `<model>/config.json, onnx/model*.onnx, ...`. */
  localModelPath?: string;
  /** Where downloaded models are cached (Node). */
  cacheDir?: string;
  /** onnxruntime execution provider: cpu (Node), wasm/webgpu (browser), cuda when onnxruntime-node has it. */
  device?: (typeof HF_DEVICES)[number];
  /** Weights variant: fp32 = onnx/model.onnx, q8 = model_quantized.onnx, fp16 = model_fp16.onnx, ... */
  dtype?: (typeof HF_DTYPES)[number];
}

/** The part of the `@huggingface/transformers` module this needs. */
export interface TransformersJs {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string; cacheDir: string | null };
  pipeline: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: transformers.js pipelines are loosely typed unions.
type AnyPipeline = any;

/**
 * `task` pipeline for `o.model`; `files` names what a local model folder must hold (for the hint).
 * Returns the pipeline and the imported module (callers need e.g. its RawImage).
 */
export async function loadHfPipeline<M extends TransformersJs>(
  importHf: () => Promise<M>,
  task: string,
  o: HfPipelineOptions,
  files: string,
): Promise<{ pipe: AnyPipeline; hf: M }> {
  if (typeof o?.model !== 'string' || o.model === '') throw invalidOption('model', o?.model, 'a hub id or a folder name under localModelPath');
  if (o.device !== undefined && !HF_DEVICES.includes(o.device)) throw invalidOption('device', o.device, HF_DEVICES.join(' | '));
  if (o.dtype !== undefined && !HF_DTYPES.includes(o.dtype)) throw invalidOption('dtype', o.dtype, HF_DTYPES.join(' | '));
  const hf = await importHf();
  hf.env.allowRemoteModels = o.allowRemoteModels ?? false;
  hf.env.allowLocalModels = true;
  if (o.localModelPath !== undefined) hf.env.localModelPath = o.localModelPath.endsWith('/') ? o.localModelPath : `${o.localModelPath}/`;
  if (o.cacheDir !== undefined) hf.env.cacheDir = o.cacheDir;
  const pipeline = hf.pipeline as (task: string, model: string, options: object) => Promise<AnyPipeline>;
  try {
    const pipe = await pipeline(task, o.model, {
      ...(o.device && o.device !== 'auto' ? { device: o.device } : {}),
      ...(o.dtype && o.dtype !== 'auto' ? { dtype: o.dtype } : {}),
    });
    return { pipe, hf };
  } catch (e) {
    throw new DlkitError('NOT_FOUND', `transformers.js could not load ${task} model ${JSON.stringify(o.model)}: ${(e as Error).message}`, {
      hint: hf.env.allowRemoteModels
        ? 'Check the model id and your network, or put the files under localModelPath.'
        : `Remote models are off: put ${files} under ${hf.env.localModelPath}${o.model}/, or pass allowRemoteModels: true.`,
      cause: e,
    });
  }
}
