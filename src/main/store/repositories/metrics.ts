import type { Db } from '../db';

export interface MetricPoint {
  name: string;
  step: number;
  epoch: number;
  value: number;
}

export class MetricsRepository {
  constructor(private readonly db: Db) {}

  /** Upsert a batch of points (a resumed run may re-log a step). */
  record(runId: number, points: readonly MetricPoint[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO metrics (run_id, name, step, epoch, value) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name, step) DO UPDATE SET epoch = excluded.epoch, value = excluded.value`,
    );
    this.db.transaction(() => {
      for (const p of points) upsert.run(runId, p.name, p.step, p.epoch, p.value);
    })();
  }

  series(runId: number, name: string): MetricPoint[] {
    return this.db
      .prepare('SELECT name, step, epoch, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step')
      .all(runId, name) as MetricPoint[];
  }

  names(runId: number): string[] {
    return (
      this.db.prepare('SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name').all(runId) as { name: string }[]
    ).map((r) => r.name);
  }
}
