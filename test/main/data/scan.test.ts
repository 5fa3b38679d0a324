import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanFolder } from '../../../src/main/data/scan';
import { permissionsBlockReads, removeDir, tempDir } from './fixtures';

const dir = tempDir();
afterAll(() => {
  chmodSync(path.join(dir, 'locked'), 0o755);
  removeDir(dir);
});

describe('scanFolder', () => {
  it('lists image files in sorted order without opening them; special files and locked folders are skipped', async () => {
    mkdirSync(path.join(dir, 'b'));
    mkdirSync(path.join(dir, 'a'));
    mkdirSync(path.join(dir, 'locked'));
    writeFileSync(path.join(dir, 'b', '2.PNG'), 'x');
    writeFileSync(path.join(dir, 'a', '1.jpeg'), 'x');
    writeFileSync(path.join(dir, 'locked', 'secret.png'), 'x');
    writeFileSync(path.join(dir, 'no-extension'), 'x');
    execFileSync('mkfifo', [path.join(dir, 'pipe.png')]); // opening a FIFO would block forever
    chmodSync(path.join(dir, 'locked'), 0o000);
    // As root, chmod 000 does not stop reading a folder: the locked case is only asserted when it does.
    const locked = permissionsBlockReads(path.join(dir, 'locked', 'secret.png'));

    const res = await scanFolder(dir);
    const expected = ['a/1.jpeg', 'b/2.PNG'];
    if (!locked) expected.push('locked/secret.png');
    expect(res.files.map((f) => f.relPath)).toEqual(expected);
    expect(res.files[0]).toMatchObject({ path: path.join(dir, 'a', '1.jpeg'), size: 1 });
    const reasons = Object.fromEntries(res.skipped.map((s) => [path.relative(dir, s.path), s.reason]));
    expect(reasons['pipe.png']).toBe('not a regular file');
    expect(reasons['no-extension']).toBe('not an image file (no extension)');
    if (locked) expect(reasons['locked']).toBe('permission denied (cannot read this folder)');
  });
});
