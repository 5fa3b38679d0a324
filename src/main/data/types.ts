import type { ImageFormat } from './image-types';

/** A file that was not imported, with a sentence the user can read. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export type Split = 'train' | 'val';

/** One imported image. Records are plain data: the store persists them as they are. */
export interface ImportedImage {
  /** Absolute path (for IDX/CIFAR: `<file>#<index>`). */
  path: string;
  /** Path relative to the dataset folder, `/`-separated. */
  relPath: string;
  /** sha256 of the file bytes (IDX/CIFAR: of the raw pixels), lower-case hex. */
  hash: string;
  /** File size in bytes. */
  bytes: number;
  mtimeMs: number;
  /** Displayed size, after EXIF orientation. */
  width: number;
  height: number;
  /** Channels stored in the file (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA/CMYK). */
  channels: number;
  format: ImageFormat | 'idx' | 'cifar';
  label: string | null;
  split: Split;
  /** Sequence clip or multi-view group this image belongs to. */
  group: string | null;
  /** Position of the frame inside its sequence (0-based), null outside sequences. */
  frameIndex: number | null;
  /** relPath of the first image with identical bytes, or null. */
  duplicateOf: string | null;
}

/** What a previous import knew about a file; lets a re-import skip unchanged files. */
export interface PreviousFileInfo {
  hash: string;
  mtimeMs: number;
  size: number;
  /** Optional: when all four are known an unchanged file is not even opened. */
  width?: number;
  height?: number;
  channels?: number;
  format?: ImportedImage['format'];
}

export interface ImportProgress {
  phase: 'scan' | 'hash' | 'decode' | 'cache' | 'split';
  done: number;
  total: number;
}

export interface ImportStats {
  /** Files seen by the scan (images or not). */
  filesSeen: number;
  imported: number;
  skipped: number;
  duplicates: number;
  /** Files reused from `previous` without re-hashing (same size and mtime). */
  unchanged: number;
  /** Unique images decoded in this run (a cache hit is not decoded). */
  decoded: number;
  cacheHits: number;
  /** Hidden files and folders (name starting with `.`) that were ignored. */
  hiddenIgnored: number;
  size: number;
  /** Channels of the decoded tensors (resolved when `channels: 'auto'`). */
  channels: 1 | 3;
  labelled: number;
  classes: Record<string, number>;
  train: number;
  val: number;
  groups: number;
  elapsedMs: number;
}
