import type { Db } from '../db';

export interface MetricPoint {
  name: string;
  step: number;
  epoch: number;
  value: number;
  /** Seconds since the Unix epoch when the point was logged (null for points logged before schema v7). */
  wallTime?: number | null;
}

/** One stored point with its wall-clock time, as exports write it. */
export interface MetricRecord {
  name: string;
  step: number;
  epoch: number;
  value: number;
  wallTime: number | null;
}

export class MetricsRepository {
  constructor(private readonly db: Db) {}

  /** Upsert a batch of points (a resumed run may re-log a step). */
  record(runId: number, points: readonly MetricPoint[]): void {
    const upsert = this.db.prepare(
      `INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name, step) DO UPDATE SET epoch = excluded.epoch, value = excluded.value, wall_time = excluded.wall_time`,
    );
    this.db.transaction(() => {
      for (const p of points) upsert.run(runId, p.name, p.step, p.epoch, p.value, p.wallTime ?? null);
    })();
  }

  series(runId: number, name: string): MetricPoint[] {
    return this.db
      .prepare('SELECT name, step, epoch, value, wall_time AS wallTime FROM metrics WHERE run_id = ? AND name = ? ORDER BY step')
      .all(runId, name) as MetricPoint[];
  }

  /** Every point of a run, by name then step, with wall-clock times (for CSV / JSON / TensorBoard exports). */
  all(runId: number): MetricRecord[] {
    return this.db
      .prepare('SELECT name, step, epoch, value, wall_time AS wallTime FROM metrics WHERE run_id = ? ORDER BY name, step')
      .all(runId) as MetricRecord[];
  }

  names(runId: number): string[] {
    return (
      this.db.prepare('SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name').all(runId) as { name: string }[]
    ).map((r) => r.name);
  }
}
