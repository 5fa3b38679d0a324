import type { Db } from '../db';

export interface PreviewRow {
  id: number;
  dataset_id: number | null;
  run_id: number | null;
  kind: string;
  spec_json: string;
  seed: number;
  params_json: string;
  png: Buffer;
  created_at: string;
}

export type NewPreview = Omit<PreviewRow, 'id' | 'created_at'>;
export type PreviewSummary = Omit<PreviewRow, 'png'>;

export class PreviewsRepository {
  constructor(private readonly db: Db) {}

  insert(row: NewPreview): number {
    const result = this.db
      .prepare(
        `INSERT INTO previews (dataset_id, run_id, kind, spec_json, seed, params_json, png)
         VALUES (@dataset_id, @run_id, @kind, @spec_json, @seed, @params_json, @png)`,
      )
      .run(row);
    return Number(result.lastInsertRowid);
  }

  get(id: number): PreviewRow | undefined {
    return this.db.prepare('SELECT * FROM previews WHERE id = ?').get(id) as PreviewRow | undefined;
  }

  /** Without the PNG blobs: listing must stay cheap. */
  list(filter: { datasetId?: number; runId?: number }): PreviewSummary[] {
    return this.db
      .prepare(
        `SELECT id, dataset_id, run_id, kind, spec_json, seed, params_json, created_at FROM previews
         WHERE (@datasetId IS NULL OR dataset_id = @datasetId) AND (@runId IS NULL OR run_id = @runId)
         ORDER BY id DESC`,
      )
      .all({ datasetId: filter.datasetId ?? null, runId: filter.runId ?? null }) as PreviewSummary[];
  }
}
