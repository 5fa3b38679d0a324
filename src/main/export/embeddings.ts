/**
 * Dataset embeddings in the formats other tools open directly:
 * - `embeddings.npy` — float32 [N, D] (`np.load`);
 * - `embeddings.csv` — header `path,label,e0,…,e{D−1}`, one row per image, RFC 4180 quoting;
 * - `tensors.tsv` + `metadata.tsv` — the TensorBoard Embedding Projector pair
 *   (https://projector.tensorflow.org → "Load"): tensors.tsv has D tab-separated numbers per row and no
 *   header; metadata.tsv has a `label\tpath` header (the projector requires one when there are two or
 *   more columns) and one row per tensor row.
 * Numbers are written with the fewest digits that parse back to the same float32.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-file';
import { encodeNpyFloat32 } from './npy';

export interface EmbeddingSet {
  /** Row-major [N, dim]. */
  features: Float32Array;
  dim: number;
  /** One per row; null when the image has no label. */
  labels: (string | null)[];
  /** One per row, the image's path relative to the dataset root. */
  paths: string[];
}

export const EMBEDDING_FILES = {
  npy: 'embeddings.npy',
  csv: 'embeddings.csv',
  projectorTensors: 'tensors.tsv',
  projectorMetadata: 'metadata.tsv',
} as const;

/** Shortest decimal text that reads back as the same float32 (≤ 9 significant digits). */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`embeddings: non-finite value ${value}`);
  const f = Math.fround(value);
  if (Object.is(f, -0)) return '-0';
  for (let digits = 6; digits < 9; digits++) {
    const text = String(Number(f.toPrecision(digits)));
    if (Math.fround(Number(text)) === f) return text;
  }
  return String(Number(f.toPrecision(9)));
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The projector splits on tabs and lines: those characters cannot survive inside a field. */
function tsvField(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

export function validateEmbeddingSet(set: EmbeddingSet): number {
  if (!Number.isInteger(set.dim) || set.dim < 1) throw new Error(`embeddings: dim must be a positive integer, got ${set.dim}`);
  if (set.features.length % set.dim !== 0) throw new Error(`embeddings: ${set.features.length} values are not a multiple of dim ${set.dim}`);
  const rows = set.features.length / set.dim;
  if (set.labels.length !== rows || set.paths.length !== rows) {
    throw new Error(`embeddings: ${rows} rows but ${set.labels.length} labels and ${set.paths.length} paths`);
  }
  return rows;
}

function rowText(set: EmbeddingSet, row: number, separator: string): string {
  const cells: string[] = [];
  for (let j = 0; j < set.dim; j++) cells.push(formatFloat32(set.features[row * set.dim + j] ?? NaN));
  return cells.join(separator);
}

export function embeddingsCsv(set: EmbeddingSet): string {
  const rows = validateEmbeddingSet(set);
  const header = ['path', 'label', ...Array.from({ length: set.dim }, (_, j) => `e${j}`)].join(',');
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    lines.push(`${csvField(set.paths[i] ?? '')},${csvField(set.labels[i] ?? '')},${rowText(set, i, ',')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function projectorTensorsTsv(set: EmbeddingSet): string {
  const rows = validateEmbeddingSet(set);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) lines.push(rowText(set, i, '\t'));
  return `${lines.join('\n')}\n`;
}

export function projectorMetadataTsv(set: EmbeddingSet): string {
  const rows = validateEmbeddingSet(set);
  const lines = ['label\tpath'];
  for (let i = 0; i < rows; i++) lines.push(`${tsvField(set.labels[i] ?? '')}\t${tsvField(set.paths[i] ?? '')}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the four files into the existing folder `dir`; returns their names. */
export async function writeEmbeddings(dir: string, set: EmbeddingSet): Promise<string[]> {
  const rows = validateEmbeddingSet(set);
  await writeFileAtomic(join(dir, EMBEDDING_FILES.npy), encodeNpyFloat32(set.features, [rows, set.dim]));
  await writeFileAtomic(join(dir, EMBEDDING_FILES.csv), embeddingsCsv(set));
  await writeFileAtomic(join(dir, EMBEDDING_FILES.projectorTensors), projectorTensorsTsv(set));
  await writeFileAtomic(join(dir, EMBEDDING_FILES.projectorMetadata), projectorMetadataTsv(set));
  return Object.values(EMBEDDING_FILES);
}
