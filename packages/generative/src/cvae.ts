/**
 * A pretrained conditional VAE decoder: z + one-hot(label) → image. Generation only (no encoder ships
 * with ml5's QuickDraw model). `Cvae.fromPretrained('quickdraw').generate({ label: 'apple', n: 16 })`.
 */
import { invalidOption, Rng, tf } from '@dlkit/core';
import { type PretrainedGenerator, pretrainedGenerator } from './pretrained.js';

export interface CvaeGenerateOptions {
  /** Class name or index. */
  label: string | number;
  n?: number;
  seed?: number;
  /** Latent distribution (default: the model's reference, e.g. U[0,1) for ml5's QuickDraw CVAE). */
  latent?: 'uniform' | 'normal';
}

export type PretrainedLoader = (spec: PretrainedGenerator, options: { modelDir?: string }) => Promise<{ model: tf.LayersModel; labels: string[] }>;

let nodeLoader: PretrainedLoader | undefined;

/** Set by '@dlkit/generative/node' so Node resolves DLKIT_MODEL_DIR → cache → download. */
export function setPretrainedLoader(loader: PretrainedLoader): void {
  nodeLoader = loader;
}

async function browserLoader(spec: PretrainedGenerator): Promise<{ model: tf.LayersModel; labels: string[] }> {
  const manifest = (await (await fetch(spec.baseUrl + spec.manifest)).json()) as { model: string; labels: string[] };
  return { model: await tf.loadLayersModel(spec.baseUrl + manifest.model), labels: manifest.labels };
}

export class Cvae {
  constructor(
    readonly decoder: tf.LayersModel,
    readonly labels: string[],
    readonly spec: Pick<PretrainedGenerator, 'latentDim' | 'labelOffset' | 'latent' | 'name'>,
  ) {}

  static async fromPretrained(name = 'quickdraw', options: { modelDir?: string } = {}): Promise<Cvae> {
    const spec = pretrainedGenerator(name);
    const { model, labels } = nodeLoader ? await nodeLoader(spec, options) : await browserLoader(spec);
    return new Cvae(model, labels, spec);
  }

  labelIndex(label: string | number): number {
    const i = typeof label === 'number' ? label : this.labels.indexOf(label);
    if (!Number.isInteger(i) || i < 0 || i >= this.labels.length) {
      throw invalidOption('label', label, `a class name or index of this model (${this.labels.length} classes: ${this.labels.slice(0, 8).join(', ')}, ...)`);
    }
    return i;
  }

  /** [n, 28, 28, 1] pixel intensities in [0, 1] (the decoder ends in a sigmoid). */
  generate(options: CvaeGenerateOptions): tf.Tensor4D {
    const n = options.n ?? 16;
    if (!Number.isInteger(n) || n < 1) throw invalidOption('n', n, 'a positive integer');
    const kind = options.latent ?? this.spec.latent;
    if (kind !== 'uniform' && kind !== 'normal') throw invalidOption('latent', kind, '"uniform" or "normal"');
    const idx = this.labelIndex(options.label);
    const rng = new Rng(options.seed ?? 0);
    const L = this.spec.latentDim;
    const z = new Float32Array(n * L);
    for (let i = 0; i < z.length; i++) z[i] = kind === 'uniform' ? rng.next() : rng.normal();
    const width = (this.decoder.inputs[1]!.shape[1] as number) ?? this.labels.length + this.spec.labelOffset;
    const y = new Float32Array(n * width);
    for (let i = 0; i < n; i++) y[i * width + idx + this.spec.labelOffset] = 1;
    return tf.tidy(() => this.decoder.predict([tf.tensor2d(z, [n, L]), tf.tensor2d(y, [n, width])]) as tf.Tensor4D);
  }

  dispose(): void {
    this.decoder.dispose();
  }
}
