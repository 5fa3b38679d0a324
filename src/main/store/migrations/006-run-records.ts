/**
 * Schema v6 (issue 17): what a researcher keeps about a run and takes elsewhere — each metric point's
 * wall-clock time (TensorBoard's x axis, the CSV's `wall_time`), a run's own name, tags and note,
 * and kNN baselines cached per dataset × encoder (random-init encoder, raw pixels).
 */
export const version = 6;
export const name = 'run-records';
export const sql = `
ALTER TABLE metrics ADD COLUMN wall_time REAL;
ALTER TABLE runs ADD COLUMN name TEXT;
ALTER TABLE runs ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';

CREATE TABLE baselines (
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('random-init', 'raw-pixels')),
  encoder     TEXT NOT NULL,
  k           INTEGER NOT NULL,
  accuracy    REAL NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (dataset_id, kind, encoder, k)
);
`;
