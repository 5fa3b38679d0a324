import type { Db } from '../db';

export const RUN_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRow {
  id: number;
  experiment_id: number;
  status: RunStatus;
  backend: string | null;
  device: string | null;
  backend_reason: string | null;
  error: string | null;
  summary_json: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  owner_pid: number | null;
  /** The researcher's own name for the run (null: shown by its experiment's name). */
  name: string | null;
  tags_json: string;
  note: string;
}

export interface RunBackend {
  backend: string;
  device: string | null;
  reason: string;
}

export class RunsRepository {
  constructor(private readonly db: Db) {}

  insert(experimentId: number): number {
    const result = this.db.prepare(`INSERT INTO runs (experiment_id, status) VALUES (?, 'queued')`).run(experimentId);
    return Number(result.lastInsertRowid);
  }

  get(id: number): RunRow | undefined {
    return this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  }

  list(experimentId?: number): RunRow[] {
    return experimentId === undefined
      ? (this.db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[])
      : (this.db.prepare('SELECT * FROM runs WHERE experiment_id = ? ORDER BY id').all(experimentId) as RunRow[]);
  }

  /** How many runs each experiment has, by experiment id (an experiment with none is absent). */
  countsByExperiment(): Map<number, number> {
    const rows = this.db.prepare('SELECT experiment_id, COUNT(*) AS runs FROM runs GROUP BY experiment_id').all() as { experiment_id: number; runs: number }[];
    return new Map(rows.map((r) => [r.experiment_id, r.runs]));
  }

  /** Status changes stamp started_at on the first start and finished_at on a terminal status. */
  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    this.db
      .prepare(
        `UPDATE runs SET status = @status, error = @error,
           started_at = CASE WHEN @status = 'running' AND started_at IS NULL THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE started_at END,
           finished_at = CASE WHEN @status IN ('completed', 'failed', 'cancelled') THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ELSE finished_at END
         WHERE id = @id`,
      )
      .run({ id, status, error });
  }

  /** Claim a run for this process (cleared when the run stops). */
  setOwner(id: number, pid: number | null): void {
    this.db.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?').run(pid, id);
  }

  /** Runs marked running or queued whose owning process is gone (killed, crashed, power loss). */
  orphans(isAlive: (pid: number) => boolean): RunRow[] {
    const rows = this.db.prepare(`SELECT * FROM runs WHERE status IN ('running', 'queued')`).all() as RunRow[];
    return rows.filter((r) => r.owner_pid === null || !isAlive(r.owner_pid));
  }

  setBackend(id: number, backend: RunBackend): void {
    this.db
      .prepare('UPDATE runs SET backend = ?, device = ?, backend_reason = ? WHERE id = ?')
      .run(backend.backend, backend.device, backend.reason, id);
  }

  /** Rename, tag or annotate a run; fields left undefined keep their value. */
  annotate(id: number, fields: { name?: string | null; tags?: readonly string[]; note?: string }): void {
    const row = this.get(id);
    if (!row) return;
    this.db
      .prepare('UPDATE runs SET name = ?, tags_json = ?, note = ? WHERE id = ?')
      .run(fields.name !== undefined ? fields.name : row.name, fields.tags !== undefined ? JSON.stringify(fields.tags) : row.tags_json, fields.note ?? row.note, id);
  }

  /** Remove a run with its metrics, checkpoints' index, previews and assignments (ON DELETE CASCADE). */
  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  setSummary(id: number, summary: Record<string, unknown>): void {
    this.db.prepare('UPDATE runs SET summary_json = ? WHERE id = ?').run(JSON.stringify(summary), id);
  }
}
