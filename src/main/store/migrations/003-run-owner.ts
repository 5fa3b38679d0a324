/** Schema v3: the process that runs a run, so a restart can tell a live run from an interrupted one. */
export const version = 3;
export const name = 'run-owner';
export const sql = `
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
`;
