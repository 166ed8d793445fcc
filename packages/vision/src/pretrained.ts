/**
 * Model manifest of the pretrained networks fromPretrained() knows: where the files live
 * upstream (pinned commits), how inputs are preprocessed, what the outputs are and where to cut
 * the network for transfer learning. Resolution (Node): DLKIT_MODEL_DIR/<folder> → cache →
 * download from `baseUrl`, as datasets do.
 */
import { DlkitError } from '@dlkit/core';
import type { Preprocessing } from './preprocess.js';

export interface PretrainedSpec {
  id: string;
  aliases: string[];
  title: string;
  /** Folder name under DLKIT_MODEL_DIR / the cache. */
  folder: string;
  /** 'layers': a tfjs layers model.json; 'keras-weights': a weights manifest whose topology is built in code. */
  format: 'layers' | 'keras-weights';
  /** Upstream folder holding model.json and its weight shards. */
  baseUrl: string;
  /** sha256 of the upstream model.json (weights are covered by their manifest sizes). */
  modelJsonSha256: string;
  /** Labels file in the local folder, and where a download gets them. */
  labels: { path: string; format: 'json' | 'lines' | 'js-object'; url: string };
  preprocessing: Preprocessing;
  /** Whether the network ends in a softmax or emits logits. */
  outputs: 'probabilities' | 'logits';
  /** Layer whose output feeds a new head when fine-tuning. */
  featureLayer: string;
  /** Can the input size change (fully convolutional up to the feature layer)? */
  resizable: boolean;
  alpha?: number;
  license: string;
  source: string;
}

const ML5 = 'https://raw.githubusercontent.com/ml5js/ml5-data-and-models/0612a3e7c51cbffdc5db701dff49d16d1ac26fa8/models';

export const PRETRAINED: PretrainedSpec[] = [
  {
    id: 'darknet-tiny',
    aliases: ['darknet', 'darknettiny'],
    title: 'DarkNet-tiny ImageNet classifier (1,000 classes, 224×224 RGB)',
    folder: 'darknet-tiny',
    format: 'layers',
    baseUrl: `${ML5}/darknetclassifier/darknettiny/`,
    modelJsonSha256: '5a5ee1ddb33ac7948b303197f4c63f72a80fc00a7d2870d30843004ddd5b4b51',
    labels: {
      path: 'labels.json',
      format: 'js-object',
      url: 'https://raw.githubusercontent.com/ml5js/ml5-library/f80f95aa6b31191ab7e79ff466e8506f5e48a172/src/utils/IMAGENET_CLASSES_DARKNET.js',
    },
    preprocessing: { size: [224, 224], channels: 3, resize: 'fill', mean: [0, 0, 0], std: [1, 1, 1] },
    outputs: 'logits',
    featureLayer: 'leaky_re_lu_14',
    resizable: true,
    license: 'MIT',
    source: 'ml5js/ml5-data-and-models@0612a3e models/darknetclassifier/darknettiny',
  },
  {
    id: 'mobilenet-v1-0.25',
    aliases: ['mobilenet', 'mobilenet-v1', 'mobilenet-v1-0.25-224'],
    title: 'MobileNet v1 α=0.25 ImageNet classifier (1,000 classes, 224×224 RGB), Keras weights',
    folder: 'mobilenet-v1-0.25-224',
    format: 'keras-weights',
    baseUrl: 'https://raw.githubusercontent.com/giangndonaclover/ILearnMachineLearning.js/edfa5df8c3c9b2dc2f4b471d30a326b2f1ba090b/models/mobilenet/',
    modelJsonSha256: '47731e069c6b022a682b5f51616ee38bdeb1f9509a1ab00f2411b69aee778969',
    labels: {
      path: 'labels.json',
      format: 'js-object',
      url: 'https://raw.githubusercontent.com/tensorflow/tfjs-models/master/mobilenet/src/imagenet_classes.ts',
    },
    // Keras mobilenet.preprocess_input: x/127.5 − 1.
    preprocessing: { size: [224, 224], channels: 3, resize: 'fill', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    outputs: 'probabilities',
    featureLayer: 'global_average_pooling2d_1',
    resizable: true,
    alpha: 0.25,
    license: 'Apache-2.0',
    source: 'giangndonaclover/ILearnMachineLearning.js@edfa5df models/mobilenet',
  },
  {
    id: 'doodlenet',
    aliases: ['quickdraw'],
    title: 'DoodleNet QuickDraw classifier (345 classes, 28×28 grayscale)',
    folder: 'doodlenet',
    format: 'layers',
    baseUrl: `${ML5}/doodlenet/`,
    modelJsonSha256: 'b652eae4c567f2fff69c37b2f365f8622ad2712d88d32c7ac9187700266c0e46',
    labels: { path: 'class_names.txt', format: 'lines', url: `${ML5}/doodlenet/class_names.txt` },
    // ml5 feeds 1 − gray/255: dark strokes on a white canvas become 1 on 0 (so MNIST needs no inversion).
    preprocessing: { size: [28, 28], channels: 1, resize: 'fill', mean: [0], std: [1], invert: true },
    outputs: 'probabilities',
    featureLayer: 'dense',
    resizable: false,
    license: 'MIT',
    source: 'ml5js/ml5-data-and-models@0612a3e models/doodlenet',
  },
];

export function pretrainedSpec(id: string): PretrainedSpec {
  const key = id.toLowerCase();
  const spec = PRETRAINED.find((p) => p.id === key || p.aliases.includes(key));
  if (!spec) {
    throw new DlkitError('NOT_FOUND', `Unknown pretrained model "${id}". Known: ${PRETRAINED.map((p) => p.id).join(', ')}.`, {
      hint: 'Or load a directory saved by ImageClassifier.save() with ImageClassifier.load(dir).',
    });
  }
  return spec;
}

/** Parse a labels file in one of the manifest's formats. */
export function parseLabels(text: string, format: PretrainedSpec['labels']['format'], source: string): string[] {
  let labels: string[];
  if (format === 'json') {
    const j = JSON.parse(text) as unknown;
    labels = Array.isArray(j) ? (j as string[]) : Object.keys(j as object).sort((a, b) => Number(a) - Number(b)).map((k) => (j as Record<string, string>)[k]!);
  } else if (format === 'lines') {
    labels = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  } else {
    // A JS/TS module `{0: 'tench', 1: "goldfish", ...}` or a JSON array: collect the labels in key order.
    const trimmed = text.trim();
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseLabels(text, 'json', source);
    const pairs = [...text.matchAll(/(\d+)\s*:\s*(['"])((?:\\.|(?!\2).)*)\2/g)].map((m) => [Number(m[1]), m[3]!.replace(/\\(.)/g, '$1')] as const);
    labels = pairs.sort((a, b) => a[0] - b[0]).map((p) => p[1]);
  }
  if (labels.length === 0 || labels.some((l) => typeof l !== 'string')) {
    throw new DlkitError('CORRUPT_DATA', `Labels file ${source} holds no list of class names.`, { details: { file: source } });
  }
  return labels;
}
