import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng } from '@dlkit/core';
import { describe, expect, it } from 'vitest';
import { decodeIdx, encodeIdx } from '../src/index.js';
import { readIdxFile } from '../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'dlkit-idx-'));
const rng = new Rng(1);
const pixels = Uint8Array.from({ length: 3 * 4 * 5 }, () => rng.int(256));
const good = encodeIdx(pixels, [3, 4, 5]);

describe('IDX decoder', () => {
  it('decodes images and reads .gz files', async () => {
    const a = decodeIdx(good);
    expect(a.shape).toEqual([3, 4, 5]);
    expect(a.dtype).toBe('uint8');
    expect(Array.from(a.data)).toEqual(Array.from(pixels));
    const gz = join(dir, 'ok.idx3.gz');
    writeFileSync(gz, gzipSync(good));
    expect((await readIdxFile(gz)).shape).toEqual([3, 4, 5]);
  });

  it('decodes big-endian multi-byte dtypes', () => {
    const b = new Uint8Array(4 + 4 + 8);
    const v = new DataView(b.buffer);
    b[2] = 0x0c;
    b[3] = 1;
    v.setUint32(4, 2, false);
    v.setInt32(8, -5, false);
    v.setInt32(12, 70000, false);
    expect(Array.from(decodeIdx(b).data)).toEqual([-5, 70000]);
  });

  it('rejects truncated data naming the file and offset', async () => {
    const file = join(dir, 'trunc.idx3');
    writeFileSync(file, good.subarray(0, good.length - 7));
    const err = await readIdxFile(file).catch((e) => e);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(new RegExp(`offset ${good.length - 7}`));
    expect(err.details.offset).toBe(good.length - 7);
  });

  it('rejects a bad magic, unknown dtype, truncated header, trailing bytes, wrong dims', () => {
    const badMagic = good.slice();
    badMagic[0] = 0x1f;
    expect(() => decodeIdx(badMagic, 'x.idx')).toThrow(/x\.idx at offset 0: bad IDX magic/);
    const badType = good.slice();
    badType[2] = 0x42;
    expect(() => decodeIdx(badType, 'x.idx')).toThrow(/dtype code 0x42/);
    expect(() => decodeIdx(good.subarray(0, 9), 'h.idx')).toThrow(/h\.idx.*truncated IDX header/);
    expect(() => decodeIdx(Uint8Array.from([...good, 1, 2]), 't.idx')).toThrow(/2 unexpected trailing bytes/);
    expect(() => decodeIdx(good, 'd.idx', { dims: 1 })).toThrow(/3 dimensions, expected 1/);
  });

  it('rejects a truncated gzip stream naming the file', async () => {
    const file = join(dir, 'trunc.idx.gz');
    const gz = gzipSync(good);
    writeFileSync(file, gz.subarray(0, gz.length - 10));
    const err = await readIdxFile(file).catch((e) => e);
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toContain(file);
  });
});
