/**
 * Builds a tiny Hugging Face-format image classifier on disk — ONNX graph (hand-encoded
 * protobuf), preprocessor_config.json, config.json — since no hub is reachable in tests.
 * The "model": mean of each channel of pixel_values → linear → logits, weighted so a red image
 * reads "red" and a blue one "blue". (Protobuf writer as in @dlkit/text's tiny text model.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Field = [number, 'varint', number] | [number, 'bytes', Uint8Array | string];
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
function msg(fields: Field[]): Uint8Array {
  const parts: number[] = [];
  for (const [num, kind, value] of fields) {
    if (kind === 'varint') parts.push(...varint(num * 8), ...varint(value));
    else {
      const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      parts.push(...varint(num * 8 + 2), ...varint(bytes.length), ...bytes);
    }
  }
  return Uint8Array.from(parts);
}

const FLOAT = 1;
const f32 = (a: number[]) => new Uint8Array(Float32Array.from(a).buffer);
function tensor(name: string, dims: number[], raw: Uint8Array): Uint8Array {
  return msg([...dims.map((d): Field => [1, 'varint', d]), [2, 'varint', FLOAT], [8, 'bytes', name], [9, 'bytes', raw]]);
}
function valueInfo(name: string, dims: (number | string)[]): Uint8Array {
  const shape = msg(dims.map((d): Field => [1, 'bytes', typeof d === 'number' ? msg([[1, 'varint', d]]) : msg([[2, 'bytes', d]])]));
  return msg([
    [1, 'bytes', name],
    [2, 'bytes', msg([[1, 'bytes', msg([[1, 'varint', FLOAT], [2, 'bytes', shape]])]])],
  ]);
}
function node(op: string, inputs: string[], outputs: string[], attrs: Field[][] = []): Uint8Array {
  return msg([...inputs.map((i): Field => [1, 'bytes', i]), ...outputs.map((o): Field => [2, 'bytes', o]), [3, 'bytes', `${op}_${outputs[0]}`], [4, 'bytes', op], ...attrs.map((a): Field => [5, 'bytes', msg(a)])]);
}

export const TINY_IMAGE_SIZE = 8;

function onnxModel(): Uint8Array {
  // ReduceMean over H, W (opset 13: axes is an INTS attribute, type 7), keepdims 0.
  const reduce: Field[][] = [
    [
      [1, 'bytes', 'axes'],
      [8, 'varint', 2],
      [8, 'varint', 3],
      [20, 'varint', 7],
    ],
    [
      [1, 'bytes', 'keepdims'],
      [3, 'varint', 0],
      [20, 'varint', 2],
    ],
  ];
  const graph = msg([
    [1, 'bytes', node('ReduceMean', ['pixel_values'], ['means'], reduce)],
    [1, 'bytes', node('MatMul', ['means', 'w'], ['scores'])],
    [1, 'bytes', node('Add', ['scores', 'b'], ['logits'])],
    [2, 'bytes', 'tiny-color'],
    // rows: R, G, B channel means (normalised to [-1, 1]); columns: red, blue.
    [5, 'bytes', tensor('w', [3, 2], f32([4, -4, 0, 0, -4, 4]))],
    [5, 'bytes', tensor('b', [2], f32([0, 0]))],
    [11, 'bytes', valueInfo('pixel_values', ['batch', 3, TINY_IMAGE_SIZE, TINY_IMAGE_SIZE])],
    [12, 'bytes', valueInfo('logits', ['batch', 2])],
  ]);
  return msg([
    [1, 'varint', 8],
    [2, 'bytes', 'dlkit-test'],
    [7, 'bytes', graph],
    [8, 'bytes', msg([[1, 'bytes', ''], [2, 'varint', 13]])],
  ]);
}

/** Writes `<root>/<name>/{config.json, preprocessor_config.json, onnx/model.onnx}`. */
export function writeTinyHfImageModel(root: string, name = 'tiny-color'): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel());
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify({
      image_processor_type: 'ViTImageProcessor',
      do_resize: true,
      size: { height: TINY_IMAGE_SIZE, width: TINY_IMAGE_SIZE },
      resample: 2,
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.5, 0.5, 0.5],
      image_std: [0.5, 0.5, 0.5],
    }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'vit', architectures: ['ViTForImageClassification'], id2label: { 0: 'red', 1: 'blue' }, label2id: { red: 0, blue: 1 }, image_size: TINY_IMAGE_SIZE, num_channels: 3 }),
  );
  return dir;
}
