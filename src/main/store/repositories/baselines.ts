import type { Db } from '../db';

export type BaselineKind = 'random-init' | 'raw-pixels';

/** kNN baselines cached per dataset × encoder (× k): computed once, drawn on every run's chart. */
export class BaselinesRepository {
  constructor(private readonly db: Db) {}

  get(datasetId: number, kind: BaselineKind, encoder: string, k: number): number | undefined {
    const row = this.db
      .prepare('SELECT accuracy FROM baselines WHERE dataset_id = ? AND kind = ? AND encoder = ? AND k = ?')
      .get(datasetId, kind, encoder, k) as { accuracy: number } | undefined;
    return row?.accuracy;
  }

  put(datasetId: number, kind: BaselineKind, encoder: string, k: number, accuracy: number): void {
    this.db
      .prepare(
        `INSERT INTO baselines (dataset_id, kind, encoder, k, accuracy) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (dataset_id, kind, encoder, k) DO UPDATE SET accuracy = excluded.accuracy`,
      )
      .run(datasetId, kind, encoder, k, accuracy);
  }
}
