import type { Db } from '../db';

export interface ExportRow {
  id: number;
  run_id: number | null;
  /** The run's experiment, or the experiment a run-less export (pytorch-project) was written from. */
  experiment_id: number | null;
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

  /** An export without a run keeps its experiment in metadata.experimentId (no column: schema v5 suffices). */
  list(runId?: number): ExportRow[] {
    const select = `SELECT e.*, COALESCE(r.experiment_id, json_extract(e.metadata_json, '$.experimentId')) AS experiment_id
      FROM exports e LEFT JOIN runs r ON r.id = e.run_id`;
    return runId === undefined
      ? (this.db.prepare(`${select} ORDER BY e.id`).all() as ExportRow[])
      : (this.db.prepare(`${select} WHERE e.run_id = ? ORDER BY e.id`).all(runId) as ExportRow[]);
  }
}
