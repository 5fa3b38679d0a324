import type { Db } from '../db';

export interface ExperimentRow {
  id: number;
  name: string;
  dataset_id: number | null;
  config_json: string;
  created_at: string;
  updated_at: string;
}

export class ExperimentsRepository {
  constructor(private readonly db: Db) {}

  insert(name: string, datasetId: number | null, config: unknown): number {
    const result = this.db
      .prepare('INSERT INTO experiments (name, dataset_id, config_json) VALUES (?, ?, ?)')
      .run(name, datasetId, JSON.stringify(config));
    return Number(result.lastInsertRowid);
  }

  updateConfig(id: number, config: unknown): boolean {
    return (
      this.db
        .prepare(
          `UPDATE experiments SET config_json = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
        )
        .run(JSON.stringify(config), id).changes > 0
    );
  }

  get(id: number): ExperimentRow | undefined {
    return this.db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as ExperimentRow | undefined;
  }

  list(): ExperimentRow[] {
    return this.db.prepare('SELECT * FROM experiments ORDER BY id').all() as ExperimentRow[];
  }
}
