import type { Db } from '../db';

export interface PrototypeAssignment {
  imageId: number;
  prototype: number;
  entropy: number;
}

export class PrototypeAssignmentsRepository {
  constructor(private readonly db: Db) {}

  /** Replace one epoch's assignments of a run (SwAV stores them per epoch). */
  replaceEpoch(runId: number, epoch: number, rows: readonly PrototypeAssignment[]): void {
    const insert = this.db.prepare(
      'INSERT INTO prototype_assignments (run_id, epoch, image_id, prototype, entropy) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM prototype_assignments WHERE run_id = ? AND epoch = ?').run(runId, epoch);
      for (const r of rows) insert.run(runId, epoch, r.imageId, r.prototype, r.entropy);
    })();
  }

  /** Prototype usage counts of one epoch: [{ prototype, count }]. */
  usage(runId: number, epoch: number): { prototype: number; count: number }[] {
    return this.db
      .prepare(
        `SELECT prototype, COUNT(*) AS count FROM prototype_assignments WHERE run_id = ? AND epoch = ?
         GROUP BY prototype ORDER BY prototype`,
      )
      .all(runId, epoch) as { prototype: number; count: number }[];
  }

  /** Mean code entropy per epoch (nats). */
  meanEntropy(runId: number): { epoch: number; entropy: number }[] {
    return this.db
      .prepare('SELECT epoch, AVG(entropy) AS entropy FROM prototype_assignments WHERE run_id = ? GROUP BY epoch ORDER BY epoch')
      .all(runId) as { epoch: number; entropy: number }[];
  }

  /** Images per (prototype, label) of one epoch; unlabelled images have label null. */
  byClass(runId: number, epoch: number): { prototype: number; label: string | null; count: number }[] {
    return this.db
      .prepare(
        `SELECT a.prototype, i.label, COUNT(*) AS count FROM prototype_assignments a JOIN images i ON i.id = a.image_id
         WHERE a.run_id = ? AND a.epoch = ? GROUP BY a.prototype, i.label ORDER BY a.prototype`,
      )
      .all(runId, epoch) as { prototype: number; label: string | null; count: number }[];
  }

  /** Images assigned to one prototype in one epoch, most confident (lowest entropy) first. */
  members(runId: number, epoch: number, prototype: number, limit: number): { imageId: number; entropy: number }[] {
    return this.db
      .prepare(
        `SELECT image_id AS imageId, entropy FROM prototype_assignments WHERE run_id = ? AND epoch = ? AND prototype = ?
         ORDER BY entropy LIMIT ?`,
      )
      .all(runId, epoch, prototype, limit) as { imageId: number; entropy: number }[];
  }

  epochs(runId: number): number[] {
    return (
      this.db
        .prepare('SELECT DISTINCT epoch FROM prototype_assignments WHERE run_id = ? ORDER BY epoch')
        .all(runId) as { epoch: number }[]
    ).map((r) => r.epoch);
  }

  /** Every image's prototype in one epoch. */
  byImage(runId: number, epoch: number): { imageId: number; prototype: number }[] {
    return this.db
      .prepare('SELECT image_id AS imageId, prototype FROM prototype_assignments WHERE run_id = ? AND epoch = ?')
      .all(runId, epoch) as { imageId: number; prototype: number }[];
  }
}
