/**
 * NumPy `.npy` v1.0 for float32 matrices (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic `\x93NUMPY`, version 1.0, a little-endian uint16 header length, then an ASCII Python dict
 * padded with spaces and ended by `\n` so that the data starts on a 64-byte boundary, then the raw
 * little-endian float32 values in C (row-major) order. `np.load('embeddings.npy')` gives [N, D].
 */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const PREAMBLE = MAGIC.length + 2 + 2; // magic, version, header length
const ALIGN = 64;

export function encodeNpyFloat32(values: Float32Array, shape: number[]): Uint8Array {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (values.length !== expected) throw new Error(`npy: ${values.length} values for shape [${shape.join(', ')}]`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const unpadded = PREAMBLE + dict.length + 1;
  const header = dict + ' '.repeat((ALIGN - (unpadded % ALIGN)) % ALIGN) + '\n';
  if (header.length > 0xffff) throw new Error('npy: header too long for format 1.0');
  const out = new Uint8Array(PREAMBLE + header.length + values.length * 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[PREAMBLE + i] = header.charCodeAt(i);
  const start = PREAMBLE + header.length;
  values.forEach((v, i) => view.setFloat32(start + i * 4, v, true));
  return out;
}

export interface NpyArray {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data (a multiple of 64 for files written here). */
  dataOffset: number;
  values: Float32Array;
}

/** Reads a v1/v2 `.npy` of little-endian float32 ('<f4'), C order. */
export function decodeNpyFloat32(bytes: Uint8Array): NpyArray {
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new Error('npy: bad magic string');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`npy: cannot parse header ${header}`);
  if (descr !== '<f4' || fortran !== 'False') throw new Error(`npy: only C-order '<f4' is supported, got ${descr}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const dataOffset = headerStart + headerLength;
  const count = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(dataOffset + i * 4, true);
  return { descr, fortranOrder: false, shape, dataOffset, values };
}
