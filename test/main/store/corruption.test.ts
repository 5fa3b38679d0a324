/**
 * A store damaged in the middle (issue 16): seeded random bytes over an inner page of a real
 * workspace database. Every command that opens it refuses with exit code 5 and the path, and the
 * file is not written; `cwb doctor` reports the full integrity_check. A migration backs up first.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, openSync, closeSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src/shared/constants';
import { integrityProblems, openDatabase, schemaVersion } from '../../../src/main/store/db';
import { LATEST_VERSION } from '../../../src/main/store/migrations/index';
import { cwbErrorLine, runCli, useCliWorkspace } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp';

const workspace = useCliWorkspace();
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Overwrite page `page` (1-based) with seeded pseudo-random bytes. */
function scribble(file: string, page: number, pageSize: number, seed: number): void {
  let a = seed >>> 0;
  const bytes = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i += 1) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    bytes[i] = a >>> 24;
  }
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

describe('a store corrupted in the middle', () => {
  it('is refused by every command with exit code 5 and its path, and never written', async () => {
    const file = join(workspace.home, DATABASE_FILE);
    expect(integrityProblems(file)).toEqual([]);
    const raw = new Database(file, { readonly: true });
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    const pageCount = raw.pragma('page_count', { simple: true }) as number;
    const { rootpage } = raw.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'images'`).get() as { rootpage: number };
    raw.close();
    expect(rootpage).toBeGreaterThan(1);
    expect(rootpage).toBeLessThanOrEqual(pageCount);
    scribble(file, rootpage, pageSize, 16);
    expect(integrityProblems(file).length).toBeGreaterThan(0);
    const before = sha(file);

    const commands = [
      ['dataset', 'list', '--json'],
      ['experiment', 'list', '--json'],
      ['train', '--dataset', '1', '--method', 'simclr', '--epochs', '1', '--batch-size', '4', '--json'],
      ['preview', '--dataset', '1', '--augment', 'simclr', '--out', join(workspace.root, 'p.png')],
    ];
    for (const args of commands) {
      const r = await runCli(['--home', workspace.home, ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(5);
      expect(cwbErrorLine(r.stderr)).toContain(file);
      expect(cwbErrorLine(r.stderr)).toMatch(/damaged \(quick_check: .*left untouched/);
      expect(r.stdout).toBe('');
      expect(sha(file), args.join(' ')).toBe(before);
      expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0, "nothing written to the WAL").toBe(0);
    }
    expect(existsSync(join(workspace.root, 'p.png'))).toBe(false);

    const doctor = await runCli(['--home', workspace.home, 'doctor', '--json']);
    expect(doctor.code).toBe(5);
    expect(doctor.stderr).toMatch(/^integrity_check: /m);
    expect(cwbErrorLine(doctor.stderr)).toMatch(/damaged \(integrity_check: /);
    expect(sha(file)).toBe(before);
  }, 120_000);
});

describe('migrations back up the store first', () => {
  it('copies an older database to backups/ beside it, says where, and the copy is the old version', () => {
    const t = tempDir();
    try {
      const file = join(t.dir, DATABASE_FILE);
      const v1 = openDatabase(file, { targetVersion: 1 });
      v1.prepare(`INSERT INTO datasets (name, root_path, kind, image_size, channels) VALUES ('old', '/data', 'folder', 32, 3)`).run();
      v1.close();
      const told: string[] = [];
      const db = openDatabase(file, { onBackup: (p) => told.push(p) });
      expect(schemaVersion(db)).toBe(LATEST_VERSION);
      db.close();
      expect(told).toHaveLength(1);
      expect(told[0]).toMatch(/backups[/\\]workbench-v1-.*\.sqlite$/);
      expect(readdirSync(join(t.dir, 'backups'))).toHaveLength(1);
      const copy = new Database(told[0] ?? '', { readonly: true });
      expect(copy.pragma('user_version', { simple: true })).toBe(1);
      expect(copy.prepare('SELECT name FROM datasets').get()).toEqual({ name: 'old' });
      copy.close();
      // opening the now-current file again migrates nothing and copies nothing
      const again = openDatabase(file, { onBackup: (p) => told.push(p) });
      again.close();
      expect(told).toHaveLength(1);
      // a fresh file has nothing to back up
      const fresh = join(t.dir, 'fresh.sqlite');
      openDatabase(fresh, { onBackup: (p) => told.push(p) }).close();
      expect(told).toHaveLength(1);
      copyFileSync(file, join(t.dir, 'still-opens.sqlite'));
      openDatabase(join(t.dir, 'still-opens.sqlite')).close();
    } finally {
      t.cleanup();
    }
  });
});
