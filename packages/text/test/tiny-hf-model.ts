/**
 * Builds a tiny Hugging Face-format text classifier on disk — ONNX graph (hand-encoded
 * protobuf), WordPiece tokenizer.json, config.json — since no hub is reachable in tests.
 * The "model" is a masked mean of word embeddings → linear → logits (+ last_hidden_state), with
 * weights set so "good/great/witty" read positive and "bad/tedious/mess" negative.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// ---- minimal protobuf writer ----
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
function tensor(name: string, dims: number[], type: number, raw: Uint8Array): Uint8Array {
  return msg([...dims.map((d): Field => [1, 'varint', d]), [2, 'varint', type], [8, 'bytes', name], [9, 'bytes', raw]]);
}
const f32 = (a: number[]) => new Uint8Array(Float32Array.from(a).buffer);
const i64 = (a: number[]) => new Uint8Array(BigInt64Array.from(a.map(BigInt)).buffer);
function valueInfo(name: string, type: number, dims: (number | string)[]): Uint8Array {
  const shape = msg(dims.map((d): Field => [1, 'bytes', typeof d === 'number' ? msg([[1, 'varint', d]]) : msg([[2, 'bytes', d]])]));
  return msg([
    [1, 'bytes', name],
    [2, 'bytes', msg([[1, 'bytes', msg([[1, 'varint', type], [2, 'bytes', shape]])]])],
  ]);
}
function node(op: string, inputs: string[], outputs: string[], attrs: Field[][] = []): Uint8Array {
  return msg([...inputs.map((i): Field => [1, 'bytes', i]), ...outputs.map((o): Field => [2, 'bytes', o]), [3, 'bytes', `${op}_${outputs[0]}`], [4, 'bytes', op], ...attrs.map((a): Field => [5, 'bytes', msg(a)])]);
}

export const TINY_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'the', 'film', 'movie', 'good', 'great', 'witty', 'bad', 'tedious', 'mess', 'and', '##s', ',', '.', '!'];
const POSITIVE = new Set(['good', 'great', 'witty']);
const NEGATIVE = new Set(['bad', 'tedious', 'mess']);
export const TINY_DIM = 4;

function onnxModel(): Uint8Array {
  const V = TINY_VOCAB.length;
  const D = TINY_DIM;
  const emb: number[] = [];
  TINY_VOCAB.forEach((w, i) => {
    emb.push(POSITIVE.has(w) ? 1 : NEGATIVE.has(w) ? -1 : 0, i / V, 0.1, -0.1);
  });
  const keepdims0: Field[] = [
    [1, 'bytes', 'keepdims'],
    [3, 'varint', 0],
    [20, 'varint', 2],
  ];
  const graph = msg([
    [1, 'bytes', node('Gather', ['embeddings', 'input_ids'], ['tok'])],
    [1, 'bytes', node('Cast', ['attention_mask'], ['maskf'], [[[1, 'bytes', 'to'], [3, 'varint', FLOAT], [20, 'varint', 2]]])],
    [1, 'bytes', node('Unsqueeze', ['maskf', 'axis_last'], ['mask3'])],
    [1, 'bytes', node('Mul', ['tok', 'mask3'], ['last_hidden_state'])],
    [1, 'bytes', node('ReduceSum', ['last_hidden_state', 'axis1'], ['summed'], [keepdims0])],
    [1, 'bytes', node('ReduceSum', ['mask3', 'axis1'], ['count'], [keepdims0])],
    [1, 'bytes', node('Div', ['summed', 'count'], ['pooled'])],
    [1, 'bytes', node('MatMul', ['pooled', 'classifier_w'], ['scores'])],
    [1, 'bytes', node('Add', ['scores', 'classifier_b'], ['logits'])],
    [2, 'bytes', 'tiny-bow'],
    [5, 'bytes', tensor('embeddings', [V, D], FLOAT, f32(emb))],
    [5, 'bytes', tensor('classifier_w', [D, 2], FLOAT, f32([-4, 4, 0, 0, 0, 0, 0, 0]))],
    [5, 'bytes', tensor('classifier_b', [2], FLOAT, f32([0, 0]))],
    [5, 'bytes', tensor('axis1', [1], INT64, i64([1]))],
    [5, 'bytes', tensor('axis_last', [1], INT64, i64([2]))],
    [11, 'bytes', valueInfo('input_ids', INT64, ['batch', 'sequence'])],
    [11, 'bytes', valueInfo('attention_mask', INT64, ['batch', 'sequence'])],
    [12, 'bytes', valueInfo('logits', FLOAT, ['batch', 2])],
    [12, 'bytes', valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', D])],
  ]);
  return msg([
    [1, 'varint', 8],
    [2, 'bytes', 'dlkit-test'],
    [7, 'bytes', graph],
    [8, 'bytes', msg([[1, 'bytes', ''], [2, 'varint', 13]])],
  ]);
}

function tokenizerJson(): unknown {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({ id: TINY_VOCAB.indexOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(TINY_VOCAB.map((w, i) => [w, i])) },
  };
}

/** Writes `<root>/<name>/{config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx}`. */
export function writeTinyHfModel(root: string, name = 'tiny-sentiment'): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel());
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', architectures: ['BertForSequenceClassification'], id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' }, label2id: { NEGATIVE: 0, POSITIVE: 1 }, hidden_size: TINY_DIM, vocab_size: TINY_VOCAB.length }),
  );
  return dir;
}
