/**
 * transformers.js `image-classification` behind ImageClassifier.predict's shape: for users with
 * Hugging Face models (ViT, ConvNeXT, MobileViT... exported to ONNX), local folder or hub, on
 * onnxruntime's cpu / wasm / webgpu / cuda. Images are decoded by dlkit's own path (sharp in Node,
 * canvas in the browser) and handed over as RawImages, so the model's processor sees the same
 * pixels dlkit models do. transformers.js is imported lazily (it is large).
 */
import { DlkitError, invalidOption } from '@dlkit/core';
import type { TopK } from './classifier.js';
import { type ImageSource, toPixels } from './inputs.js';

export const HF_DEVICES = ['auto', 'cpu', 'wasm', 'webgpu', 'cuda'] as const;
export const HF_DTYPES = ['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const;

export interface HfImageClassifierOptions {
  /** Hub id (e.g. 'Xenova/vit-base-patch16-224') or a folder name under localModelPath. */
  model: string;
  /** Folder holding `<model>/config.json, preprocessor_config.json, onnx/model*.onnx`. */
  localModelPath?: string;
  /** Fetch from the hub when not found locally (default false: offline-first). */
  allowRemoteModels?: boolean;
  cacheDir?: string;
  device?: (typeof HF_DEVICES)[number];
  /** Weights variant: fp32 = onnx/model.onnx, q8 = model_quantized.onnx, fp16 = model_fp16.onnx ... */
  dtype?: (typeof HF_DTYPES)[number];
}

// biome-ignore lint/suspicious/noExplicitAny: transformers.js pipelines are loosely typed unions.
type AnyPipeline = any;

export class HfImageClassifier {
  private constructor(
    private readonly pipe: AnyPipeline,
    private readonly RawImage: new (data: Uint8ClampedArray, w: number, h: number, c: number) => unknown,
    readonly model: string,
  ) {}

  static async create(o: HfImageClassifierOptions): Promise<HfImageClassifier> {
    if (typeof o?.model !== 'string' || o.model === '') throw invalidOption('model', o?.model, 'a hub id or a folder name under localModelPath');
    if (o.device !== undefined && !HF_DEVICES.includes(o.device)) throw invalidOption('device', o.device, HF_DEVICES.join(' | '));
    if (o.dtype !== undefined && !HF_DTYPES.includes(o.dtype)) throw invalidOption('dtype', o.dtype, HF_DTYPES.join(' | '));
    const hf = await import('@huggingface/transformers');
    hf.env.allowRemoteModels = o.allowRemoteModels ?? false;
    hf.env.allowLocalModels = true;
    if (o.localModelPath !== undefined) hf.env.localModelPath = o.localModelPath.endsWith('/') ? o.localModelPath : `${o.localModelPath}/`;
    if (o.cacheDir !== undefined) hf.env.cacheDir = o.cacheDir;
    let pipe: AnyPipeline;
    try {
      pipe = await hf.pipeline('image-classification', o.model, {
        ...(o.device && o.device !== 'auto' ? { device: o.device } : {}),
        ...(o.dtype && o.dtype !== 'auto' ? { dtype: o.dtype } : {}),
      } as never);
    } catch (e) {
      throw new DlkitError('NOT_FOUND', `transformers.js could not load image-classification model ${JSON.stringify(o.model)}: ${(e as Error).message}`, {
        hint: hf.env.allowRemoteModels
          ? 'Check the model id and your network, or put the files under localModelPath.'
          : `Remote models are off: put config.json, preprocessor_config.json and onnx/model.onnx under ${hf.env.localModelPath}${o.model}/, or pass allowRemoteModels: true.`,
        cause: e,
      });
    }
    return new HfImageClassifier(pipe, hf.RawImage as never, o.model);
  }

  get labels(): string[] {
    const id2label: Record<string, string> = this.pipe.model?.config?.id2label ?? {};
    return Object.keys(id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => id2label[k]!);
  }

  private async rawImage(input: ImageSource): Promise<unknown> {
    const px = await toPixels(input);
    const u8 = new Uint8ClampedArray(px.data.length);
    const k = px.data instanceof Float32Array ? 255 : 1;
    for (let i = 0; i < u8.length; i++) u8[i] = Math.round(px.data[i]! * k);
    return new this.RawImage(u8, px.width, px.height, px.channels);
  }

  /** Top-k `{label, score, index}` like ImageClassifier.predict; an array gives one list per image. */
  async predict(input: ImageSource[], o?: { topK?: number }): Promise<TopK[][]>;
  async predict(input: ImageSource, o?: { topK?: number }): Promise<TopK[]>;
  async predict(input: ImageSource | ImageSource[], o: { topK?: number } = {}): Promise<TopK[] | TopK[][]> {
    const topK = o.topK ?? 5;
    if (!Number.isInteger(topK) || topK < 1) throw invalidOption('topK', topK, 'a positive integer');
    const list = Array.isArray(input) ? input : [input];
    const images = await Promise.all(list.map((x) => this.rawImage(x)));
    const labels = this.labels;
    const out = (await this.pipe(images, { top_k: Math.min(topK, labels.length || topK) })) as { label: string; score: number }[][];
    const res = out.map((row) => row.map(({ label, score }) => ({ label, score, index: labels.indexOf(label) })));
    return Array.isArray(input) ? res : res[0]!;
  }

  async dispose(): Promise<void> {
    await this.pipe.dispose?.();
  }
}
