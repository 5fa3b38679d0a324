/**
 * safetensors files (the Hugging Face format: u64 LE header length, a JSON header
 * `{ name: { dtype, shape, data_offsets } , __metadata__? }`, then raw little-endian data).
 * Float32 only on write; F32, F64 and F16 are read as float32. Pure Node, no tensors.
 */
import { readFileSync } from 'node:fs';
import { WorkbenchError } from '../../shared/errors';

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export function encodeSafetensors(tensors: Readonly<Record<string, NamedTensor>>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new RangeError(`safetensors: ${name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = Buffer.alloc(8 + json.length + offset);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  let at = 8 + json.length;
  for (const t of Object.values(tensors)) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, at);
    at += t.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(buf: Buffer, label = 'safetensors data'): { tensors: Record<string, NamedTensor>; metadata: Record<string, string> } {
  const bad = (why: string): never => {
    throw new WorkbenchError('INVALID_INPUT', `${label} is not a safetensors file: ${why}`);
  };
  if (buf.length < 8) bad('shorter than its header');
  const length = Number(buf.readBigUInt64LE(0));
  if (length > buf.length - 8) bad('header longer than the file');
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> = {};
  try {
    header = JSON.parse(buf.toString('utf8', 8, 8 + length)) as typeof header;
  } catch (err) {
    bad(`header is not JSON (${(err as Error).message})`);
  }
  const base = 8 + length;
  const tensors: Record<string, NamedTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as unknown as Record<string, string>;
      continue;
    }
    const [start, end] = entry.data_offsets;
    if (!(start >= 0 && end >= start && base + end <= buf.length)) bad(`${name} lies outside the file`);
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const bytes = buf.subarray(base + start, base + end);
    const data = new Float32Array(size);
    const width = entry.dtype === 'F32' ? 4 : entry.dtype === 'F64' ? 8 : entry.dtype === 'F16' ? 2 : 0;
    if (width === 0) bad(`${name} has dtype ${entry.dtype}; F32, F64 and F16 are read`);
    if (bytes.length !== size * width) bad(`${name} holds ${bytes.length} bytes for shape [${entry.shape.join(', ')}] ${entry.dtype}`);
    for (let i = 0; i < size; i++) {
      data[i] = width === 4 ? bytes.readFloatLE(i * 4) : width === 8 ? bytes.readDoubleLE(i * 8) : halfToFloat(bytes.readUInt16LE(i * 2));
    }
    tensors[name] = { shape: entry.shape, data };
  }
  return { tensors, metadata };
}

export function readSafetensors(file: string): { tensors: Record<string, NamedTensor>; metadata: Record<string, string> } {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new WorkbenchError('INVALID_INPUT', `cannot read ${file}: ${(err as Error).message}`);
  }
  return decodeSafetensors(buf, file);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
