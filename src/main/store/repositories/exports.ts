import type { Db } from '../db';

export interface ExportRow {
  id: number;
  run_id: number | null;
  format: string;
  out_dir: string;
  files_json: string;
  metadata_json: string;
  created_at: string;
}

export class ExportsRepository {
  constructor(private readonly db: Db) {}

  insert(row: { runId: number | null; format: string; outDir: string; files: string[]; metadata: unknown }): number {
    const result = this.db
      .prepare('INSERT INTO exports (run_id, format, out_dir, files_json, metadata_json) VALUES (?, ?, ?, ?, ?)')
      .run(row.runId, row.format, row.outDir, JSON.stringify(row.files), JSON.stringify(row.metadata));
    return Number(result.lastInsertRowid);
  }

  list(runId?: number): ExportRow[] {
    return runId === undefined
      ? (this.db.prepare('SELECT * FROM exports ORDER BY id').all() as ExportRow[])
      : (this.db.prepare('SELECT * FROM exports WHERE run_id = ? ORDER BY id').all(runId) as ExportRow[]);
  }
}
