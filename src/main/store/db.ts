/**
 * Opening the workspace database: WAL, foreign keys, a busy timeout, and numbered migrations.
 *
 * A file that is not a SQLite database, or one written by a newer workbench, is refused with a clear
 * error — never recreated over the user's data.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { WorkbenchError } from '../../shared/errors';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index';

export type Db = Database.Database;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(current: number, target: number): void {
  if (current > target) {
    throw new WorkbenchError(
      'STORE_ERROR',
      `the database was written by a newer Contrastive Workbench (schema v${current}, this version knows v${target}); update the app or choose another --home`,
      { schemaVersion: current, supported: target },
    );
  }
}

/** Apply every migration above the file's version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, target = LATEST_VERSION): number {
  const current = schemaVersion(db);
  refuseNewer(current, target);
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return schemaVersion(db);
}

export interface OpenOptions {
  /** Stop at this schema version (tests of old-version databases). */
  targetVersion?: number;
  readonly?: boolean;
  /** better-sqlite3's addon file when the default build is not for this runtime (see native-binding.ts). */
  nativeBinding?: string;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const existed = file !== ':memory:' && existsSync(file);
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    });
  } catch (err) {
    throw new WorkbenchError('STORE_ERROR', `cannot open the database ${file}: ${(err as Error).message}`);
  }
  try {
    // Reading the header first turns "file is not a database" into a clear refusal before any write,
    // and a newer schema is refused before WAL mode rewrites the header.
    db.pragma('schema_version');
    refuseNewer(schemaVersion(db), options.targetVersion ?? LATEST_VERSION);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) migrate(db, MIGRATIONS, options.targetVersion ?? LATEST_VERSION);
  } catch (err) {
    db.close();
    if (err instanceof WorkbenchError) throw err;
    const reason = (err as Error).message;
    throw new WorkbenchError(
      'STORE_ERROR',
      existed
        ? `${file} is not a usable Contrastive Workbench database (${reason}); it was left untouched — move it aside or choose another --home`
        : `cannot initialise the database ${file}: ${reason}`,
    );
  }
  return db;
}
