import type { TensorCache } from './cache';
import { createDataRng, streamSeed } from '../random/index';
import {
  epochOrder,
  indexGroups,
  pickPositive,
  selectSubset,
  type LoaderItem,
  type PositiveSampling,
} from './sampling';

export type { LoaderItem, PositiveSampling } from './sampling';

export interface LoaderOptions {
  cache: TensorCache;
  /** The images to iterate (usually one split); `indices` in batches refer to this array. */
  items: readonly LoaderItem[];
  batchSize: number;
  seed: number;
  /** Default true. */
  shuffle?: boolean;
  /** Drop the last incomplete batch (default true: contrastive losses want full batches). */
  dropLast?: boolean;
  /** Batches read ahead while the consumer works on the current one (default 2). */
  prefetch?: number;
  /** Train on a fixed seeded subset of this many items, optionally stratified by label. */
  subset?: { size: number; stratified?: boolean };
  /** Also return a positive partner per image (sequence neighbour or view-group member). */
  positives?: PositiveSampling;
}

export interface Batch {
  /** [B, S, S, C] uint8, HWC per image. */
  images: Uint8Array;
  /** Item index (into `items`) of each image. */
  indices: Int32Array;
  /** Class index per image, -1 when unlabelled. */
  labels: Int32Array;
  /** With `positives`: the partner of each image, same layout. */
  positives?: { images: Uint8Array; indices: Int32Array };
}

/**
 * Seeded, shuffled batches read from the tensor cache with prefetch. Memory stays bounded by
 * (prefetch + 1) batches whatever the dataset size: records are read from the file on demand.
 * `epoch(e)` is deterministic for (seed, e).
 */
export class BatchLoader {
  readonly size: number;
  readonly channels: 1 | 3;
  /** Item indices this loader draws from (all items, or the subset). */
  readonly members: readonly number[];
  private readonly groups: Map<number, number[]>;

  constructor(private readonly opts: LoaderOptions) {
    if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 1))
      throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`);
    for (const item of opts.items)
      if (!(item.cacheIndex >= 0 && item.cacheIndex < opts.cache.count))
        throw new RangeError(`cache record ${item.cacheIndex} out of range`);
    this.size = opts.cache.size;
    this.channels = opts.cache.channels;
    this.members = opts.subset
      ? selectSubset(opts.items, opts.subset.size, opts.subset.stratified ?? false, opts.seed)
      : opts.items.map((_, i) => i);
    this.groups = indexGroups(opts.items, this.members);
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.members.length / this.opts.batchSize;
    return (this.opts.dropLast ?? true) ? Math.floor(n) : Math.ceil(n);
  }

  async *epoch(epoch: number): AsyncGenerator<Batch> {
    const order = epochOrder(this.members.length, this.opts.seed, epoch, this.opts.shuffle ?? true);
    const rng = createDataRng(streamSeed(this.opts.seed ^ 0x2f1a, epoch));
    const plans: Int32Array[] = [];
    for (let b = 0; b < this.length; b++) {
      const slice = order.subarray(
        b * this.opts.batchSize,
        Math.min((b + 1) * this.opts.batchSize, order.length),
      );
      plans.push(Int32Array.from(slice, (k) => this.members[k] as number));
    }
    // Partners are drawn up front, in batch order, so they do not depend on read timing.
    const partners = this.opts.positives
      ? plans.map((p) =>
          Int32Array.from(p, (i) =>
            pickPositive(
              i,
              this.opts.items,
              this.groups,
              this.opts.positives as PositiveSampling,
              rng,
            ),
          ),
        )
      : null;
    const depth = Math.max(1, (this.opts.prefetch ?? 2) + 1);
    const inflight: Promise<Batch>[] = [];
    let next = 0;
    const launch = (): void => {
      if (next < plans.length)
        inflight.push(this.load(plans[next] as Int32Array, partners?.[next]));
      next++;
    };
    for (let k = 0; k < depth; k++) launch();
    while (inflight.length > 0) {
      const batch = await (inflight.shift() as Promise<Batch>);
      launch();
      yield batch;
    }
  }

  private async load(indices: Int32Array, partnerIndices: Int32Array | undefined): Promise<Batch> {
    const labels = Int32Array.from(indices, (i) => (this.opts.items[i] as LoaderItem).label);
    const [images, partnerImages] = await Promise.all([
      this.read(indices),
      partnerIndices ? this.read(partnerIndices) : Promise.resolve(null),
    ]);
    const batch: Batch = { images, indices, labels };
    if (partnerIndices && partnerImages)
      batch.positives = { images: partnerImages, indices: partnerIndices };
    return batch;
  }

  private async read(indices: Int32Array): Promise<Uint8Array> {
    const out = new Uint8Array(indices.length * this.opts.cache.recordBytes);
    await this.opts.cache.readMany(
      Int32Array.from(indices, (i) => (this.opts.items[i] as LoaderItem).cacheIndex),
      out,
    );
    return out;
  }
}
