/** Schema v1: the record of datasets, experiments, runs and their artefacts. */
export const version = 1;
export const name = 'initial';
export const sql = `
CREATE TABLE datasets (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  root_path     TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('folder', 'idx', 'cifar')),
  image_size    INTEGER NOT NULL,
  channels      INTEGER NOT NULL CHECK (channels IN (1, 3)),
  classes_json  TEXT NOT NULL DEFAULT '[]',
  val_fraction  REAL NOT NULL DEFAULT 0,
  seed          INTEGER NOT NULL DEFAULT 0,
  content_hash  TEXT,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE images (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  rel_path    TEXT NOT NULL,
  abs_path    TEXT NOT NULL,
  hash        TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  mtime_ms    REAL NOT NULL DEFAULT 0,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  channels    INTEGER NOT NULL,
  format      TEXT NOT NULL,
  label       TEXT,
  split       TEXT NOT NULL CHECK (split IN ('train', 'val')),
  group_key   TEXT,
  frame_index INTEGER,
  status      TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'duplicate')),
  UNIQUE (dataset_id, rel_path)
);
CREATE INDEX images_dataset ON images(dataset_id, split);

CREATE TABLE skipped_files (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  path        TEXT NOT NULL,
  reason      TEXT NOT NULL
);

CREATE TABLE experiments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  dataset_id  INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
  config_json TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
  backend        TEXT,
  device         TEXT,
  backend_reason TEXT,
  error          TEXT,
  summary_json   TEXT NOT NULL DEFAULT '{}',
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at     TEXT,
  finished_at    TEXT
);
CREATE INDEX runs_experiment ON runs(experiment_id);

CREATE TABLE metrics (
  run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name    TEXT NOT NULL,
  step    INTEGER NOT NULL,
  epoch   REAL NOT NULL,
  value   REAL NOT NULL,
  PRIMARY KEY (run_id, name, step)
) WITHOUT ROWID;

CREATE TABLE previews (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER REFERENCES datasets(id) ON DELETE CASCADE,
  run_id      INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  spec_json   TEXT NOT NULL,
  seed        INTEGER NOT NULL,
  params_json TEXT NOT NULL DEFAULT '[]',
  png         BLOB NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE prototype_assignments (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch      INTEGER NOT NULL,
  image_id   INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  prototype  INTEGER NOT NULL,
  entropy    REAL NOT NULL,
  PRIMARY KEY (run_id, epoch, image_id)
) WITHOUT ROWID;

CREATE TABLE checkpoints (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step        INTEGER NOT NULL,
  epoch       REAL NOT NULL,
  path        TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE exports (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  format        TEXT NOT NULL,
  out_dir       TEXT NOT NULL,
  files_json    TEXT NOT NULL DEFAULT '[]',
  metadata_json TEXT NOT NULL DEFAULT '{}',
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
`;
