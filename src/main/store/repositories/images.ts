import type { Db } from '../db';

export interface ImageRow {
  id: number;
  dataset_id: number;
  rel_path: string;
  abs_path: string;
  hash: string;
  bytes: number;
  mtime_ms: number;
  width: number;
  height: number;
  channels: number;
  format: string;
  label: string | null;
  split: 'train' | 'val';
  group_key: string | null;
  frame_index: number | null;
  status: 'ok' | 'duplicate';
  thumbnail: Buffer | null;
}

export type NewImage = Omit<ImageRow, 'id' | 'thumbnail'> & { thumbnail?: Buffer | null };

/** Which of a dataset's images a page holds: one class (`null` = unlabelled) and/or one split. */
export interface ImageFilter {
  label?: string | null;
  split?: 'train' | 'val';
}

/** The SQL condition and parameters of a filter (after `dataset_id = ? AND status = 'ok'`). */
function filterSql(filter: ImageFilter): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (filter.label === null) parts.push('label IS NULL');
  else if (filter.label !== undefined) {
    parts.push('label = ?');
    params.push(filter.label);
  }
  if (filter.split !== undefined) {
    parts.push('split = ?');
    params.push(filter.split);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

export class ImagesRepository {
  constructor(private readonly db: Db) {}

  /** Insert many rows in one transaction (imports are all-or-nothing). */
  insertMany(rows: readonly NewImage[]): void {
    const insert = this.db.prepare(
      `INSERT INTO images (dataset_id, rel_path, abs_path, hash, bytes, mtime_ms, width, height, channels, format,
                           label, split, group_key, frame_index, status, thumbnail)
       VALUES (@dataset_id, @rel_path, @abs_path, @hash, @bytes, @mtime_ms, @width, @height, @channels, @format,
               @label, @split, @group_key, @frame_index, @status, @thumbnail)`,
    );
    this.db.transaction((items: readonly NewImage[]) => {
      for (const item of items) insert.run({ thumbnail: null, ...item });
    })(rows);
  }

  count(datasetId: number, filter: ImageFilter = {}): number {
    const where = filterSql(filter);
    return (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM images WHERE dataset_id = ? AND status = 'ok'${where.sql}`)
        .get(datasetId, ...where.params) as { n: number }
    ).n;
  }

  page(datasetId: number, offset: number, limit: number, filter: ImageFilter = {}): Omit<ImageRow, 'thumbnail'>[] {
    const where = filterSql(filter);
    return this.db
      .prepare(
        `SELECT id, dataset_id, rel_path, abs_path, hash, bytes, mtime_ms, width, height, channels, format, label,
                split, group_key, frame_index, status
         FROM images WHERE dataset_id = ? AND status = 'ok'${where.sql} ORDER BY id LIMIT ? OFFSET ?`,
      )
      .all(datasetId, ...where.params, limit, offset) as Omit<ImageRow, 'thumbnail'>[];
  }

  byIds(ids: readonly number[]): Pick<ImageRow, 'id' | 'dataset_id' | 'hash' | 'label' | 'rel_path'>[] {
    if (ids.length === 0) return [];
    const select = this.db.prepare('SELECT id, dataset_id, hash, label, rel_path FROM images WHERE id = ?');
    return ids.map((id) => select.get(id) as Pick<ImageRow, 'id' | 'dataset_id' | 'hash' | 'label' | 'rel_path'> | undefined).filter((r) => r !== undefined);
  }

  /** What an import knew about each file (duplicates included), for cheap re-imports. */
  fingerprints(datasetId: number): Pick<ImageRow, 'rel_path' | 'hash' | 'mtime_ms' | 'bytes' | 'width' | 'height' | 'channels' | 'format'>[] {
    return this.db
      .prepare('SELECT rel_path, hash, mtime_ms, bytes, width, height, channels, format FROM images WHERE dataset_id = ?')
      .all(datasetId) as Pick<ImageRow, 'rel_path' | 'hash' | 'mtime_ms' | 'bytes' | 'width' | 'height' | 'channels' | 'format'>[];
  }

  /** Images per label and split, labels sorted (unlabelled last). */
  classBalance(datasetId: number): { label: string | null; train: number; val: number }[] {
    return this.db
      .prepare(
        `SELECT label, SUM(split = 'train') AS train, SUM(split = 'val') AS val FROM images
         WHERE dataset_id = ? AND status = 'ok' GROUP BY label ORDER BY label IS NULL, label`,
      )
      .all(datasetId) as { label: string | null; train: number; val: number }[];
  }

  thumbnail(imageId: number): Buffer | null {
    const row = this.db.prepare('SELECT thumbnail FROM images WHERE id = ?').get(imageId) as
      | { thumbnail: Buffer | null }
      | undefined;
    return row?.thumbnail ?? null;
  }
}
