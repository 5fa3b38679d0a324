import { gunzipSync } from 'node:zlib';
import { DatasetImportError } from '../errors';

/**
 * IDX files (MNIST, Fashion-MNIST): magic 0x0000, element type, number of dims, dims as u32
 * big-endian, then the data. Only unsigned bytes (type 0x08) are supported — that is what the
 * image and label files use. Gzipped files (`.gz`, detected by content) are inflated first.
 * http://yann.lecun.com/exdb/mnist/
 */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const IDX_TYPES: Record<number, string> = {
  0x08: 'ubyte',
  0x09: 'byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

export function parseIdx(input: Uint8Array, name = 'IDX file'): IdxArray {
  const buf = isGzip(input) ? gunzip(input, name) : input;
  const bad = (why: string): DatasetImportError =>
    new DatasetImportError('bad-format', `${name} is not a valid IDX file: ${why}`);
  if (buf.byteLength < 4) throw bad('too short');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint16(0) !== 0) throw bad('bad magic number');
  const type = view.getUint8(2);
  const ndims = view.getUint8(3);
  if (!(type in IDX_TYPES)) throw bad(`unknown element type 0x${type.toString(16)}`);
  if (type !== 0x08)
    throw bad(`element type ${IDX_TYPES[type]} is not supported (only unsigned bytes)`);
  if (ndims === 0) throw bad('zero dimensions');
  const headerBytes = 4 + 4 * ndims;
  if (buf.byteLength < headerBytes) throw bad('truncated header');
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const n = view.getUint32(4 + 4 * d);
    dims.push(n);
    count *= n;
  }
  const available = buf.byteLength - headerBytes;
  if (available !== count)
    throw bad(
      `header declares ${dims.join('×')} = ${count} bytes of data but the file holds ${available}`,
    );
  return { dims, data: buf.subarray(headerBytes) };
}

/** Writes an unsigned-byte IDX file (used by tests and the sample-data script). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, dims.length);
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function isGzip(buf: Uint8Array): boolean {
  return buf.byteLength >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

function gunzip(buf: Uint8Array, name: string): Uint8Array {
  try {
    return gunzipSync(buf);
  } catch (err) {
    throw new DatasetImportError(
      'bad-format',
      `${name}: corrupt gzip data (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
