/**
 * transformers.js `image-classification` behind ImageClassifier.predict's shape: for users with
 * Hugging Face models (ViT, ConvNeXT, MobileViT... exported to ONNX), local folder or hub, on
 * onnxruntime's cpu / wasm / webgpu / cuda. Images are decoded by dlkit's own path (sharp in Node,
 * canvas in the browser) and handed over as RawImages, so the model's processor sees the same
 * pixels dlkit models do. transformers.js is imported lazily (it is large).
 */
import { type HfPipelineOptions, invalidOption, loadHfPipeline } from '@dlkit/core';
import type { TopK } from './classifier.js';
import { type ImageSource, toPixels } from './inputs.js';

export { HF_DEVICES, HF_DTYPES } from '@dlkit/core';

/** Hub id (e.g. 'Xenova/vit-base-patch16-224') or a folder under localModelPath, and how to load it. */
export type HfImageClassifierOptions = HfPipelineOptions;

// biome-ignore lint/suspicious/noExplicitAny: transformers.js pipelines are loosely typed unions.
type AnyPipeline = any;

export class HfImageClassifier {
  private constructor(
    private readonly pipe: AnyPipeline,
    private readonly RawImage: new (data: Uint8ClampedArray, w: number, h: number, c: number) => unknown,
    readonly model: string,
  ) {}

  static async create(o: HfImageClassifierOptions): Promise<HfImageClassifier> {
    const { pipe, hf } = await loadHfPipeline(() => import('@huggingface/transformers'), 'image-classification', o, 'config.json, preprocessor_config.json and onnx/model.onnx');
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
