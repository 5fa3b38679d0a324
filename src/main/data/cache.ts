import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { WorkbenchError } from '../../shared/errors';
import { openAtomicFile, type AtomicFile } from '../files/atomic-file';

/**
 * Tensor cache file: every unique image (by content hash) decoded to S×S×C uint8, fixed-size
 * records so any image can be read with one positional read (datasets larger than RAM stream).
 *
 *   0   8 bytes  magic "CWBTCACH"
 *   8   u32 LE   version (2; version 1 files, without checksums, are still read)
 *   12  u32      S (side)
 *   16  u32      C (channels, 1 or 3)
 *   20  u32      N (records)
 *   24  u32      R (records per checksum chunk; v2)
 *   28  4 bytes  reserved (0)
 *   32  N × S·S·C bytes  pixels, HWC per record
 *   …   N × 32 bytes     raw sha256 of each record's source (the key)
 *   …   ⌈N/R⌉ × u32      CRC-32 of each chunk of R records' pixels (v2)
 *   …   u32              CRC-32 of the header's first 24 bytes and the hash index (v2)
 *
 * `verify()` reads the file once and checks every chunk: flipped bytes are found before training.
 */
const MAGIC = Buffer.from('CWBTCACH', 'latin1');
const VERSION = 2;
const HEADER_BYTES = 32;
const HASH_BYTES = 32;
/** About 1 MiB of pixels per checksum chunk. */
const CHUNK_TARGET_BYTES = 1 << 20;

function chunkCount(count: number, chunkRecords: number): number {
  return chunkRecords > 0 ? Math.ceil(count / chunkRecords) : 0;
}

/** Where a v2 cache fails its checksums; null when it is sound (or a v1 file, which has none). */
export interface CacheDamage {
  /** The first chunk whose pixels do not match, or -1 when the header/index checksum failed. */
  chunk: number;
  message: string;
}

export interface CacheShape {
  size: number;
  channels: 1 | 3;
}

/** Conventional file name for a cache of S×S×C tensors inside a dataset's workspace folder. */
export function cacheFileName(shape: CacheShape): string {
  return `tensors-${shape.size}x${shape.size}x${shape.channels}.u8`;
}

/** Not a cache, or a damaged one: a store error (exit code 5), never a crash. */
export class TensorCacheFormatError extends WorkbenchError {
  constructor(message: string) {
    super('STORE_ERROR', message);
    this.name = 'TensorCacheFormatError';
  }
}

/** Read side: random access to records by index, lookup by content hash. */
export class TensorCache {
  readonly recordBytes: number;
  private readonly indexByHash: Map<string, number>;

  private constructor(
    private readonly fh: FileHandle,
    readonly file: string,
    readonly size: number,
    readonly channels: 1 | 3,
    readonly hashes: readonly string[],
    /** 1 (no checksums) or 2. */
    readonly version: number,
    private readonly chunkRecords: number,
    private readonly checksums: Uint32Array,
    private readonly indexChecksum: number,
    private readonly headerAndIndex: Buffer,
  ) {
    this.recordBytes = size * size * channels;
    this.indexByHash = new Map(hashes.map((h, i) => [h, i]));
  }

  get count(): number {
    return this.hashes.length;
  }

  /** Opens and validates a cache file; throws `TensorCacheFormatError` when it is not one. */
  static async open(file: string): Promise<TensorCache> {
    const fh = await open(file, 'r');
    try {
      const { size: fileBytes } = await fh.stat();
      const header = Buffer.alloc(HEADER_BYTES);
      await fh.read(header, 0, HEADER_BYTES, 0);
      if (!header.subarray(0, 8).equals(MAGIC))
        throw new TensorCacheFormatError(`not a tensor cache: ${file}`);
      const version = header.readUInt32LE(8);
      const size = header.readUInt32LE(12);
      const channels = header.readUInt32LE(16);
      const count = header.readUInt32LE(20);
      if (version !== VERSION && version !== 1)
        throw new TensorCacheFormatError(`unsupported tensor cache version ${version}`);
      if (channels !== 1 && channels !== 3)
        throw new TensorCacheFormatError(`bad channel count ${channels}`);
      const record = size * size * channels;
      const chunkRecords = version === 1 ? 0 : header.readUInt32LE(24);
      if (version !== 1 && count > 0 && chunkRecords === 0)
        throw new TensorCacheFormatError(`tensor cache is truncated or corrupt: ${file}`);
      const chunks = chunkCount(count, chunkRecords);
      const checksumBytes = version === 1 ? 0 : (chunks + 1) * 4;
      if (fileBytes !== HEADER_BYTES + count * (record + HASH_BYTES) + checksumBytes)
        throw new TensorCacheFormatError(`tensor cache is truncated or corrupt: ${file}`);
      const index = Buffer.alloc(count * HASH_BYTES);
      if (count > 0) await fh.read(index, 0, index.length, HEADER_BYTES + count * record);
      const checksums = new Uint32Array(chunks);
      let indexChecksum = 0;
      if (version !== 1) {
        const table = Buffer.alloc(checksumBytes);
        await fh.read(table, 0, checksumBytes, HEADER_BYTES + count * (record + HASH_BYTES));
        for (let i = 0; i < chunks; i++) checksums[i] = table.readUInt32LE(i * 4);
        indexChecksum = table.readUInt32LE(chunks * 4);
      }
      const hashes: string[] = [];
      for (let i = 0; i < count; i++)
        hashes.push(index.toString('hex', i * HASH_BYTES, (i + 1) * HASH_BYTES));
      const headerAndIndex = Buffer.concat([header.subarray(0, 24), index]);
      return new TensorCache(fh, file, size, channels, hashes, version, chunkRecords, checksums, indexChecksum, headerAndIndex);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /**
   * Read the whole file once and compare every chunk's CRC-32 with the stored one. Null when the
   * cache is sound (or a version 1 file, which has no checksums to compare).
   */
  async verify(): Promise<CacheDamage | null> {
    if (this.version === 1) return null;
    if (crc32(this.headerAndIndex) !== this.indexChecksum)
      return { chunk: -1, message: `the header or hash index of ${this.file} does not match its checksum` };
    const chunkBytes = this.chunkRecords * this.recordBytes;
    const buffer = Buffer.alloc(chunkBytes);
    for (let chunk = 0; chunk < this.checksums.length; chunk++) {
      const first = chunk * this.chunkRecords;
      const bytes = Math.min(this.chunkRecords, this.count - first) * this.recordBytes;
      const { bytesRead } = await this.fh.read(buffer, 0, bytes, HEADER_BYTES + first * this.recordBytes);
      if (bytesRead !== bytes || crc32(buffer.subarray(0, bytes)) !== this.checksums[chunk])
        return { chunk, message: `records ${first}-${first + bytes / this.recordBytes - 1} of ${this.file} do not match their checksum` };
    }
    return null;
  }

  /** Like `open`, but null when the file is missing, invalid or of another shape. */
  static async tryOpen(file: string, shape?: CacheShape): Promise<TensorCache | null> {
    let cache: TensorCache;
    try {
      cache = await TensorCache.open(file);
    } catch {
      return null;
    }
    if (shape && (cache.size !== shape.size || cache.channels !== shape.channels)) {
      await cache.close();
      return null;
    }
    return cache;
  }

  indexOf(hash: string): number {
    return this.indexByHash.get(hash) ?? -1;
  }

  /** Reads one record (S·S·C bytes) into `out` at `outOffset`, or into a new array. */
  async read(index: number, out?: Uint8Array, outOffset = 0): Promise<Uint8Array> {
    this.checkIndex(index);
    const target = out ?? new Uint8Array(this.recordBytes);
    const { bytesRead } = await this.fh.read(
      target,
      outOffset,
      this.recordBytes,
      HEADER_BYTES + index * this.recordBytes,
    );
    if (bytesRead !== this.recordBytes)
      throw new TensorCacheFormatError(`short read in ${this.file}`);
    return target;
  }

  /**
   * Reads records `indices[i]` into `out` at slot i (out.length ≥ indices.length · recordBytes).
   * Reads are issued in file order so neighbouring records share disk pages.
   */
  async readMany(indices: ArrayLike<number>, out: Uint8Array): Promise<void> {
    const order = Array.from({ length: indices.length }, (_, i) => i).sort(
      (a, b) => (indices[a] as number) - (indices[b] as number),
    );
    await Promise.all(
      order.map((slot) => this.read(indices[slot] as number, out, slot * this.recordBytes)),
    );
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  private checkIndex(index: number): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.count))
      throw new RangeError(`cache record ${index} out of range [0, ${this.count})`);
  }
}

/**
 * Write side. Records go to a temp file next to the target; `commit()` writes the index and
 * header, fsyncs and renames over the target, so readers only ever see a complete cache.
 * Adding a hash twice stores it once.
 */
export class TensorCacheWriter {
  readonly recordBytes: number;
  private readonly hashes: string[] = [];
  private readonly seen = new Map<string, number>();
  private readonly pending: Promise<unknown>[] = [];
  private done = false;

  private readonly fh: FileHandle;

  private constructor(
    private readonly out: AtomicFile,
    readonly file: string,
    readonly shape: CacheShape,
  ) {
    this.fh = out.handle;
    this.recordBytes = shape.size * shape.size * shape.channels;
  }

  static async create(file: string, shape: CacheShape): Promise<TensorCacheWriter> {
    if (!(Number.isInteger(shape.size) && shape.size > 0))
      throw new RangeError(`bad cache size ${shape.size}`);
    return new TensorCacheWriter(await openAtomicFile(file), file, shape);
  }

  get count(): number {
    return this.hashes.length;
  }

  has(hash: string): boolean {
    return this.seen.has(hash);
  }

  /** Queues one record; returns its index in the cache (existing index for a known hash). */
  add(hash: string, pixels: Uint8Array): number {
    if (this.done) throw new Error('tensor cache writer already finished');
    if (!/^[0-9a-f]{64}$/.test(hash))
      throw new TypeError(`cache key must be a sha256 hex string, got ${hash}`);
    if (pixels.byteLength !== this.recordBytes)
      throw new RangeError(`record has ${pixels.byteLength} bytes, expected ${this.recordBytes}`);
    const known = this.seen.get(hash);
    if (known !== undefined) return known;
    const index = this.hashes.length;
    this.hashes.push(hash);
    this.seen.set(hash, index);
    this.pending.push(
      this.fh.write(pixels, 0, pixels.byteLength, HEADER_BYTES + index * this.recordBytes),
    );
    return index;
  }

  /**
   * Finishes the file atomically and returns the hashes in record order. `onProgress(done, total)`
   * follows the checksummed chunks (the slow part of a large cache), from 0 to the chunk count.
   */
  async commit(onProgress?: (done: number, total: number) => void): Promise<{ file: string; hashes: string[] }> {
    this.done = true;
    try {
      await Promise.all(this.pending);
      const count = this.hashes.length;
      const index = Buffer.alloc(count * HASH_BYTES);
      this.hashes.forEach((h, i) => index.write(h, i * HASH_BYTES, HASH_BYTES, 'hex'));
      const pixelsEnd = HEADER_BYTES + count * this.recordBytes;
      await this.fh.write(index, 0, index.length, pixelsEnd);
      const header = Buffer.alloc(HEADER_BYTES);
      MAGIC.copy(header, 0);
      header.writeUInt32LE(VERSION, 8);
      header.writeUInt32LE(this.shape.size, 12);
      header.writeUInt32LE(this.shape.channels, 16);
      header.writeUInt32LE(count, 20);
      const chunkRecords = Math.max(1, Math.floor(CHUNK_TARGET_BYTES / this.recordBytes));
      header.writeUInt32LE(chunkRecords, 24);
      // Checksums from what is on disk (the records were written out of order, in parallel).
      const chunks = chunkCount(count, chunkRecords);
      onProgress?.(0, chunks);
      const table = Buffer.alloc((chunks + 1) * 4);
      const buffer = Buffer.alloc(chunkRecords * this.recordBytes);
      for (let chunk = 0; chunk < chunks; chunk++) {
        const first = chunk * chunkRecords;
        const bytes = Math.min(chunkRecords, count - first) * this.recordBytes;
        await this.fh.read(buffer, 0, bytes, HEADER_BYTES + first * this.recordBytes);
        table.writeUInt32LE(crc32(buffer.subarray(0, bytes)), chunk * 4);
        onProgress?.(chunk + 1, chunks);
      }
      table.writeUInt32LE(crc32(Buffer.concat([header.subarray(0, 24), index])), chunks * 4);
      await this.fh.write(table, 0, table.length, pixelsEnd + index.length);
      await this.fh.write(header, 0, HEADER_BYTES, 0);
      await this.out.commit();
    } catch (err) {
      await this.abort();
      throw err;
    }
    return { file: this.file, hashes: [...this.hashes] };
  }

  /** Drops the temp file; the previous cache (if any) is left as it was. */
  async abort(): Promise<void> {
    this.done = true;
    await Promise.allSettled(this.pending);
    await this.out.abort();
  }
}
