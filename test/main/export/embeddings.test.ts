import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/compute/tf';
import { embeddingsCsv, formatFloat32, type EmbeddingSet } from '../../../src/main/export/embeddings';
import { exportEncoder } from '../../../src/main/export/export-encoder';
import { readMetadata } from '../../../src/main/export/metadata';
import { decodeNpyFloat32, encodeNpyFloat32 } from '../../../src/main/export/npy';
import { buildEncoder } from '../../../src/main/ssl/index';
import { metadataFor, tempRoot } from './fixtures';

const SET: EmbeddingSet = {
  features: Float32Array.of(0.1, -2.5, 1e-8, 3.4028234663852886e38, 1 / 3, -0, 123456.789, 7),
  dim: 2,
  labels: ['cat', 'dog, "big"', null, 'tab\there'],
  paths: ['a/1.png', 'b/2,x.png', 'c/3.png', 'd/line\nbreak.png'],
};

/** Minimal RFC 4180 reader, enough to prove the CSV parses back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  return rows;
}

describe('embeddings files', () => {
  let cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterEach(async () => {
    await Promise.all(cleanups.map((c) => c()));
    cleanups = [];
  });

  it('.npy v1.0: header parsed back, data 64-byte aligned, values exact', () => {
    const bytes = encodeNpyFloat32(SET.features, [4, 2]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(4, 2\), \} *\n$/);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes.length).toBe(10 + headerLength + 8 * 4);
    const decoded = decodeNpyFloat32(bytes);
    expect(decoded.shape).toEqual([4, 2]);
    expect(decoded.dataOffset % 64).toBe(0);
    expect(Array.from(decoded.values)).toEqual(Array.from(SET.features));
    expect(new TextDecoder().decode(encodeNpyFloat32(Float32Array.of(1, 2), [2]).subarray(10))).toContain("'shape': (2,), ");
    expect(() => encodeNpyFloat32(Float32Array.of(1, 2, 3), [2, 2])).toThrow(/3 values/);
  });

  it('floats are written with the fewest digits that read back to the same float32', () => {
    for (const v of SET.features) expect(Math.fround(Number(formatFloat32(v)))).toBe(v);
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(() => formatFloat32(NaN)).toThrow(/non-finite/);
  });

  it('CSV quotes commas and quotes, and parses back to the same numbers', () => {
    const rows = parseCsv(embeddingsCsv(SET));
    expect(rows[0]).toEqual(['path', 'label', 'e0', 'e1']);
    expect(rows[2]!.slice(0, 2)).toEqual(['b/2,x.png', 'dog, "big"']);
    expect(rows[3]![1]).toBe('');
    const values = rows.slice(1).flatMap((r) => r.slice(2).map(Number));
    expect(Float32Array.from(values)).toEqual(SET.features);
  });

  it('exports npy + csv + projector pair + metadata.json', async () => {
    const { root, cleanup } = await tempRoot();
    cleanups.push(cleanup);
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
    const result = await exportEncoder({ encoder, format: 'embeddings', outDir: root, metadata: metadataFor(1), embeddings: SET });
    expect(result.files.sort()).toEqual(['embeddings.csv', 'embeddings.npy', 'metadata.json', 'metadata.tsv', 'tensors.tsv']);
    const npy = decodeNpyFloat32(new Uint8Array(await readFile(join(root, 'embeddings.npy'))));
    expect(npy.values).toEqual(SET.features);
    const tensors = (await readFile(join(root, 'tensors.tsv'), 'utf8')).trimEnd().split('\n').map((l) => l.split('\t').map(Number));
    expect(tensors.length).toBe(4);
    expect(Float32Array.from(tensors.flat())).toEqual(SET.features);
    const meta = (await readFile(join(root, 'metadata.tsv'), 'utf8')).trimEnd().split('\n').map((l) => l.split('\t'));
    expect(meta).toEqual([['label', 'path'], ['cat', 'a/1.png'], ['dog, "big"', 'b/2,x.png'], ['', 'c/3.png'], ['tab here', 'd/line break.png']]);
    const metadata = await readMetadata(root);
    expect(metadata?.embeddings).toEqual({ count: 4, dim: 2 });
    expect(metadata?.training.dataset.contentHash).toBe('sha256:0123abcd');
    encoder.dispose();
  });

  it('refuses inconsistent embeddings before creating anything', async () => {
    const { root, cleanup } = await tempRoot();
    cleanups.push(cleanup);
    const encoder = buildEncoder({ name: 'small', inputShape: [8, 8, 1], widthMultiplier: 0.25, seed: 1 });
    const bad = { ...SET, labels: ['only one'] };
    const outDir = join(root, 'out');
    await expect(exportEncoder({ encoder, format: 'embeddings', outDir, metadata: metadataFor(1), embeddings: bad })).rejects.toThrow(/4 rows but 1 labels/);
    await expect(exportEncoder({ encoder, format: 'embeddings', outDir, metadata: metadataFor(1) })).rejects.toThrow(/needs the embeddings/);
    await expect(readFile(outDir)).rejects.toThrow(/ENOENT/);
    encoder.dispose();
  });
});
