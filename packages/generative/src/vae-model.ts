/**
 * The VAE as one functional graph with two independent branches, so it saves and loads as a single
 * tfjs layers model (one atomic directory):
 *   [x, (y), z] → [enc (μ‖log σ²), dec (Bernoulli logits)]
 * Encoder and decoder are views over the same layers (`vaeViews`), built from a fresh or a loaded graph.
 */
import { tf } from '@dlkit/core';
import type { ResolvedVaeOptions } from './options.js';

export const ENC_OUT = 'enc_out';
export const DEC_OUT = 'dec_out';

export function buildVaeGraph(o: ResolvedVaeOptions): tf.LayersModel {
  const [h, w, c] = o.imageShape;
  const x = tf.input({ shape: [h, w, c], name: 'x' });
  const y = o.classes > 0 ? tf.input({ shape: [o.classes], name: 'y' }) : undefined;
  const z = tf.input({ shape: [o.latentDim], name: 'z' });

  // Encoder.
  let e: tf.SymbolicTensor = x;
  if (o.arch === 'conv') {
    e = tf.layers.conv2d({ filters: o.filters[0], kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', name: 'enc_conv1' }).apply(e) as tf.SymbolicTensor;
    e = tf.layers.conv2d({ filters: o.filters[1], kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', name: 'enc_conv2' }).apply(e) as tf.SymbolicTensor;
  }
  e = tf.layers.flatten({ name: 'enc_flat' }).apply(e) as tf.SymbolicTensor;
  if (y) e = tf.layers.concatenate({ name: 'enc_cond' }).apply([e, y]) as tf.SymbolicTensor;
  o.hidden.forEach((units, i) => {
    e = tf.layers.dense({ units, activation: 'relu', name: `enc_dense${i + 1}` }).apply(e) as tf.SymbolicTensor;
  });
  const enc = tf.layers.dense({ units: 2 * o.latentDim, name: ENC_OUT }).apply(e) as tf.SymbolicTensor;

  // Decoder mirrors the encoder.
  let d: tf.SymbolicTensor = y ? (tf.layers.concatenate({ name: 'dec_cond' }).apply([z, y]) as tf.SymbolicTensor) : z;
  [...o.hidden].reverse().forEach((units, i) => {
    d = tf.layers.dense({ units, activation: 'relu', name: `dec_dense${i + 1}` }).apply(d) as tf.SymbolicTensor;
  });
  let dec: tf.SymbolicTensor;
  if (o.arch === 'conv') {
    const [hq, wq] = [h / 4, w / 4];
    d = tf.layers.dense({ units: hq * wq * o.filters[1], activation: 'relu', name: 'dec_proj' }).apply(d) as tf.SymbolicTensor;
    d = tf.layers.reshape({ targetShape: [hq, wq, o.filters[1]], name: 'dec_reshape' }).apply(d) as tf.SymbolicTensor;
    d = tf.layers.conv2dTranspose({ filters: o.filters[0], kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', name: 'dec_deconv1' }).apply(d) as tf.SymbolicTensor;
    dec = tf.layers.conv2dTranspose({ filters: c, kernelSize: 4, strides: 2, padding: 'same', name: DEC_OUT }).apply(d) as tf.SymbolicTensor;
  } else {
    d = tf.layers.dense({ units: h * w * c, name: 'dec_logits' }).apply(d) as tf.SymbolicTensor;
    dec = tf.layers.reshape({ targetShape: [h, w, c], name: DEC_OUT }).apply(d) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: y ? [x, y, z] : [x, z], outputs: [enc, dec], name: 'vae' });
}

/** Encoder ([x, (y)] → μ‖log σ²) and decoder ([z, (y)] → logits) sharing the graph's layers. */
export function vaeViews(graph: tf.LayersModel): { encoder: tf.LayersModel; decoder: tf.LayersModel } {
  const [x, ...rest] = graph.inputs;
  const conditional = rest.length === 2;
  const y = conditional ? rest[0]! : undefined;
  const z = rest[rest.length - 1]!;
  const [enc, dec] = graph.outputs as [tf.SymbolicTensor, tf.SymbolicTensor];
  return {
    encoder: tf.model({ inputs: y ? [x!, y] : [x!], outputs: enc }),
    decoder: tf.model({ inputs: y ? [z, y] : [z], outputs: dec }),
  };
}
