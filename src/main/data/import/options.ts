import { z } from 'zod';
import { DEFAULT_MAX_PIXELS, type DecodePool } from '../decode/pool';
import type { GroupLayout } from '../labels';
import type { ImportProgress, PreviousFileInfo } from '../types';

export interface ImportFolderOptions {
  /** CSV with `path,label` rows; otherwise labels come from the immediate sub-folders. */
  labelsCsv?: string;
  /** Side S of the cached S×S tensors (default 64). */
  size?: number;
  /** Channels of the cached tensors; 'auto' (default) = 1 when every image is grey, else 3. */
  channels?: 1 | 3 | 'auto';
  /** Fraction of images in the validation split (default 0.1). */
  valFraction?: number;
  seed?: number;
  /** Decompression-bomb limit: images claiming more pixels are skipped (default 100 M). */
  maxPixels?: number;
  /** What the last import saw, by relPath: unchanged files (size + mtime) are not re-hashed. */
  previous?: Map<string, PreviousFileInfo>;
  /** 'sequences': each folder is a clip of ordered frames; 'views': each folder is a multi-view group. */
  groups?: GroupLayout;
  /**
   * Where to write the tensor cache (in the workspace, never inside the dataset folder). An
   * existing cache there is reused for images whose hash it already holds.
   */
  cacheFile?: string;
  /** A pool to share; by default one is created and closed for this import. */
  pool?: DecodePool;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
}

const optionsSchema = z.object({
  size: z.number().int().min(1).max(2048),
  channels: z.union([z.literal(1), z.literal(3), z.literal('auto')]),
  valFraction: z.number().min(0).lt(1),
  seed: z.number().int(),
  maxPixels: z.number().int().positive(),
  groups: z.enum(['none', 'sequences', 'views']),
});

export type ResolvedOptions = z.infer<typeof optionsSchema>;

/** Fills defaults and validates numbers; throws a RangeError naming the bad option. */
export function resolveOptions(opts: ImportFolderOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse({
    size: opts.size ?? 64,
    channels: opts.channels ?? 'auto',
    valFraction: opts.valFraction ?? 0.1,
    seed: opts.seed ?? 0,
    maxPixels: opts.maxPixels ?? DEFAULT_MAX_PIXELS,
    groups: opts.groups ?? 'none',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(
      `invalid import option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
