import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../src/main/store/db';
import { LATEST_VERSION, MIGRATIONS } from '../../../src/main/store/migrations/index';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function temp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring an empty database to the latest schema with every table, WAL and foreign keys', () => {
    const db = openDatabase(join(temp(), 'w.sqlite'));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    for (const t of ['datasets', 'images', 'experiments', 'runs', 'metrics', 'previews', 'prototype_assignments', 'checkpoints', 'exports']) {
      expect(tables).toContain(t);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('upgrade a v1 database in place and keep its rows', () => {
    const file = join(temp(), 'old.sqlite');
    const v1 = openDatabase(file, { targetVersion: 1 });
    expect(schemaVersion(v1)).toBe(1);
    v1.prepare(`INSERT INTO datasets (name, root_path, kind, image_size, channels) VALUES ('old', '/data', 'folder', 32, 3)`).run();
    v1.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const row = db.prepare('SELECT name, cache_path FROM datasets').get() as { name: string; cache_path: string | null };
    expect(row).toEqual({ name: 'old', cache_path: null });
    db.close();
  });

  it('refuse a database from a newer workbench and leave it untouched', () => {
    const file = join(temp(), 'new.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.exec('CREATE TABLE precious (x)');
    raw.close();
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(/newer Contrastive Workbench/);
    expect(sha(file)).toBe(before);
  });

  it('refuse a file that is not a database and never recreate it', () => {
    const file = join(temp(), 'corrupt.sqlite');
    writeFileSync(file, Buffer.from('this is a user file, not sqlite '.repeat(200)));
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(/not a usable Contrastive Workbench database.*left untouched/);
    expect(sha(file)).toBe(before);
  });

  it('roll back a failing migration as a whole', () => {
    const db = openDatabase(':memory:', { targetVersion: 1 });
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM missing_table;' }];
    expect(() => migrate(db, broken, 2)).toThrow(/missing_table/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'`).get()).toEqual({ n: 0 });
    db.close();
  });
});
