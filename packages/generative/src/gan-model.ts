/**
 * DCGAN (Radford et al. 2016) sized for CPUs, optionally an ACGAN (Odena et al. 2017): the
 * discriminator also predicts the class, the generator is conditioned by concatenating one-hot y to z.
 * Saved as one functional graph with two branches, [z, (y), x] → [g_out (tanh image), d_out (1 + k logits)],
 * like the VAE, so a GAN is one atomic model directory; G and D are views over its layers.
 */
import { checkInt, checkOneOf, invalidOption, tf } from '@dlkit/core';

export interface GanOptions {
  latentDim?: number;
  /** Classes for a conditional GAN (ACGAN); 0 = unconditional DCGAN. */
  classes?: number;
  /** Generator channels after projection and after the first upsampling (default [32, 16]: sized for CPUs). */
  gFilters?: [number, number];
  /** Discriminator channels of its two stride-2 convs (default [16, 32]). */
  dFilters?: [number, number];
  imageShape?: [number, number, number];
  /**
   * How G doubles resolution: 'nearest' (nearest-neighbour upsampling then a 3×3 conv, Odena et al. 2016:
   * no checkerboard artefacts, and ~4× cheaper on wasm, whose stride-2 transposed conv runs as a conv over a
   * zero-dilated input) or 'transpose' (4×4 stride-2 transposed conv, the DCGAN paper's). Default 'nearest'.
   */
  upsample?: 'nearest' | 'transpose';
}

export type ResolvedGanOptions = Required<GanOptions>;

export function resolveGanOptions(o: GanOptions = {}): ResolvedGanOptions {
  const g = o.gFilters ?? [32, 16];
  const d = o.dFilters ?? [16, 32];
  const s = o.imageShape ?? [28, 28, 1];
  for (const [i, v] of g.entries()) checkInt(`gFilters[${i}]`, v, 1);
  for (const [i, v] of d.entries()) checkInt(`dFilters[${i}]`, v, 1);
  if (!(s[0] >= 4 && s[1] >= 4 && s[0] % 4 === 0 && s[1] % 4 === 0)) throw invalidOption('imageShape', s, '[h, w, c] with h and w divisible by 4');
  return { latentDim: checkInt('latentDim', o.latentDim ?? 64, 1), classes: checkInt('classes', o.classes ?? 0, 0), gFilters: [g[0], g[1]], dFilters: [d[0], d[1]], imageShape: [s[0], s[1], s[2]], upsample: checkOneOf('upsample', o.upsample ?? 'nearest', ['nearest', 'transpose'] as const) };
}

export function buildGanGraph(o: ResolvedGanOptions): tf.LayersModel {
  const [h, w, c] = o.imageShape;
  const z = tf.input({ shape: [o.latentDim], name: 'z' });
  const y = o.classes > 0 ? tf.input({ shape: [o.classes], name: 'y' }) : undefined;
  const x = tf.input({ shape: [h, w, c], name: 'x' });
  const ap = (layer: tf.layers.Layer, t: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(t) as tf.SymbolicTensor;

  let g = y ? ap(tf.layers.concatenate({ name: 'g_cond' }), [z, y]) : z;
  g = ap(tf.layers.dense({ units: (h / 4) * (w / 4) * o.gFilters[0], useBias: false, name: 'g_proj' }), g);
  g = ap(tf.layers.batchNormalization({ name: 'g_bn0' }), g);
  g = ap(tf.layers.reLU({ name: 'g_relu0' }), g);
  g = ap(tf.layers.reshape({ targetShape: [h / 4, w / 4, o.gFilters[0]], name: 'g_reshape' }), g);
  // Doubles resolution; the hidden block has no bias (batch-norm follows), the output block has one.
  const upBlock = (t: tf.SymbolicTensor, filters: number, name: string, activation?: 'tanh') => {
    const useBias = activation !== undefined;
    if (o.upsample === 'transpose') return ap(tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: 'same', useBias, activation, name }), t);
    const u = ap(tf.layers.upSampling2d({ size: [2, 2], name: `${name}_up` }), t);
    return ap(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias, activation, name }), u);
  };
  g = upBlock(g, o.gFilters[1], 'g_deconv1');
  g = ap(tf.layers.batchNormalization({ name: 'g_bn1' }), g);
  g = ap(tf.layers.reLU({ name: 'g_relu1' }), g);
  const gOut = upBlock(g, c, 'g_out', 'tanh');

  let d = ap(tf.layers.conv2d({ filters: o.dFilters[0], kernelSize: 4, strides: 2, padding: 'same', name: 'd_conv1' }), x);
  d = ap(tf.layers.leakyReLU({ alpha: 0.2, name: 'd_lrelu1' }), d);
  d = ap(tf.layers.conv2d({ filters: o.dFilters[1], kernelSize: 4, strides: 2, padding: 'same', name: 'd_conv2' }), d);
  d = ap(tf.layers.leakyReLU({ alpha: 0.2, name: 'd_lrelu2' }), d);
  d = ap(tf.layers.flatten({ name: 'd_flat' }), d);
  const dOut = ap(tf.layers.dense({ units: 1 + o.classes, name: 'd_out' }), d);
  return tf.model({ inputs: y ? [z, y, x] : [z, x], outputs: [gOut, dOut], name: 'gan' });
}

export function ganViews(graph: tf.LayersModel): { generator: tf.LayersModel; discriminator: tf.LayersModel } {
  const ins = graph.inputs;
  const [gOut, dOut] = graph.outputs as [tf.SymbolicTensor, tf.SymbolicTensor];
  const x = ins[ins.length - 1]!;
  return { generator: tf.model({ inputs: ins.slice(0, -1), outputs: gOut }), discriminator: tf.model({ inputs: x, outputs: dOut }) };
}
