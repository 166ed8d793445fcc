/**
 * transformers.js pipelines behind dlkit's shapes: `sentiment-analysis` / `text-classification`
 * → `{label, score}`, `feature-extraction` → pooled Float32Array embeddings. One place sets
 * transformers.js' `env` (remote/local models, local path, cache dir) so callers never touch its
 * globals. Works in Node and the browser (the library is imported lazily).
 */
import { DlkitError, type HfPipelineOptions, invalidOption, loadHfPipeline } from '@dlkit/core';

export type HfTask = 'sentiment-analysis' | 'text-classification' | 'feature-extraction';
export { HF_DEVICES, HF_DTYPES } from '@dlkit/core';

/** Where and how to load the model (see core's HfPipelineOptions). */
export type HfOptions = HfPipelineOptions;

// biome-ignore lint/suspicious/noExplicitAny: transformers.js pipelines are loosely typed unions.
type AnyPipeline = any;

async function makePipeline(task: HfTask, o: HfOptions): Promise<AnyPipeline> {
  const files = `config.json, tokenizer.json and onnx/model${o?.dtype === 'q8' ? '_quantized' : ''}.onnx`;
  return (await loadHfPipeline(() => import('@huggingface/transformers'), task, o, files)).pipe;
}

function checkTexts(input: string | readonly string[]): string[] {
  const texts = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(texts)) throw new DlkitError('INVALID_INPUT', `Expected a string or an array of strings, got ${typeof input}.`);
  texts.forEach((t, i) => {
    if (typeof t !== 'string' || t.trim() === '') throw new DlkitError('INVALID_INPUT', `texts[${i}] is ${typeof t === 'string' ? 'empty' : typeof t}.`, { hint: 'Pass non-empty strings.' });
  });
  return texts as string[];
}

/** A transformers.js sequence classifier with SentimentClassifier's predict shape. */
export class HfTextClassifier {
  private constructor(private readonly pipe: AnyPipeline) {}

  static async create(options: HfOptions & { task?: 'sentiment-analysis' | 'text-classification' }): Promise<HfTextClassifier> {
    return new HfTextClassifier(await makePipeline(options.task ?? 'sentiment-analysis', options));
  }

  get labels(): string[] {
    const id2label = this.pipe.model?.config?.id2label ?? {};
    return Object.keys(id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => id2label[k]);
  }

  async predict(text: string): Promise<{ label: string; score: number }>;
  async predict(texts: readonly string[]): Promise<{ label: string; score: number }[]>;
  async predict(input: string | readonly string[]): Promise<{ label: string; score: number } | { label: string; score: number }[]> {
    const texts = checkTexts(input);
    const out = (await this.pipe(texts)) as { label: string; score: number }[];
    const preds = out.map((p) => ({ label: p.label, score: p.score }));
    return typeof input === 'string' ? preds[0]! : preds;
  }

  async dispose(): Promise<void> {
    await this.pipe.dispose?.();
  }
}

export interface EmbedOptions {
  /** 'mean' over tokens (sentence-transformers), 'cls' (first token) or 'none' (default 'mean'). */
  pooling?: 'mean' | 'cls';
  /** L2-normalise each vector (default true). */
  normalize?: boolean;
}

/** A transformers.js `feature-extraction` pipeline: texts → fixed-size vectors. */
export class HfFeatureExtractor {
  private constructor(
    private readonly pipe: AnyPipeline,
    readonly model: string,
  ) {}

  static async create(options: HfOptions): Promise<HfFeatureExtractor> {
    return new HfFeatureExtractor(await makePipeline('feature-extraction', options), options.model);
  }

  /** One Float32Array per text. */
  async embed(input: string | readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const texts = checkTexts(input);
    const pooling = options.pooling ?? 'mean';
    if (pooling !== 'mean' && pooling !== 'cls') throw invalidOption('pooling', pooling, "'mean' | 'cls'");
    const t = await this.pipe(texts, { pooling, normalize: options.normalize ?? true });
    const [n, d] = t.dims as [number, number];
    const data = t.data as Float32Array;
    const out = Array.from({ length: n }, (_, i) => data.slice(i * d, (i + 1) * d));
    t.dispose?.();
    return out;
  }

  async dispose(): Promise<void> {
    await this.pipe.dispose?.();
  }
}
