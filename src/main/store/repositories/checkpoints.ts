import type { Db } from '../db';

export interface CheckpointRow {
  id: number;
  run_id: number;
  step: number;
  epoch: number;
  path: string;
  bytes: number;
  created_at: string;
}

export class CheckpointsRepository {
  constructor(private readonly db: Db) {}

  insert(row: Omit<CheckpointRow, 'id' | 'created_at'>): number {
    const result = this.db
      .prepare('INSERT INTO checkpoints (run_id, step, epoch, path, bytes) VALUES (@run_id, @step, @epoch, @path, @bytes)')
      .run(row);
    return Number(result.lastInsertRowid);
  }

  latest(runId: number): CheckpointRow | undefined {
    return this.db
      .prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT 1')
      .get(runId) as CheckpointRow | undefined;
  }

  list(runId: number): CheckpointRow[] {
    return this.db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY step').all(runId) as CheckpointRow[];
  }
}
