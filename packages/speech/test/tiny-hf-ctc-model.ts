/**
 * Builds a tiny Hugging Face-format wav2vec2-CTC model on disk — ONNX graph (hand-encoded
 * protobuf), config.json, preprocessor_config.json, tokenizer.json — since no hub is reachable in
 * tests. The "model": per 20 ms frame (320 samples, as wav2vec2's conv stack), the mean power
 * decides the token: quiet → "|" (word delimiter), moderate → "b", loud → "c"; "<pad>" is the
 * CTC blank. So a recording's loudness pattern spells words with known times.
 * (Protobuf writer as in @dlkit/vision's tiny image model.)
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
const INT64 = 7;
const f32 = (a: number[]) => new Uint8Array(Float32Array.from(a).buffer);
const i64 = (a: number[]) => new Uint8Array(BigInt64Array.from(a.map(BigInt)).buffer);
function tensor(name: string, dims: number[], type: number, raw: Uint8Array): Uint8Array {
  return msg([...dims.map((d): Field => [1, 'varint', d]), [2, 'varint', type], [8, 'bytes', name], [9, 'bytes', raw]]);
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
const ints = (name: string, values: number[]): Field[] => [[1, 'bytes', name], ...values.map((v): Field => [8, 'varint', v]), [20, 'varint', 7]];

export const TINY_VOCAB = ['<pad>', '|', 'b', 'c'];
export const FRAME = 320;

function onnxModel(): Uint8Array {
  // Thresholds on the frame's mean power p: "|" below 1e-3, "b" up to 0.03, "c" above.
  // logits = p·w + b with slopes 0, 1000, 2000 (the blank never wins).
  const graph = msg([
    [1, 'bytes', node('Reshape', ['input_values', 'shape3'], ['x3'])],
    [1, 'bytes', node('Mul', ['x3', 'x3'], ['power'])],
    [1, 'bytes', node('Conv', ['power', 'avg'], ['frames'], [ints('kernel_shape', [FRAME]), ints('strides', [FRAME])])],
    [1, 'bytes', node('Transpose', ['frames'], ['framesT'], [ints('perm', [0, 2, 1])])],
    [1, 'bytes', node('MatMul', ['framesT', 'w'], ['scores'])],
    [1, 'bytes', node('Add', ['scores', 'b'], ['logits'])],
    [2, 'bytes', 'tiny-ctc'],
    [5, 'bytes', tensor('shape3', [3], INT64, i64([1, 1, -1]))],
    [5, 'bytes', tensor('avg', [1, 1, FRAME], FLOAT, f32(Array(FRAME).fill(1 / FRAME)))],
    [5, 'bytes', tensor('w', [1, 4], FLOAT, f32([0, 0, 1000, 2000]))],
    [5, 'bytes', tensor('b', [4], FLOAT, f32([-100, 0, -1, -31]))],
    [11, 'bytes', valueInfo('input_values', [1, 'samples'])],
    [12, 'bytes', valueInfo('logits', [1, 'frames', 4])],
  ]);
  return msg([
    [1, 'varint', 8],
    [2, 'bytes', 'dlkit-test'],
    [7, 'bytes', graph],
    [8, 'bytes', msg([[1, 'bytes', ''], [2, 'varint', 13]])],
  ]);
}

/** Writes `<root>/<name>/{config.json, preprocessor_config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx}`. */
export function writeTinyHfCtcModel(root: string, name = 'tiny-ctc'): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel());
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'wav2vec2', architectures: ['Wav2Vec2ForCTC'], vocab_size: 4, pad_token_id: 0, conv_stride: [5, 2, 2, 2, 2, 2, 2] }));
  writeFileSync(join(dir, 'preprocessor_config.json'), JSON.stringify({ feature_extractor_type: 'Wav2Vec2FeatureExtractor', sampling_rate: 16000, do_normalize: false, return_attention_mask: false, feature_size: 1, padding_value: 0, padding_side: 'right' }));
  const vocab = Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i]));
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [{ id: 0, content: '<pad>', single_word: false, lstrip: true, rstrip: true, normalized: false, special: true }],
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: { type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: true },
      model: { type: 'WordPiece', unk_token: '<pad>', continuing_subword_prefix: '', max_input_chars_per_word: 1000000, vocab },
    }),
  );
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'Wav2Vec2CTCTokenizer', pad_token: '<pad>', unk_token: '<pad>', word_delimiter_token: '|', do_lower_case: false }));
  return dir;
}
