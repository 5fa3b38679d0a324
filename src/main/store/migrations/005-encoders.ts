/** Schema v5: external (imported) encoders, evaluated next to the workbench's own runs. */
export const version = 5;
export const name = 'encoders';
export const sql = `
CREATE TABLE encoders (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  path          TEXT NOT NULL,
  source_path   TEXT NOT NULL,
  input_height  INTEGER NOT NULL,
  input_width   INTEGER NOT NULL,
  channels      INTEGER NOT NULL,
  layout        TEXT NOT NULL CHECK (layout IN ('NCHW', 'NHWC')),
  output_dim    INTEGER NOT NULL,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
`;
