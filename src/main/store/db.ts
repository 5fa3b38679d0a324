/**
 * Opening the workspace database: WAL, foreign keys, a busy timeout, and numbered migrations.
 *
 * A file that is not a SQLite database, one written by a newer workbench, or one damaged inside
 * (`PRAGMA quick_check` on every open, through a read-only connection) is refused with a clear error
 * naming the file — never written to, never recreated over the user's data. Before a migration
 * changes an existing file, a copy of it goes to `backups/` beside it.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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

/**
 * Problems `PRAGMA quick_check` (cheap: no index-content cross-check) or `integrity_check` (full)
 * finds in a database file, at most `limit`; empty when it is sound. Opens its own read-only
 * connection, so a damaged file is never written (no WAL checkpoint on close).
 */
export function integrityProblems(file: string, kind: 'quick_check' | 'integrity_check' = 'quick_check', limit = 20): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // Another process may be writing (cwb serve beside a CLI command): wait as the store does.
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma(`${kind}(${limit})`) as Array<Record<string, unknown>>;
    const lines = rows.map((row) => String(Object.values(row)[0]));
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  } catch (err) {
    // Damage bad enough that the check itself cannot walk the file is damage all the same.
    if (String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_CORRUPT')) return [(err as Error).message];
    throw err;
  } finally {
    db.close();
  }
}

export function damagedError(file: string, problems: string[], kind: string): WorkbenchError {
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return new WorkbenchError(
    'STORE_ERROR',
    `the database ${file} is damaged (${kind}: ${problems[0] ?? 'unknown'}${more}); it was left untouched — run \`cwb doctor\` for the full check, then restore a copy from ${join(dirname(file), 'backups')} or move the file aside`,
    { path: file, problems },
  );
}

/** Copy the file (a consistent snapshot, WAL included) to `backups/` beside it; returns the copy's path. */
export function backupDatabase(db: Db, file: string, version: number): string {
  const dir = join(dirname(file), 'backups');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join(dir, `${basename(file).replace(/\.sqlite$/, '')}-v${version}-${stamp}.sqlite`);
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}

/** Apply every migration above the file's version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, target = LATEST_VERSION, backup?: () => void): number {
  const current = schemaVersion(db);
  refuseNewer(current, target);
  if (backup && migrations.some((m) => m.version > current && m.version <= target)) backup();
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    // IMMEDIATE takes the write lock before the version is read again: two processes opening a new
    // workspace at once (two `cwb` commands) then migrate one after the other instead of both
    // running migration 1 ("table datasets already exists").
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}

export interface OpenOptions {
  /** Stop at this schema version (tests of old-version databases). */
  targetVersion?: number;
  readonly?: boolean;
  /** Told the path of the copy taken before migrating an existing file (default: one line on stderr). */
  onBackup?: (path: string) => void;
  /** better-sqlite3's addon file when the default build is not for this runtime (see native-binding.ts). */
  nativeBinding?: string;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const existed = file !== ':memory:' && existsSync(file);
  if (existed) {
    let problems: string[];
    try {
      problems = integrityProblems(file, 'quick_check');
    } catch (err) {
      throw new WorkbenchError(
        'STORE_ERROR',
        `${file} is not a usable Contrastive Workbench database (${(err as Error).message}); it was left untouched — move it aside or choose another --home`,
      );
    }
    if (problems.length > 0) throw damagedError(file, problems, 'quick_check');
  }
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
    const version = schemaVersion(db);
    const backup =
      existed && version > 0
        ? (): void => {
            const copy = backupDatabase(db, file, version);
            (options.onBackup ?? ((p: string) => process.stderr.write(`cwb note: backed up the database (schema v${version}) to ${p} before upgrading it\n`)))(copy);
          }
        : undefined;
    if (!options.readonly) migrate(db, MIGRATIONS, options.targetVersion ?? LATEST_VERSION, backup);
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
