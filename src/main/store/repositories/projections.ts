import type { Db } from '../db';

export interface ProjectionRow {
  id: number;
  run_id: number;
  algorithm: 'pca' | 'umap';
  image_ids_json: string;
  coords: Buffer;
  features_path: string;
  dim: number;
  created_at: string;
}

export class ProjectionsRepository {
  constructor(private readonly db: Db) {}

  insert(row: { runId: number; algorithm: 'pca' | 'umap'; imageIds: number[]; coords: Float32Array; featuresPath: string; dim: number }): number {
    const result = this.db
      .prepare('INSERT INTO projections (run_id, algorithm, image_ids_json, coords, features_path, dim) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.runId, row.algorithm, JSON.stringify(row.imageIds), Buffer.from(row.coords.buffer, row.coords.byteOffset, row.coords.byteLength), row.featuresPath, row.dim);
    return Number(result.lastInsertRowid);
  }

  get(id: number): ProjectionRow | undefined {
    return this.db.prepare('SELECT * FROM projections WHERE id = ?').get(id) as ProjectionRow | undefined;
  }
}
