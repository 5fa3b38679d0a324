/** Schema v2: where a dataset's tensor cache lives, and small thumbnails for the dataset grid. */
export const version = 2;
export const name = 'cache-and-thumbnails';
export const sql = `
ALTER TABLE datasets ADD COLUMN cache_path TEXT;
ALTER TABLE images ADD COLUMN thumbnail BLOB;
`;
