import type { Db } from '../db';

export interface DatasetRow {
  id: number;
  name: string;
  root_path: string;
  kind: 'folder' | 'idx' | 'cifar';
  image_size: number;
  channels: 1 | 3;
  classes_json: string;
  val_fraction: number;
  seed: number;
  content_hash: string | null;
  /** uint8 tensor cache file in the workspace (schema v2). */
  cache_path: string | null;
  created_at: string;
}

export type NewDataset = Omit<DatasetRow, 'id' | 'created_at'>;

export interface DatasetWithCounts extends DatasetRow {
  num_images: number;
  num_skipped: number;
}

const SELECT_WITH_COUNTS = `
  SELECT d.*,
    (SELECT COUNT(*) FROM images i WHERE i.dataset_id = d.id AND i.status = 'ok') AS num_images,
    (SELECT COUNT(*) FROM skipped_files s WHERE s.dataset_id = d.id) AS num_skipped
  FROM datasets d`;

export class DatasetsRepository {
  constructor(private readonly db: Db) {}

  insert(row: NewDataset): number {
    const result = this.db
      .prepare(
        `INSERT INTO datasets (name, root_path, kind, image_size, channels, classes_json, val_fraction, seed, content_hash, cache_path)
         VALUES (@name, @root_path, @kind, @image_size, @channels, @classes_json, @val_fraction, @seed, @content_hash, @cache_path)`,
      )
      .run(row);
    return Number(result.lastInsertRowid);
  }

  get(id: number): DatasetWithCounts | undefined {
    return this.db.prepare(`${SELECT_WITH_COUNTS} WHERE d.id = ?`).get(id) as DatasetWithCounts | undefined;
  }

  list(): DatasetWithCounts[] {
    return this.db.prepare(`${SELECT_WITH_COUNTS} ORDER BY d.id`).all() as DatasetWithCounts[];
  }

  findByRoot(rootPath: string): DatasetRow | undefined {
    return this.db.prepare('SELECT * FROM datasets WHERE root_path = ? ORDER BY id DESC LIMIT 1').get(rootPath) as
      | DatasetRow
      | undefined;
  }

  setCachePath(id: number, path: string): void {
    this.db.prepare('UPDATE datasets SET cache_path = ? WHERE id = ?').run(path, id);
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
  }
}
