/** Schema v4: 2-D projections of a run's embeddings (PCA, UMAP) kept for the Embeddings view. */
export const version = 4;
export const name = 'projections';
export const sql = `
CREATE TABLE projections (
  id             INTEGER PRIMARY KEY,
  run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  algorithm      TEXT NOT NULL CHECK (algorithm IN ('pca', 'umap')),
  image_ids_json TEXT NOT NULL,
  coords         BLOB NOT NULL,
  features_path  TEXT NOT NULL,
  dim            INTEGER NOT NULL,
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX projections_run ON projections(run_id);
`;
