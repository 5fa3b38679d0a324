import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { TensorCache } from '../../../src/main/data/cache';
import { DatasetImportError } from '../../../src/main/data/errors';
import { CIFAR10_CLASSES, parseCifar10 } from '../../../src/main/data/formats/cifar';
import { detectDelimiter, MAX_LABEL_LENGTH, parseLabelsCsv } from '../../../src/main/data/formats/csv';
import { encodeIdx, parseIdx } from '../../../src/main/data/formats/idx';
import {
  FASHION_MNIST_CLASSES,
  importCifar,
  importIdx,
} from '../../../src/main/data/import/standard-format';
import { removeDir, tempDir } from './fixtures';

const dir = tempDir();
afterAll(() => removeDir(dir));

/** n images of side s where image i is filled with value i (image 3 repeats image 1). */
function idxImages(n: number, s: number): Uint8Array {
  const data = new Uint8Array(n * s * s);
  for (let i = 0; i < n; i++) data.fill(i === 3 ? 10 : i * 10, i * s * s, (i + 1) * s * s);
  return encodeIdx([n, s, s], data);
}

describe('IDX', () => {
  it('parses plain and gzipped files', () => {
    const raw = idxImages(4, 3);
    for (const bytes of [raw, gzipSync(raw)]) {
      const { dims, data } = parseIdx(bytes);
      expect(dims).toEqual([4, 3, 3]);
      expect(data[9]).toBe(10);
    }
  });

  it('rejects bad magic, unsupported types and size mismatches', () => {
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]))).toThrow(/bad magic/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]))).toThrow(
      /float is not supported/,
    );
    expect(() => parseIdx(idxImages(4, 3).subarray(0, 30))).toThrow(
      /declares 4×3×3 = 36 bytes of data but the file holds 14/,
    );
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 0, 0]))).toThrow(DatasetImportError);
  });

  it('imports images + labels with class names, split from the file name, duplicates and cache', async () => {
    const images = path.join(dir, 't10k-images-idx3-ubyte.gz');
    const labels = path.join(dir, 't10k-labels-idx1-ubyte');
    writeFileSync(images, gzipSync(idxImages(4, 3)));
    writeFileSync(labels, encodeIdx([4], new Uint8Array([9, 0, 3, 0])));
    const cacheFile = path.join(dir, 'mnist.u8');
    const res = await importIdx(images, labels, { classNames: FASHION_MNIST_CLASSES, cacheFile });
    expect(res.images.map((i) => i.label)).toEqual([
      'Ankle boot',
      'T-shirt/top',
      'Dress',
      'T-shirt/top',
    ]);
    expect(res.images[0]).toMatchObject({
      relPath: 't10k-images-idx3-ubyte.gz#0',
      width: 3,
      height: 3,
      channels: 1,
      format: 'idx',
      split: 'val',
    });
    expect(res.images[3]?.duplicateOf).toBe('t10k-images-idx3-ubyte.gz#1');
    expect([res.size, res.channels, res.pixels.length]).toEqual([3, 1, 36]);
    const cache = await TensorCache.open(cacheFile);
    expect(cache.count).toBe(3);
    expect((await cache.read(cache.indexOf(res.images[2]?.hash ?? '')))[0]).toBe(20);
    await cache.close();
  });

  it('refuses a label file of the wrong length', async () => {
    const images = path.join(dir, 'train-images');
    const labels = path.join(dir, 'train-labels');
    writeFileSync(images, idxImages(4, 3));
    writeFileSync(labels, encodeIdx([3], new Uint8Array(3)));
    await expect(importIdx(images, labels)).rejects.toThrow(/expected 4 labels/);
    const noLabels = await importIdx(images, null);
    expect(noLabels.images.every((i) => i.label === null && i.split === 'train')).toBe(true);
  });

  // Debian's dataset-fashion-mnist package, when installed on the machine running the tests.
  const debian = ['/usr/share/dataset-fashion-mnist', '/usr/share/fashion-mnist']
    .map((d) => path.join(d, 't10k-images-idx3-ubyte.gz'))
    .find((f) => existsSync(f));
  it.skipIf(debian === undefined)("reads Debian's Fashion-MNIST test set", async () => {
    const imagesFile = debian as string;
    const res = await importIdx(imagesFile, imagesFile.replace('images-idx3', 'labels-idx1'), {
      classNames: FASHION_MNIST_CLASSES,
    });
    expect(res.images).toHaveLength(10_000);
    expect(res.size).toBe(28);
    expect(Object.keys(res.stats.classes)).toHaveLength(10);
  });
});

describe('CIFAR-10 binary', () => {
  function cifarRecord(label: number, r: number, g: number, b: number): Uint8Array {
    const rec = new Uint8Array(3073);
    rec[0] = label;
    rec.fill(r, 1, 1025);
    rec.fill(g, 1025, 2049);
    rec.fill(b, 2049, 3073);
    return rec;
  }

  it('converts planar RGB to HWC and reads labels', () => {
    const buf = new Uint8Array([...cifarRecord(3, 1, 2, 3), ...cifarRecord(9, 4, 5, 6)]);
    const { labels, pixels } = parseCifar10(buf);
    expect([...labels]).toEqual([3, 9]);
    expect([...pixels.subarray(0, 6)]).toEqual([1, 2, 3, 1, 2, 3]);
    expect([...pixels.subarray(3072, 3075)]).toEqual([4, 5, 6]);
  });

  it('rejects a wrong length or an out-of-range label', () => {
    expect(() => parseCifar10(new Uint8Array(3072))).toThrow(/multiple of the 3073-byte record/);
    expect(() => parseCifar10(cifarRecord(10, 0, 0, 0))).toThrow(/label 10/);
  });

  it('imports train and test batches with class names and cross-batch duplicates', async () => {
    const train = path.join(dir, 'data_batch_1.bin');
    const test = path.join(dir, 'test_batch.bin');
    writeFileSync(train, new Uint8Array([...cifarRecord(0, 1, 1, 1), ...cifarRecord(1, 2, 2, 2)]));
    writeFileSync(test, cifarRecord(0, 1, 1, 1));
    const res = await importCifar([train, test]);
    expect(res.images.map((i) => [i.label, i.split])).toEqual([
      [CIFAR10_CLASSES[0], 'train'],
      ['automobile', 'train'],
      ['airplane', 'val'],
    ]);
    expect(res.images[2]?.duplicateOf).toBe('data_batch_1.bin#0');
    expect(res.pixels).toHaveLength(3 * 3072);
    expect(res.stats).toMatchObject({ imported: 3, duplicates: 1, train: 2, val: 1 });
  });
});

describe('labels CSV', () => {
  it('reads RFC 4180 quoting (delimiters, doubled quotes, newlines inside quotes) and reports broken rows', () => {
    const { rows, problems } = parseLabelsCsv('"a,""x"".png",b\n"multi\nline.png","two\r\nlines"\nc.png,"cat"\n');
    expect(rows).toEqual([
      { line: 1, path: 'a,"x".png', label: 'b' },
      { line: 2, path: 'multi\nline.png', label: 'two\r\nlines' },
      { line: 5, path: 'c.png', label: 'cat' },
    ]);
    expect(problems).toEqual([]);
    expect(parseLabelsCsv('ok.png,fine\na"b.png,c\n').problems).toEqual([{ line: 2, reason: 'stray quote inside a field' }]);
    expect(parseLabelsCsv('ok.png,fine\n"open.png,c\n').problems).toEqual([{ line: 2, reason: 'unterminated quote' }]);
    expect(parseLabelsCsv('a.png,b,c\n').problems).toEqual([{ line: 1, reason: 'expected 2 columns (path,label), found 3' }]);
  });

  it('accepts ; and tab as the delimiter, whichever the first line uses', () => {
    expect(detectDelimiter('path;label\na;b')).toBe(';');
    expect(detectDelimiter('path\tlabel')).toBe('\t');
    expect(detectDelimiter('"x;y.png",cat')).toBe(',');
    expect(parseLabelsCsv('path;label\na,1.png;cat\n"b;2.png";dog\n').rows).toEqual([
      { line: 2, path: 'a,1.png', label: 'cat' },
      { line: 3, path: 'b;2.png', label: 'dog' },
    ]);
    expect(parseLabelsCsv('a.png\tcat\nb.png\tdog\n').rows.map((r) => r.label)).toEqual(['cat', 'dog']);
  });

  it('caps the label length', () => {
    const { rows, problems } = parseLabelsCsv(`a.png,${'x'.repeat(MAX_LABEL_LENGTH)}\nb.png,${'y'.repeat(MAX_LABEL_LENGTH + 1)}\n`);
    expect(rows).toHaveLength(1);
    expect(problems).toEqual([{ line: 2, reason: `label longer than ${MAX_LABEL_LENGTH} characters` }]);
  });

  it('skips a header and empty lines, keeps line numbers', () => {
    const { rows, problems } = parseLabelsCsv('\uFEFFfile,class\n\na.png,cat\n,dog\n');
    expect(rows).toEqual([{ line: 3, path: 'a.png', label: 'cat' }]);
    expect(problems).toEqual([{ line: 4, reason: 'empty path' }]);
  });
});
