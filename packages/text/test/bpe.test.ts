import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BpeTokenizer, tokenizerFromHfJson, tokenizerFromJSON } from '../src/index.js';

// A tiny RoBERTa-style byte-level BPE tokenizer.json: specials, the 256 byte symbols, merges.
function tinyBpe(): Record<string, unknown> {
  const bytes: string[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(String.fromCodePoint(b));
  for (let b = 161; b <= 172; b++) bytes.push(String.fromCodePoint(b));
  for (let b = 174; b <= 255; b++) bytes.push(String.fromCodePoint(b));
  for (let n = 0; n < 68; n++) bytes.push(String.fromCodePoint(256 + n));
  const merges = ['Ġ t', 'h e', 'Ġt he', 'Ġ f', 'i l', 'il m', 'Ġf ilm', 'Ġ w', 'i t', 'Ġw it', 'Ġwit t', 'Ġwitt y', 'o o', 'g oo', 'goo d'];
  const vocab: Record<string, number> = { '<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3 };
  for (const t of [...bytes, ...merges.map((m) => m.replace(' ', ''))]) if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  vocab['<mask>'] = Object.keys(vocab).length;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['<s>', '<pad>', '</s>', '<unk>', '<mask>'].map((content) => ({ id: vocab[content], content, single_word: false, lstrip: content === '<mask>', rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'dlkit-bpe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('byte-level BPE from tokenizer.json', () => {
  const json = JSON.stringify(tinyBpe());
  const ours = BpeTokenizer.fromJSONText(json);

  it('applies merges by rank and adds <s> … </s>', () => {
    expect(ours.tokenize('the film is witty')).toEqual(['t', 'he', 'Ġfilm', 'Ġ', 'i', 's', 'Ġwitty']);
    const ids = ours.encode('the film');
    expect(ids[0]).toBe(0);
    expect(ids.at(-1)).toBe(2);
    expect(ours.encode('the film is witty and good', { maxLength: 5 })).toHaveLength(5);
    expect(tokenizerFromHfJson(json)).toBeInstanceOf(BpeTokenizer);
    expect(tokenizerFromJSON(ours.toJSON()).encode('café ☕')).toEqual(ours.encode('café ☕'));
  });

  it('matches transformers.js ids', async () => {
    mkdirSync(join(dir, 'tiny-bpe'));
    writeFileSync(join(dir, 'tiny-bpe', 'tokenizer.json'), json);
    writeFileSync(join(dir, 'tiny-bpe', 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'RobertaTokenizer', bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>', mask_token: '<mask>' }));
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = `${dir}/`;
    const theirs = await AutoTokenizer.from_pretrained('tiny-bpe');
    for (const s of ['the film is witty', "It's a GOOD film!!  Really?", 'café ☕ 123 the\tfilm\n']) {
      expect(ours.encode(s)).toEqual(Array.from(theirs.encode(s)));
    }
  });
});
