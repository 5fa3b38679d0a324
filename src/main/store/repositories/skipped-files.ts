import type { Db } from '../db';

export interface SkippedFileRow {
  path: string;
  reason: string;
}

export class SkippedFilesRepository {
  constructor(private readonly db: Db) {}

  insertMany(datasetId: number, rows: readonly SkippedFileRow[]): void {
    const insert = this.db.prepare('INSERT INTO skipped_files (dataset_id, path, reason) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const row of rows) insert.run(datasetId, row.path, row.reason);
    })();
  }

  list(datasetId: number): SkippedFileRow[] {
    return this.db
      .prepare('SELECT path, reason FROM skipped_files WHERE dataset_id = ? ORDER BY id')
      .all(datasetId) as SkippedFileRow[];
  }
}
